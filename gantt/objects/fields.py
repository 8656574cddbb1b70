"""Field types for Gantt objects: the oslo fields used plus project constants.

Architectures, hypervisor types, VM modes and resource classes travel as
plain strings (a newer compute may know values this scheduler does not);
the classes here only name the well-known values.
"""

import uuid

from oslo_versionedobjects import fields

# Re-exported oslo field types (explicit, no star import).
Field = fields.Field
UnspecifiedDefault = fields.UnspecifiedDefault
BooleanField = fields.BooleanField
DateTimeField = fields.DateTimeField
DictOfIntegersField = fields.DictOfIntegersField
DictOfListOfStringsField = fields.DictOfListOfStringsField
DictOfStringsField = fields.DictOfStringsField
FloatField = fields.FloatField
IntegerField = fields.IntegerField
ListOfIntegersField = fields.ListOfIntegersField
ListOfListsOfStringsField = fields.ListOfListsOfStringsField
ListOfObjectsField = fields.ListOfObjectsField
ListOfStringsField = fields.ListOfStringsField
ListOfUUIDField = fields.ListOfUUIDField
ObjectField = fields.ObjectField
SetOfStringsField = fields.SetOfStringsField
StringField = fields.StringField
VersionPredicateField = fields.VersionPredicateField


class UUID(fields.UUID):
    """oslo's UUID type with the same contract, checked more cheaply.

    A value that is not a UUID is still accepted as its string, with
    oslo's FutureWarning; but oslo enters a warnings context on every
    value, which made UUIDs the costliest fields of the objects built for
    each decision, so that path is kept for values that need the warning.
    The class keeps oslo's name: object fingerprints name field types.
    """

    def coerce(self, obj, attr, value):
        text = f"{value}"
        try:
            uuid.UUID(text)
        except Exception:
            return super().coerce(obj, attr, value)
        return text


class UUIDField(fields.AutoTypedField):
    AUTO_TYPE = UUID()


class ListOfListsOfIntegersField(fields.AutoTypedField):
    """Lists of integer lists (a NUMA cell's thread sibling sets)."""

    AUTO_TYPE = fields.List(fields.List(fields.Integer()))


class Architecture:
    """Well-known CPU architecture names (image hw_architecture, HVSpec)."""

    AARCH64 = 'aarch64'
    ARMV7 = 'armv7l'
    I686 = 'i686'
    PPC64LE = 'ppc64le'
    S390X = 's390x'
    X86_64 = 'x86_64'
    ALL = (AARCH64, ARMV7, I686, PPC64LE, S390X, X86_64)


class HVType:
    """Well-known hypervisor type names (image img_hv_type, HVSpec)."""

    BAREMETAL = 'baremetal'
    IRONIC = 'ironic'
    KVM = 'kvm'
    LXC = 'lxc'
    QEMU = 'qemu'
    VMWARE = 'vmware'
    ZVM = 'zvm'
    ALL = (BAREMETAL, IRONIC, KVM, LXC, QEMU, VMWARE, ZVM)


class VMMode:
    """Well-known VM mode names (image hw_vm_mode, HVSpec)."""

    EXE = 'exe'
    HVM = 'hvm'
    UML = 'uml'
    XEN = 'xen'
    ALL = (EXE, HVM, UML, XEN)


class InstanceGroupPolicy:
    """Server group policies the affinity filters and weighers know."""

    AFFINITY = 'affinity'
    ANTI_AFFINITY = 'anti-affinity'
    SOFT_AFFINITY = 'soft-affinity'
    SOFT_ANTI_AFFINITY = 'soft-anti-affinity'
    ALL = (AFFINITY, ANTI_AFFINITY, SOFT_AFFINITY, SOFT_ANTI_AFFINITY)


# Binary name a compute's ServiceStatus carries unless told otherwise.
COMPUTE_BINARY = 'gantt-compute'

# Largest total of any resource a report may claim (ComputeNode.validate).
MAX_RESOURCE_TOTAL = 2 ** 40

# Allocation ratios must lie in (0, MAX_ALLOCATION_RATIO].
MAX_ALLOCATION_RATIO = 1000.0


class PciDeviceType:
    """PCI device kinds (nova's names, so aliases read the same)."""

    STANDARD = 'type-PCI'
    SRIOV_PF = 'type-PF'
    SRIOV_VF = 'type-VF'
    VDPA = 'vdpa'
    ALL = (STANDARD, SRIOV_PF, SRIOV_VF, VDPA)


class PciDeviceStatus:
    """Whether a PCI device can be handed out."""

    AVAILABLE = 'available'
    CLAIMED = 'claimed'
    ALLOCATED = 'allocated'
    UNAVAILABLE = 'unavailable'
    ALL = (AVAILABLE, CLAIMED, ALLOCATED, UNAVAILABLE)
