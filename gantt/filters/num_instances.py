"""Keep only hosts running fewer instances than a limit.

NumInstancesFilter reads the limit from [filter_scheduler]
max_instances_per_host; AggregateNumInstancesFilter lets an aggregate's
max_instances_per_host metadata set it for its hosts.
"""

from gantt.filters import per_aggregate


class NumInstancesFilter(per_aggregate.LimitFilter):
    """Remove hosts with max_instances_per_host or more instances."""

    counter = 'num_instances'
    option = 'max_instances_per_host'
    reason = 'too many instances'


class AggregateNumInstancesFilter(NumInstancesFilter):
    """NumInstancesFilter with the limit overridable per aggregate."""

    per_aggregate = True
