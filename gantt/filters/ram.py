"""Keep only hosts with enough unallocated memory for one instance."""

from gantt.filters import resource


class RamFilter(resource.ResourceFilter):
    """Remove hosts without the MEMORY_MB the flavor asks for."""

    resource_class = 'MEMORY_MB'
    reason = 'not enough free RAM'
