"""Keep aggregates reserved for some tenants to those tenants.

An aggregate whose metadata has a key starting with `filter_tenant_id`
(filter_tenant_id, filter_tenant_id_2, ...) accepts only the listed
projects (comma-separated). A host in several such aggregates accepts the
union of their projects; a host in none accepts every project.
"""

import numpy as np

from gantt.filters import aggregate_values
from gantt.filters import base

KEY_PREFIX = 'filter_tenant_id'


def _tenants(metadata):
    """Projects an aggregate's metadata admits, or None if it admits all."""
    tenants = None
    for key, value in metadata.items():
        if key.startswith(KEY_PREFIX):
            tenants = (tenants or set()) | aggregate_values.split(value)
    return tenants


class AggregateMultiTenancyIsolation(base.VectorFilter):
    """Hosts whose aggregates admit the request's project."""

    run_filter_once_per_request = True
    reason = 'aggregate is reserved for other projects'

    def host_passes(self, host_view, request):
        allowed = set()
        restricted = False
        for agg in host_view.aggregates:
            tenants = _tenants(agg.metadata)
            if tenants is not None:
                restricted = True
                allowed |= tenants
        return not restricted or request.project_id in allowed

    def filter_mask(self, hosts, request):
        restricted = np.zeros(hosts.n, dtype=bool)
        allowed = np.zeros(hosts.n, dtype=bool)
        for agg_uuid, agg in hosts.aggregates.items():
            tenants = _tenants(agg.metadata)
            if tenants is None:
                continue
            rows = hosts.agg_rows[agg_uuid]
            restricted[rows] = True
            if request.project_id in tenants:
                allowed[rows] = True
        return ~restricted | allowed
