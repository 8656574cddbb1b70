"""What a flavor and an image ask of a host's NUMA cells and PCI devices.

:func:`constraints` reads the ``hw:`` extra specs, their ``hw_`` image
equivalents, ``resources:PCPU``/``resources:VCPU`` and
``pci_passthrough:alias`` (with the aliases of ``[pci] alias``) and the
PCI requests a RequestSpec carries beside them (a port's SR-IOV device)
once, into a frozen :class:`Constraints`: the instance NUMA topology to
fit (None when nothing asks for one) and the PCI requests. The rules
follow the compute controller's (its numa_get_constraints and PCI alias
reading); a request that contradicts itself raises InvalidRequest naming
the keys, before any host is looked at.
"""

import functools
import json
import re
import typing

from oslo_utils import strutils

from gantt import exception

# Page size requests that name no size (sizes themselves are in KiB).
PAGES_SMALL = -1
PAGES_LARGE = -2
PAGES_ANY = -3
_PAGE_WORDS = {'small': PAGES_SMALL, 'large': PAGES_LARGE, 'any': PAGES_ANY}

SHARED, DEDICATED, MIXED = 'shared', 'dedicated', 'mixed'
CPU_POLICIES = (SHARED, DEDICATED, MIXED)
PREFER, ISOLATE, REQUIRE = 'prefer', 'isolate', 'require'
THREAD_POLICIES = (PREFER, ISOLATE, REQUIRE)
EMULATOR_POLICIES = ('share', 'isolate')
PCI_REQUIRED, PCI_LEGACY, PCI_PREFERRED, PCI_SOCKET = (
    'required', 'legacy', 'preferred', 'socket')
PCI_POLICIES = (PCI_REQUIRED, PCI_LEGACY, PCI_PREFERRED, PCI_SOCKET)
PCI_DEVICE_TYPES = ('type-PCI', 'type-PF', 'type-VF')

# The most guest NUMA nodes hw:numa_cpus.N / hw:numa_mem.N are read for.
MAX_NODES = 128


class InstanceCell(typing.NamedTuple):
    """One guest NUMA node: its shared and dedicated vCPUs, and MiB."""

    id: int
    cpuset: frozenset
    pcpuset: frozenset
    memory: int


class Topology(typing.NamedTuple):
    """The guest NUMA topology to fit; one policy for every cell."""

    cells: tuple
    cpu_policy: typing.Optional[str]
    thread_policy: typing.Optional[str]
    emulator_threads_policy: typing.Optional[str]
    pagesize: typing.Optional[int]

    @property
    def pinned(self):
        return self.cpu_policy in (DEDICATED, MIXED)

    @property
    def emulator_threads_isolated(self):
        return self.emulator_threads_policy == 'isolate'


class PciRequest(typing.NamedTuple):
    """``count`` devices matching any of ``specs`` (dicts of wanted
    values), with a NUMA affinity policy; of a flavor alias, or of the
    port ``requester_id`` (alias_name None)."""

    alias_name: typing.Optional[str]
    count: int
    specs: tuple
    numa_policy: typing.Optional[str]
    requester_id: typing.Optional[str] = None

    @property
    def key(self):
        """The alias name, or the port: what the devices are listed
        under in a claimed topology."""
        return self.alias_name or self.requester_id or 'pci'

    @property
    def label(self):
        """What the request is called in a refusal."""
        if self.alias_name:
            return 'PCI alias %s' % self.alias_name
        wanted = ', '.join('%s=%s' % kv for spec in self.specs
                           for kv in sorted(spec.items()))
        return 'port %s (%s)' % (self.requester_id or '(unnamed)', wanted)


class Constraints(typing.NamedTuple):
    topology: typing.Optional[Topology]
    pci: tuple

    @property
    def empty(self):
        return self.topology is None and not self.pci


NONE = Constraints(None, ())


def _refuse(reason):
    raise exception.InvalidRequest(reason=reason)


def parse_cpu_spec(spec, key):
    """The CPU numbers of a spec such as ``0-3,^2,5``; InvalidRequest
    naming `key` when it is malformed."""
    included, excluded = set(), set()
    for part in str(spec).split(','):
        part = part.strip()
        if not part:
            continue
        target = included
        if part.startswith('^'):
            target, part = excluded, part[1:].strip()
        match = re.fullmatch(r'(\d+)(?:\s*-\s*(\d+))?', part)
        if not match:
            _refuse('%s: %r is not a CPU list such as "0-3,^2"'
                    % (key, spec))
        low = int(match.group(1))
        high = int(match.group(2)) if match.group(2) else low
        if high < low or (target is excluded and match.group(2)):
            _refuse('%s: %r is not a CPU list such as "0-3,^2"'
                    % (key, spec))
        target.update(range(low, high + 1))
    return included - excluded


