"""Keep flavors to the aggregates that accept them.

An aggregate with `instance_type` metadata (the compute controller's key)
or `instance_type_name` metadata (a comma-separated list of flavor names)
admits only those flavors; a host in no such aggregate admits every
flavor, a host in several admits the union.
"""

from gantt.filters import aggregate_values
from gantt.filters import base

KEYS = ('instance_type', 'instance_type_name')


class AggregateTypeAffinityFilter(base.VectorFilter):
    """Hosts whose aggregates admit the request's flavor."""

    run_filter_once_per_request = True
    reason = 'aggregate does not admit this flavor'

    def host_passes(self, host_view, request):
        name = request.flavor.name
        restricted = False
        for agg in host_view.aggregates:
            for key in KEYS:
                if key in agg.metadata:
                    restricted = True
                    if name in aggregate_values.split(agg.metadata[key]):
                        return True
        return not restricted

    def filter_mask(self, hosts, request):
        name = request.flavor.name
        restricted = base.all_rows(hosts, False)
        admitted = base.all_rows(hosts, False)
        for key in KEYS:
            has, ok = aggregate_values.key_mask(
                hosts, key, lambda names: name in names)
            restricted |= has
            admitted |= ok
        return ~restricted | admitted
