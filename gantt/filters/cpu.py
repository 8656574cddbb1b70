"""Keep only hosts with enough unallocated vCPUs for one instance."""

from gantt.filters import resource


class CoreFilter(resource.ResourceFilter):
    """Remove hosts without the VCPU the flavor asks for."""

    resource_class = 'VCPU'
    reason = 'not enough free vCPUs'
