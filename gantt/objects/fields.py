"""Field types for Gantt objects: strict scalar types plus project constants.

Integers, floats, booleans and strings are held strictly as they are read:
"16" or 16.5 is not an integer, 1 is not a boolean, 16 is not a string, and
integers, strings and names have bounds (gantt.limits), so a malformed
report or request is refused naming the field rather than coerced. The
strict types keep oslo's class names, which object fingerprints record.
Architectures, hypervisor types, VM modes and resource classes travel as
plain strings (a newer compute may know values this scheduler does not);
the classes here only name the well-known values.
"""

import math
import numbers
import uuid

from oslo_versionedobjects import fields

from gantt import limits


def _where(obj, attr):
    if obj is not None and hasattr(obj, 'obj_name'):
        return '%s.%s' % (obj.obj_name(), attr)
    return str(attr)


def _refuse(obj, attr, what, value):
    raise ValueError('%s must be %s, got %s' % (
        _where(obj, attr), what, limits.brief(value)))


class Integer(fields.Integer):
    """An integer, never a string, float or boolean; 64-bit signed.

    Each strict type's ``takes_as_is(value)`` says, cheaply, that coerce
    would give the value back unchanged (objects hydrate on that).
    """

    @staticmethod
    def takes_as_is(value):
        return type(value) is int and (
            limits.INT_MIN <= value <= limits.INT_MAX)

    def coerce(self, obj, attr, value):
        if isinstance(value, bool) or not isinstance(value,
                                                     numbers.Integral):
            _refuse(obj, attr, 'an integer', value)
        value = int(value)
        if not limits.INT_MIN <= value <= limits.INT_MAX:
            _refuse(obj, attr, 'a 64-bit integer', value)
        return value


class Float(fields.Float):
    """A finite number (an integer is taken as a float); not a string."""

    @staticmethod
    def takes_as_is(value):
        # inf - inf and nan - nan are nan, which is not 0.
        return type(value) is float and value - value == 0.0

    def coerce(self, obj, attr, value):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            _refuse(obj, attr, 'a number', value)
        value = float(value)
        if not math.isfinite(value):
            _refuse(obj, attr, 'a finite number', value)
        return value


class Boolean(fields.Boolean):
    """True or False, not 0, 1 or "false"."""

    @staticmethod
    def takes_as_is(value):
        return type(value) is bool

    def coerce(self, obj, attr, value):
        if isinstance(value, bool):
            return value
        if getattr(getattr(value, 'dtype', None), 'kind', None) == 'b':
            return bool(value)  # a numpy boolean
        _refuse(obj, attr, 'a boolean', value)


class String(fields.String):
    """A string of bounded length: [limits] max_name_length for names,
    max_string_length otherwise. Not a number, not a boolean."""

    def __init__(self, name=False):
        super().__init__()
        self._name = name

    def takes_as_is(self, value):
        return type(value) is str and len(value) <= (
            limits.CURRENT.max_name_length if self._name
            else limits.CURRENT.max_string_length)

    def coerce(self, obj, attr, value):
        if not isinstance(value, str):
            _refuse(obj, attr, 'a string', value)
        limit = (limits.CURRENT.max_name_length if self._name
                 else limits.CURRENT.max_string_length)
        if len(value) > limit:
            raise ValueError('%s is a string of length %d, above the limit '
                             '%d' % (_where(obj, attr), len(value), limit))
        return value


class StringField(fields.AutoTypedField):
    AUTO_TYPE = String()


class NameField(fields.AutoTypedField):
    """A host, node or other name: a string of [limits] max_name_length."""

    AUTO_TYPE = String(name=True)


class IntegerField(fields.AutoTypedField):
    AUTO_TYPE = Integer()


class FloatField(fields.AutoTypedField):
    AUTO_TYPE = Float()


class BooleanField(fields.AutoTypedField):
    AUTO_TYPE = Boolean()


class DictOfStringsField(fields.AutoTypedField):
    AUTO_TYPE = fields.Dict(String())


class DictOfIntegersField(fields.AutoTypedField):
    AUTO_TYPE = fields.Dict(Integer())


class DictOfListOfStringsField(fields.AutoTypedField):
    AUTO_TYPE = fields.Dict(fields.List(String()))


class ListOfStringsField(fields.AutoTypedField):
    AUTO_TYPE = fields.List(String())


class ListOfListsOfStringsField(fields.AutoTypedField):
    AUTO_TYPE = fields.List(fields.List(String()))


class SetOfStringsField(fields.AutoTypedField):
    AUTO_TYPE = fields.Set(String())


class ListOfDictOfNullableStringsField(fields.AutoTypedField):
    AUTO_TYPE = fields.List(fields.Dict(String(), nullable=True))


# Re-exported oslo field types (explicit, no star import).
Field = fields.Field
UnspecifiedDefault = fields.UnspecifiedDefault
DateTimeField = fields.DateTimeField
ListOfObjectsField = fields.ListOfObjectsField
ObjectField = fields.ObjectField
VersionPredicateField = fields.VersionPredicateField


class UUID(fields.UUID):
    """A UUID, as its canonical text or any form uuid.UUID reads.

    oslo's UUID type accepts any value as its string with a FutureWarning;
    this one refuses what is not a UUID. The class keeps oslo's name:
    object fingerprints name field types.
    """

    def coerce(self, obj, attr, value):
        if not isinstance(value, str) or len(value) > 64:
            _refuse(obj, attr, 'a UUID', value)
        try:
            uuid.UUID(value)
        except ValueError:
            _refuse(obj, attr, 'a UUID', value)
        return value


class UUIDField(fields.AutoTypedField):
    AUTO_TYPE = UUID()


class ListOfUUIDField(fields.AutoTypedField):
    AUTO_TYPE = fields.List(UUID())


class ListOfNamesField(fields.AutoTypedField):
    """Host names and the like: strings of [limits] max_name_length."""

    AUTO_TYPE = fields.List(String(name=True))


class ListOfIntegersField(fields.AutoTypedField):
    AUTO_TYPE = fields.List(Integer())


class ListOfListsOfIntegersField(fields.AutoTypedField):
    """Lists of integer lists (a NUMA cell's thread sibling sets)."""

    AUTO_TYPE = fields.List(fields.List(Integer()))


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
