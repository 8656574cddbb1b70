"""Pass hosts whose aggregates carry the metadata the flavor asks for.

A flavor extra spec scoped `aggregate_instance_extra_specs:`, or with no
scope at all, names an aggregate metadata key; some value of that key on
one of the host's aggregates must satisfy the requirement (extra-spec
operators). A host in no aggregate setting the key fails.
"""

from gantt.filters import aggregate_values
from gantt.filters import base
from gantt.filters import extra_specs_ops

SCOPE = 'aggregate_instance_extra_specs'


def aggregate_specs(extra_specs):
    """(metadata key, requirement) for every extra spec this filter reads."""
    for key, req in sorted(extra_specs.items()):
        scope = key.split(':', 1)
        if len(scope) > 1:
            if scope[0] != SCOPE:
                continue
            key = scope[1]
        yield key, req


def _any_match(values, req):
    return any(extra_specs_ops.match(value, req) for value in values)


class AggregateInstanceExtraSpecsFilter(base.VectorFilter):
    """Hosts whose aggregate metadata satisfies the flavor extra specs."""

    run_filter_once_per_request = True
    reason = 'aggregate metadata does not match the flavor extra specs'

    def host_passes(self, host_view, request):
        metadata = None
        for key, req in aggregate_specs(request.extra_specs):
            if metadata is None:
                metadata = aggregate_values.host_metadata(host_view)
            values = metadata.get(key)
            if not values or not _any_match(values, req):
                return False
        return True

    def filter_mask(self, hosts, request):
        mask = base.all_rows(hosts)
        for key, req in aggregate_specs(request.extra_specs):
            _has, ok = aggregate_values.key_mask(
                hosts, key, lambda values: _any_match(values, req))
            mask &= ok
        return mask
