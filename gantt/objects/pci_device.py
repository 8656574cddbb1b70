"""A compute's PCI devices as it reports them.

Devices with the same vendor, product, NUMA node, type and tags form a
pool (gantt.pci_pools); a VF names its PF in ``parent_addr``. Only
``available`` devices can be handed out.
"""

from gantt.objects import base
from gantt.objects import fields


@base.GanttObjectRegistry.register
class PciDevice(base.GanttObject):
    """One PCI device (a whole device, an SR-IOV PF or one of its VFs).

    ``numa_node`` is the host cell the device is attached to (None when
    the platform does not say); ``tags`` holds any other tag of the
    compute's device spec, matched by aliases as given.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'address': fields.StringField(),
        'vendor_id': fields.StringField(),
        'product_id': fields.StringField(),
        'numa_node': fields.IntegerField(nullable=True, default=None),
        'dev_type': fields.StringField(
            default=fields.PciDeviceType.STANDARD),
        'parent_addr': fields.StringField(nullable=True, default=None),
        'physical_network': fields.StringField(nullable=True, default=None),
        'trusted': fields.BooleanField(nullable=True, default=None),
        'remote_managed': fields.BooleanField(nullable=True, default=None),
        'status': fields.StringField(
            default=fields.PciDeviceStatus.AVAILABLE),
        'tags': fields.DictOfStringsField(default={}),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)


def validate(devices, invalid):
    """Call ``invalid(field, reason)`` for the first impossible device."""
    seen = set()
    for i, dev in enumerate(devices or ()):
        where = 'pci_devices[%d].' % i
        for name in ('address', 'vendor_id', 'product_id'):
            if not dev.obj_attr_is_set(name) or not getattr(dev, name):
                invalid(where + name, 'is missing')
        if dev.address in seen:
            invalid(where + 'address', '%r appears twice' % dev.address)
        seen.add(dev.address)
        if dev.dev_type not in fields.PciDeviceType.ALL:
            invalid(where + 'dev_type', '%r is not one of %s'
                    % (dev.dev_type, ', '.join(fields.PciDeviceType.ALL)))
        if dev.status not in fields.PciDeviceStatus.ALL:
            invalid(where + 'status', '%r is not one of %s'
                    % (dev.status, ', '.join(fields.PciDeviceStatus.ALL)))
        if dev.dev_type == fields.PciDeviceType.SRIOV_VF and (
                not dev.parent_addr):
            invalid(where + 'parent_addr', 'is missing for a VF')