def _both(specs, props, name):
    """(flavor value of hw:<name>, image value of hw_<name>)."""
    image = props.get('hw_' + name) if props is not None else None
    return specs.get('hw:' + name), image


def _choice(value, allowed, key):
    if value is not None and value not in allowed:
        _refuse('%s=%s is not one of %s' % (key, value, ', '.join(allowed)))
    return value


def cpu_policy(specs, props):
    """The CPU policy; the image may narrow the flavor's, never widen it."""
    flavor, image = _both(specs, props, 'cpu_policy')
    _choice(flavor or None, CPU_POLICIES, 'hw:cpu_policy')
    _choice(image or None, CPU_POLICIES, 'hw_cpu_policy')
    forbidden = {DEDICATED: (), MIXED: (DEDICATED,),
                 SHARED: (MIXED, DEDICATED)}
    if flavor:
        if image in forbidden[flavor]:
            _refuse('image property hw_cpu_policy=%s contradicts flavor '
                    'extra spec hw:cpu_policy=%s' % (image, flavor))
        return flavor
    return image or None


def thread_policy(specs, props):
    flavor, image = _both(specs, props, 'cpu_thread_policy')
    _choice(flavor or None, THREAD_POLICIES, 'hw:cpu_thread_policy')
    _choice(image or None, THREAD_POLICIES, 'hw_cpu_thread_policy')
    if flavor in (None, '', PREFER):
        return flavor or image or None
    if image and image != flavor:
        _refuse('image property hw_cpu_thread_policy=%s contradicts flavor '
                'extra spec hw:cpu_thread_policy=%s' % (image, flavor))
    return flavor


def _resource_counts(specs):
    """(VCPU, PCPU) asked through resources[N]:VCPU / resources[N]:PCPU."""
    counts = {'VCPU': 0, 'PCPU': 0}
    for key, value in specs.items():
        match = re.fullmatch(r'resources([1-9][0-9]*)?:(VCPU|PCPU)', key)
        if match:
            try:
                counts[match.group(2)] += int(value)
            except ValueError:
                _refuse('%s=%r is not an integer' % (key, value))
    return counts['VCPU'], counts['PCPU']


def _hyperthreading_trait(specs, props):
    for key, value in specs.items():
        if re.fullmatch(r'trait([1-9][0-9]*)?:HW_CPU_HYPERTHREADING', key):
            return key, value
    required = props.get('traits_required') if props is not None else None
    if required and 'HW_CPU_HYPERTHREADING' in required:
        return 'image traits_required', 'required'
    return None, None


def dedicated_mask(specs, vcpus):
    mask = specs.get('hw:cpu_dedicated_mask')
    if not mask:
        return None
    if mask.strip().startswith('^'):
        pcpus = parse_cpu_spec('0-%d,%s' % (vcpus - 1, mask),
                               'hw:cpu_dedicated_mask')
    else:
        pcpus = parse_cpu_spec(mask, 'hw:cpu_dedicated_mask')
    cpus = set(range(vcpus))
    if not pcpus or not cpus - pcpus:
        _refuse('hw:cpu_dedicated_mask=%s must leave at least one of the '
                'flavor\'s %d vCPUs shared and dedicate at least one'
                % (mask, vcpus))
    if not pcpus <= cpus:
        _refuse('hw:cpu_dedicated_mask=%s names vCPUs %s beyond the '
                'flavor\'s %d' % (mask, sorted(pcpus - cpus), vcpus))
    return pcpus


def page_size(specs, props):
    """The page size asked (KiB, or a PAGES_* word), or None."""
    flavor, image = _both(specs, props, 'mem_page_size')
    if not flavor and image:
        _refuse('image property hw_mem_page_size=%s needs the flavor to '
                'allow it (hw:mem_page_size=large or any)' % image)
    if not flavor:
        return None
    size = _page_value(flavor, 'hw:mem_page_size')
    if image and size in (PAGES_ANY, PAGES_LARGE):
        return _page_value(image, 'hw_mem_page_size')
    if image:
        _refuse('image property hw_mem_page_size=%s contradicts flavor '
                'extra spec hw:mem_page_size=%s' % (image, flavor))
    return size


