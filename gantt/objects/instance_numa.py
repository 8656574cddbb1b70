"""The NUMA topology and PCI devices claimed for one instance, as a
Selection carries them: which host cell each guest cell got, its vCPU to
pCPU pins, page size and memory, and the devices of each PCI alias, so a
compute applies exactly what the claim holds."""

from gantt.objects import base
from gantt.objects import fields


@base.GanttObjectRegistry.register
class InstanceNUMACell(base.GanttObject):
    """Guest cell ``id`` placed on host cell ``host_cell``.

    ``cpu_pinning`` maps each dedicated vCPU (as a string) to its pCPU;
    ``cpuset_reserved`` are the pCPUs held for isolated emulator threads;
    ``pagesize`` is the page size (KiB) the guest memory is backed by
    (None: the host's default pages); ``memory`` is in MiB;
    ``shared_vcpus`` counts the guest cell's unpinned vCPUs.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'host_cell': fields.IntegerField(),
        'cpu_pinning': fields.DictOfIntegersField(default={}),
        'cpuset_reserved': fields.ListOfIntegersField(default=[]),
        'pagesize': fields.IntegerField(nullable=True, default=None),
        'memory': fields.IntegerField(default=0),
        'shared_vcpus': fields.IntegerField(default=0),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)


@base.GanttObjectRegistry.register
class InstanceNUMATopology(base.GanttObject):
    """The guest cells placed (empty for a request with PCI devices only)
    and ``pci_devices``: alias name (or, for a port's request, the port)
    -> the addresses claimed for it."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'cells': fields.ListOfObjectsField('InstanceNUMACell', default=[]),
        'pci_devices': fields.DictOfListOfStringsField(default={}),
    }

    obj_relationships = {
        'cells': [('1.0', '1.0')],
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)

    @classmethod
    def from_fitted(cls, fitted, pci_requests):
        """The object of a numa_fit.Fitted placement; `pci_requests` are
        the request's numa_request.PciRequests, in the order Fitted.pci
        answers them."""
        devices = {}
        for request, addresses in zip(pci_requests, fitted.pci):
            devices.setdefault(request.key, []).extend(addresses)
        return cls(
            cells=[InstanceNUMACell(
                id=c.guest_id, host_cell=c.host_id,
                cpu_pinning={str(v): int(p)
                             for v, p in sorted(c.pinning.items())},
                cpuset_reserved=sorted(int(p) for p in c.reserved),
                pagesize=None if c.pagesize is None else int(c.pagesize),
                memory=int(c.memory),
                shared_vcpus=int(c.shared)) for c in fitted.cells],
            pci_devices=devices)
