"""Keep only hosts with enough unallocated local disk for one instance.

The disk one instance needs is root (unless booted from volume) plus
ephemeral plus swap, in GB, as gantt.request works it out.
"""

from gantt.filters import resource


class DiskFilter(resource.ResourceFilter):
    """Remove hosts without the DISK_GB the flavor asks for."""

    resource_class = 'DISK_GB'
    reason = 'not enough free disk'
