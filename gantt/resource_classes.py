"""Resource classes: the standard names Gantt knows and CUSTOM_* ones.

A resource class names one kind of countable inventory. The standard set is
fixed here; an operator or driver may use any name matching
``CUSTOM_[A-Z0-9_]+``, which the store records on first use.
"""

import re

from gantt import exception

CUSTOM_PREFIX = 'CUSTOM_'
CUSTOM_PATTERN = re.compile(r'^CUSTOM_[A-Z0-9_]+$')

# The standard classes, in the order their ids are assigned (an id is the
# position in this tuple; custom classes get ids from CUSTOM_ID_BASE up).
STANDARD = (
    'VCPU',
    'MEMORY_MB',
    'DISK_GB',
    'PCI_DEVICE',
    'SRIOV_NET_VF',
    'NUMA_SOCKET',
    'NUMA_CORE',
    'NUMA_THREAD',
    'NUMA_MEMORY_MB',
    'IPV4_ADDRESS',
    'VGPU',
    'VGPU_DISPLAY_HEAD',
    'NET_BW_EGR_KILOBIT_PER_SEC',
    'NET_BW_IGR_KILOBIT_PER_SEC',
    'PCPU',
    'MEM_ENCRYPTION_CONTEXT',
    'FPGA',
    'PGPU',
    'NET_PACKET_RATE_KILOPACKET_PER_SEC',
    'NET_PACKET_RATE_EGR_KILOPACKET_PER_SEC',
    'NET_PACKET_RATE_IGR_KILOPACKET_PER_SEC',
)
STANDARD_IDS = {name: i for i, name in enumerate(STANDARD)}
CUSTOM_ID_BASE = 10000


def is_custom(name):
    return isinstance(name, str) and name.startswith(CUSTOM_PREFIX)


def is_valid(name):
    """Whether ``name`` is a standard class or a well-formed custom one."""
    if not isinstance(name, str):
        return False
    if name in STANDARD_IDS:
        return True
    return bool(CUSTOM_PATTERN.match(name))


def validate(name):
    """Return ``name`` or raise InvalidResourceClass saying why."""
    if not isinstance(name, str) or not name:
        raise exception.InvalidResourceClass(
            name=name, reason='a resource class is a non-empty string')
    if name in STANDARD_IDS:
        return name
    if is_custom(name):
        if CUSTOM_PATTERN.match(name):
            return name
        raise exception.InvalidResourceClass(
            name=name, reason='custom resource classes must match %s'
            % CUSTOM_PATTERN.pattern)
    raise exception.InvalidResourceClass(
        name=name, reason='not a standard resource class, and custom ones '
        'start with %s' % CUSTOM_PREFIX)


def normalize_custom(text):
    """A custom class name made from free text (``gold`` -> CUSTOM_GOLD).

    Bare-metal node resource classes are often given in lower case.
    """
    body = re.sub(r'[^A-Z0-9_]', '_', str(text).upper())
    if body.startswith(CUSTOM_PREFIX):
        return body
    return CUSTOM_PREFIX + body