def _page_value(text, key):
    text = str(text)
    if text in _PAGE_WORDS:
        return _PAGE_WORDS[text]
    if text.isdigit():
        return int(text)
    try:
        return strutils.string_to_bytes(text, return_int=True) / 1024
    except ValueError:
        _refuse('%s=%s is not small, large, any or a page size such as '
                '2048 or 1GB' % (key, text))


def _node_count(specs, props):
    flavor, image = _both(specs, props, 'numa_nodes')
    if flavor and image:
        _refuse('image property hw_numa_nodes may not be set when the '
                'flavor sets hw:numa_nodes')
    nodes = flavor or image
    if nodes is not None and (not strutils.is_int_like(nodes)
                              or int(nodes) < 1):
        _refuse('hw:numa_nodes=%r is not a positive integer' % (nodes,))
    return int(nodes) if nodes else None


def _per_node(source, prefix, parse):
    values = []
    for node in range(MAX_NODES):
        key = '%s.%d' % (prefix, node)
        value = source.get(key) if source is not None else None
        if value is None:
            break
        values.append(parse(value, key))
    return values or None


def _parse_int(value, key):
    try:
        return int(value)
    except (TypeError, ValueError):
        _refuse('%s=%r is not an integer (MiB)' % (key, value))


def _node_lists(specs, props):
    """The per-node CPU sets and memory, from the flavor or the image."""
    found = []
    for flavor_key, image_key, parse in (
            ('hw:numa_cpus', 'hw_numa_cpus', parse_cpu_spec),
            ('hw:numa_mem', 'hw_numa_mem', _parse_int)):
        from_flavor = _per_node(specs, flavor_key, parse)
        from_image = _per_node(props, image_key, parse)
        if from_flavor is not None and from_image is not None:
            _refuse('image properties %s.N may not be set when the flavor '
                    'sets %s.N' % (image_key, flavor_key))
        found.append(from_flavor if from_flavor is not None else from_image)
    return found


def _auto_cells(nodes, vcpus, memory_mb, pcpus):
    if vcpus % nodes or memory_mb % nodes:
        _refuse('hw:numa_nodes=%d does not divide the flavor\'s %d vCPUs '
                'and %d MiB evenly; give hw:numa_cpus.N and hw:numa_mem.N'
                % (nodes, vcpus, memory_mb))
    per_cpu, per_mem = vcpus // nodes, memory_mb // nodes
    cells = []
    for node in range(nodes):
        cpus = frozenset(range(node * per_cpu, (node + 1) * per_cpu))
        cells.append(InstanceCell(node, cpus - pcpus, cpus & pcpus, per_mem))
    return tuple(cells)


def _manual_cells(nodes, vcpus, memory_mb, pcpus, cpu_list, mem_list):
    if len(cpu_list) != nodes or len(mem_list) != nodes:
        _refuse('hw:numa_cpus.N and hw:numa_mem.N must be given for each '
                'of the %d nodes of hw:numa_nodes' % nodes)
    left = set(range(vcpus))
    cells = []
    for node in range(nodes):
        cpus = cpu_list[node]
        for cpu in sorted(cpus):
            if cpu > vcpus - 1:
                _refuse('hw:numa_cpus.%d names vCPU %d; the flavor has '
                        'vCPUs 0-%d' % (node, cpu, vcpus - 1))
            if cpu not in left:
                _refuse('hw:numa_cpus.%d names vCPU %d, already given to '
                        'another node' % (node, cpu))
            left.discard(cpu)
        cpus = frozenset(cpus)
        cells.append(InstanceCell(node, cpus - pcpus, cpus & pcpus,
                                  mem_list[node]))
    if left:
        _refuse('hw:numa_cpus.N leaves vCPUs %s on no node' % sorted(left))
    total = sum(mem_list)
    if total != memory_mb:
        _refuse('hw:numa_mem.N adds up to %d MiB, the flavor has %d'
                % (total, memory_mb))
    return tuple(cells)


