"""The shared rule of the RAM, vCPU and disk filters.

Gantt keeps its own accounting: a host passes when a claim of what one
instance asks for of the resource class would pass on its root provider,
by the claim's own rule (gantt.fit: capacity left, min_unit, max_unit and
step_size). A request for none of the class passes every host, even an
over-committed one.
"""

from gantt.filters import base


class ResourceFilter(base.VectorFilter):
    """Remove hosts with less free `resource_class` than one instance needs."""

    #: The resource class this filter checks, e.g. 'MEMORY_MB'.
    resource_class = None

    def _wanted(self, request):
        return request.resources.get(self.resource_class, 0) or 0

    def filter_mask(self, hosts, request):
        wanted = self._wanted(request)
        if wanted <= 0:
            return base.all_rows(hosts)
        cols = hosts.res.get(self.resource_class)
        if cols is None:
            return base.all_rows(hosts, False)
        return cols.fits(wanted, hosts.n)

    def host_passes(self, host_view, request):
        wanted = self._wanted(request)
        if wanted <= 0:
            return True
        return host_view.fits(self.resource_class, wanted)
