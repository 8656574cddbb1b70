"""Pass hosts that can run the image's architecture, hypervisor and VM mode.

The image properties hw_architecture, img_hv_type and hw_vm_mode must all
appear together in one (arch, hv_type, vm_mode) entry of the host's
supported_instances; img_hv_requested_version is a version predicate such
as ">=6.0,<7.0" on the host's hypervisor_version; hw_maxphysaddr_bits asks
for at least that many physical address bits in the host's cpu_info
(maxphysaddr.bits; a host that reports none passes). An image that sets
none of the three passes every host (unless a default architecture is
configured), whatever its version and address bits, as in nova. The
flavor's hw:maxphysaddr_bits is ComputeCapabilitiesFilter's; nova checks
the two apart, each with its own filter, and so does Gantt.
"""

import operator
import re

import numpy as np

from gantt import exception
from gantt.filters import base
from gantt.filters import compute_capabilities
from gantt.filters import host_columns

_ARCH_ALIASES = {'i386': 'i686', 'i486': 'i686', 'i586': 'i686',
                 'x86_32': 'i686', 'x86_32p': 'i686', 'amd64': 'x86_64',
                 'x64': 'x86_64'}
_HV_ALIASES = {'xapi': 'xen', 'baremetal': 'ironic'}
_MODE_ALIASES = {'pv': 'xen', 'hv': 'hvm', 'baremetal': 'hvm'}

MAXPHYSADDR_BITS = 'hw_maxphysaddr_bits'

_VERSION_OPS = {'<': operator.lt, '<=': operator.le, '==': operator.eq,
                '!=': operator.ne, '>': operator.gt, '>=': operator.ge}
_PREDICATE = re.compile(
    r'^\s*(<=|>=|==|!=|<|>)?\s*(\d+(?:\.\d+)*)((?:a|b|rc)\d+)?\s*$')


def _canonical(value, aliases):
    if not value:
        return None
    value = str(value).lower()
    return aliases.get(value, value)


def wanted(image_props, default_arch=None):
    """(arch, hv_type, vm_mode) the image asks for, None where unset."""
    def get(name):
        return None if image_props is None else image_props.get(name)
    return (_canonical(get('hw_architecture') or default_arch, _ARCH_ALIASES),
            _canonical(get('img_hv_type'), _HV_ALIASES),
            _canonical(get('hw_vm_mode'), _MODE_ALIASES))


def _host_spec(spec):
    arch, hv_type, vm_mode = (tuple(spec) + (None, None, None))[:3]
    return (_canonical(arch, _ARCH_ALIASES), _canonical(hv_type, _HV_ALIASES),
            _canonical(vm_mode, _MODE_ALIASES))


def supports(supported_instances, want):
    """True when one host entry offers everything `want` sets."""
    for spec in supported_instances or ():
        offered = _host_spec(spec)
        if all(w is None or w == o for w, o in zip(want, offered)):
            return True
    return False


def version_tuple(version):
    """An integer hypervisor version as its groups of three decimal digits,
    most significant first: 6001002 -> (6, 1, 2), 1000 -> (1, 0)."""
    groups = []
    while version > 0:
        version, part = divmod(version, 1000)
        groups.insert(0, part)
    return tuple(groups)


def parse_predicate(text):
    """'>=6.0,<7' -> [(operator.ge, (6, 0), False), (operator.lt, (7,),
    False)]; the flag marks a pre-release ('6.0a1' sorts before 6.0)."""
    clauses = []
    for part in str(text).split(','):
        found = _PREDICATE.match(part)
        if found is None:
            raise exception.InvalidRequest(
                reason='image property img_hv_requested_version %r is not '
                       'a version predicate like ">=6.0,<7.0"' % text)
        numbers = tuple(int(x) for x in found.group(2).split('.'))
        clauses.append((_VERSION_OPS[found.group(1) or '=='], numbers,
                        bool(found.group(3))))
    return clauses


def _sortable(numbers, size, pre_release=False):
    return tuple(numbers) + (0,) * (size - len(numbers)) + (
        -1 if pre_release else 0,)


def version_ok(hypervisor_version, clauses):
    """A host that reports no version, or a request with no predicate,
    passes."""
    if not hypervisor_version or not clauses:
        return True
    have = version_tuple(int(hypervisor_version))
    for op, need, pre_release in clauses:
        size = max(len(have), len(need))
        if not op(_sortable(have, size), _sortable(need, size, pre_release)):
            return False
    return True


def maxphysaddr_bits(image_props):
    """The physical address bits the image asks for, or None (0 asks for
    nothing)."""
    value = None if image_props is None else image_props.get(
        MAXPHYSADDR_BITS)
    if value is None or value == '':
        return None
    try:
        bits = int(value)
    except (TypeError, ValueError):
        raise exception.InvalidRequest(
            reason='image property %s %r is not a whole number of bits'
                   % (MAXPHYSADDR_BITS, value))
    return bits or None


def bits_ok(cpu_info, bits):
    """Whether a host with `cpu_info` (JSON text or a dict) offers `bits`
    physical address bits; a host that reports none (or no number) passes,
    as nova's filter cannot tell."""
    if not bits:
        return True
    have = compute_capabilities.descend(cpu_info, ('maxphysaddr', 'bits'))
    try:
        have = int(have)
    except (TypeError, ValueError):
        return True
    return not have or have >= bits


class ImagePropertiesFilter(base.VectorFilter):
    """Hosts that support the image's architecture, hypervisor and mode."""

    run_filter_once_per_request = True
    reason = 'host does not support the image properties'

    def _default_arch(self):
        # [filter_scheduler] image_properties_default_architecture, when
        # the deployment registers it: the architecture of images that
        # do not say.
        return getattr(self.conf.filter_scheduler,
                       'image_properties_default_architecture', None)

    def _wanted(self, request):
        """(arch, hv_type, vm_mode) or None, version clauses, bits."""
        props = request.image_props
        want = wanted(props, self._default_arch())
        if not any(want):
            return None, [], None
        required = props and props.get('img_hv_requested_version')
        return (want, parse_predicate(required) if required else [],
                maxphysaddr_bits(props))

    def host_passes(self, host_view, request):
        want, clauses, bits = self._wanted(request)
        if want is None:
            return True
        return (supports(host_view.supported_instances, want)
                and version_ok(host_view.hypervisor_version, clauses)
                and bits_ok(host_view.cpu_info, bits))

    def filter_mask(self, hosts, request):
        want, clauses, bits = self._wanted(request)
        if want is None:
            return base.all_rows(hosts)
        # Hosts share a handful of supported_instances lists, which the
        # state keeps coded: decide once per distinct list and per
        # distinct hypervisor version.
        ok = np.array([supports(s, want) for s in hosts.hv_specs],
                      dtype=bool)
        mask = ok[hosts.hv_spec[:hosts.n]]
        if clauses:
            versions, vcodes = host_columns.distinct(
                hosts.hypervisor_version[:hosts.n])
            vok = np.array([version_ok(v, clauses) for v in versions],
                           dtype=bool)
            if versions:
                mask &= vok[vcodes]
        if bits:
            infos, codes = host_columns.distinct(
                host_columns.column(hosts, 'cpu_info'))
            bok = np.array([bits_ok(i, bits) for i in infos], dtype=bool)
            if infos:
                mask &= bok[codes]
        return mask