def topology(flavor, props):
    """The guest NUMA topology `flavor` (gantt.request.Flavor) and image
    `props` ask for, or None."""
    specs = flavor.extra_specs
    policy = cpu_policy(specs, props)
    threads = thread_policy(specs, props)
    if specs.get('hw:cpu_realtime') and strutils.bool_from_string(
            specs.get('hw:cpu_realtime')):
        _refuse('hw:cpu_realtime is not supported by this scheduler')
    pcpus = dedicated_mask(specs, flavor.vcpus)
    emulator = _choice(specs.get('hw:emulator_threads_policy') or None,
                       EMULATOR_POLICIES, 'hw:emulator_threads_policy')
    want_vcpu, want_pcpu = _resource_counts(specs)
    if policy and (want_vcpu or want_pcpu):
        _refuse('resources:VCPU or resources:PCPU may not be combined with '
                'hw:cpu_policy (or image hw_cpu_policy); use one or the '
                'other')
    if want_vcpu and want_pcpu:
        _refuse('resources:VCPU and resources:PCPU may not both be given')
    if want_pcpu:
        # Pinning is implied when PCPU stands for the flavor's vCPUs (+1
        # for isolated emulator threads); any other PCPU count is a plain
        # resource request (nova refuses it; Gantt keeps placing it).
        expected = flavor.vcpus + (1 if emulator == 'isolate' else 0)
        if want_pcpu == expected:
            policy = DEDICATED
        else:
            want_pcpu = 0
    if want_vcpu:
        policy = SHARED
    trait_key, trait = _hyperthreading_trait(specs, props)
    if threads and trait:
        _refuse('%s may not be combined with hw:cpu_thread_policy (or '
                'image hw_cpu_thread_policy)' % trait_key)
    if trait == 'forbidden':
        threads = ISOLATE
    elif trait == 'required':
        threads = REQUIRE
    if policy in (SHARED, None):
        if threads:
            _refuse('hw:cpu_thread_policy=%s needs hw:cpu_policy=dedicated '
                    'or mixed' % threads)
        if emulator == 'isolate':
            _refuse('hw:emulator_threads_policy=isolate needs '
                    'hw:cpu_policy=dedicated or mixed')
        if pcpus:
            _refuse('hw:cpu_dedicated_mask needs hw:cpu_policy=mixed')
    elif policy == DEDICATED:
        if pcpus:
            _refuse('hw:cpu_dedicated_mask needs hw:cpu_policy=mixed, not '
                    'dedicated')
        pcpus = set(range(flavor.vcpus))
    elif not pcpus:
        _refuse('hw:cpu_policy=mixed needs hw:cpu_dedicated_mask')
    nodes = _node_count(specs, props)
    pagesize = page_size(specs, props)
    locked, locked_image = _both(specs, props, 'locked_memory')
    if locked is not None and locked_image is not None and (
            strutils.bool_from_string(locked)
            != strutils.bool_from_string(locked_image)):
        _refuse('image property hw_locked_memory contradicts flavor extra '
                'spec hw:locked_memory')
    if strutils.bool_from_string(locked if locked is not None
                                 else locked_image) and not pagesize:
        _refuse('hw:locked_memory needs hw:mem_page_size')
    if not (nodes or pagesize or policy in (DEDICATED, MIXED)):
        return None
    pcpus = frozenset(pcpus or ())
    nodes = nodes or 1
    cpu_list, mem_list = _node_lists(specs, props)
    if cpu_list is None and mem_list is None:
        cells = _auto_cells(nodes, flavor.vcpus, flavor.memory_mb, pcpus)
    elif cpu_list is not None and mem_list is not None:
        cells = _manual_cells(nodes, flavor.vcpus, flavor.memory_mb, pcpus,
                              cpu_list, mem_list)
    else:
        _refuse('hw:numa_cpus.N and hw:numa_mem.N must be given together')
    return Topology(cells, policy, threads, emulator, pagesize)


def pci_numa_policy(specs, props):
    flavor, image = _both(specs, props, 'pci_numa_affinity_policy')
    if flavor and image and flavor != image:
        _refuse('image property hw_pci_numa_affinity_policy=%s contradicts '
                'flavor extra spec hw:pci_numa_affinity_policy=%s'
                % (image, flavor))
    policy = flavor or image
    return _choice(policy or None, PCI_POLICIES,
                   'hw:pci_numa_affinity_policy')


def parse_aliases(entries):
    """{name: (numa_policy, [spec, ...])} from ``[pci] alias`` entries;
    InvalidRequest naming the entry when one is malformed. Read once per
    distinct configuration (every request with devices asks)."""
    return _parse_aliases(tuple(entries or ()))


