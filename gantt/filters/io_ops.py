"""Keep only hosts not already busy with too many I/O heavy operations.

IoOpsFilter reads the limit from [filter_scheduler] max_io_ops_per_host;
AggregateIoOpsFilter lets an aggregate's max_io_ops_per_host metadata set it
for its hosts.
"""

from gantt.filters import per_aggregate


class IoOpsFilter(per_aggregate.LimitFilter):
    """Remove hosts with max_io_ops_per_host or more I/O operations."""

    counter = 'num_io_ops'
    option = 'max_io_ops_per_host'
    reason = 'too many concurrent I/O operations'


class AggregateIoOpsFilter(IoOpsFilter):
    """IoOpsFilter with the limit overridable per aggregate."""

    per_aggregate = True