@functools.lru_cache(maxsize=8)
def _parse_aliases(entries):
    aliases = {}
    allowed = {'name', 'capability_type', 'product_id', 'vendor_id',
               'device_type', 'numa_policy', 'resource_class', 'traits',
               'live_migratable', 'physical_network', 'trusted',
               'remote_managed'}
    for text in entries:
        try:
            spec = json.loads(text)
        except ValueError as e:
            _refuse('[pci] alias %r is not JSON: %s' % (text, e))
        if not isinstance(spec, dict) or not spec.get('name'):
            _refuse('[pci] alias %r has no name' % (text,))
        unknown = set(spec) - allowed
        if unknown:
            _refuse('[pci] alias %r has unknown keys %s'
                    % (text, sorted(unknown)))
        name = str(spec.pop('name')).strip()
        policy = spec.pop('numa_policy', None) or PCI_LEGACY
        _choice(policy, PCI_POLICIES, '[pci] alias %s numa_policy' % name)
        dev_type = spec.pop('device_type', None)
        if dev_type:
            _choice(dev_type, PCI_DEVICE_TYPES,
                    '[pci] alias %s device_type' % name)
            spec['dev_type'] = dev_type
        spec.pop('capability_type', None)
        if 'vendor_id' not in spec or 'product_id' not in spec:
            _refuse('[pci] alias %s needs vendor_id and product_id' % name)
        if name in aliases:
            if aliases[name][0] != policy:
                _refuse('[pci] alias %s: entries differ in numa_policy'
                        % name)
            if aliases[name][1][0].get('dev_type') != spec.get('dev_type'):
                _refuse('[pci] alias %s: entries differ in device_type'
                        % name)
            aliases[name][1].append(spec)
        else:
            aliases[name] = (policy, [spec])
    return aliases


def pci_requests(specs, props, aliases):
    """The PciRequests of ``pci_passthrough:alias`` (``a1:2,a2:1``)."""
    text = specs.get('pci_passthrough:alias')
    if not text:
        return ()
    policy = pci_numa_policy(specs, props)
    requests = []
    for part in text.split(','):
        name, sep, count = part.partition(':')
        name = name.strip()
        if not sep or not count.strip().isdigit() or int(count) < 1:
            _refuse('pci_passthrough:alias=%s: %r is not "name:count"'
                    % (text, part))
        if name not in aliases:
            _refuse('pci_passthrough:alias=%s names alias %r, which [pci] '
                    'alias does not define' % (text, name))
        alias_policy, alias_specs = aliases[name]
        requests.append(PciRequest(
            name, int(count), tuple(dict(s) for s in alias_specs),
            policy or alias_policy))
    return tuple(requests)


def given_pci_requests(entries):
    """The PciRequests of a RequestSpec's ``pci_requests`` (dicts of an
    InstancePCIRequest's fields), in order; InvalidRequest naming the
    entry when one is malformed."""
    requests = []
    for index, entry in enumerate(entries or ()):
        where = 'pci_requests[%d]' % index
        count = entry.get('count')
        if isinstance(count, bool) or not isinstance(count, int) or (
                count < 1):
            _refuse('%s: count=%r is not a positive integer'
                    % (where, count))
        specs = entry.get('spec')
        if not specs or not isinstance(specs, (list, tuple)) or not all(
                isinstance(s, dict) for s in specs):
            _refuse('%s: spec=%r is not a list of device properties such '
                    'as [{"physical_network": "physnet1"}]' % (where, specs))
        policy = entry.get('numa_policy') or None
        _choice(policy, PCI_POLICIES, where + ': numa_policy')
        requests.append(PciRequest(
            entry.get('alias_name') or None, count,
            tuple(dict(s) for s in specs), policy,
            entry.get('requester_id') or entry.get('request_id')))
    return tuple(requests)


def constraints(flavor, props, alias_entries=(), given=()):
    """The Constraints of a flavor, image properties and the PCI
    requests ``given`` beside them (dicts, see given_pci_requests); NONE
    when they ask for neither a NUMA topology nor PCI devices.

    Given requests of a flavor alias (alias_name set: the caller resolved
    the flavor's ``pci_passthrough:alias`` with its own aliases, as the
    compute controller does) stand for the flavor's; without any, the
    flavor's are read with ``alias_entries``. Given requests of ports
    (no alias_name) are asked on top, claimed like the aliases'.
    """
    specs = flavor.extra_specs
    if not given and not any(
            k.startswith(('hw:', 'resources', 'trait', 'pci_'))
            for k in specs) and not _image_asks(props):
        return NONE
    topo = topology(flavor, props)
    extra = given_pci_requests(given)
    resolved = tuple(r for r in extra if r.alias_name)
    if resolved:
        pci_numa_policy(specs, props)
        pci = resolved
    else:
        pci = pci_requests(specs, props, parse_aliases(alias_entries))
    pci += tuple(r for r in extra if not r.alias_name)
    if topo is None and not pci:
        pci_numa_policy(specs, props)
        return NONE
    return Constraints(topo, pci)


def _image_asks(props):
    if props is None:
        return False
    if any(v is not None for k, v in props.typed.items()
           if k.startswith('hw_') or k == 'traits_required'):
        return True
    return any(k.startswith('hw_') for k in props.extra)
