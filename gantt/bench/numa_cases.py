"""Random NUMA hosts and pinned, huge page and PCI requests, and Gantt's
verdicts on them.

:func:`generate` makes JSON-ready cases (hosts with cells, sibling threads,
page pools, pinned CPUs, PCI devices and pools; flavors and images asking
for every policy gantt.numa_request reads) that gantt/bench/nova_numa.py
hands to the compute controller's own fitting code; :func:`gantt_verdicts`
answers the same questions with NUMATopologyFilter and
PciPassthroughFilter's code. :func:`compare` counts the agreement.
"""

import random

from gantt import exception
from gantt import numa_fit
from gantt import numa_request
from gantt import pci_pools
from gantt import request as request_mod

ALIASES = [
    '{"name": "nic", "vendor_id": "8086", "product_id": "154c", '
    '"device_type": "type-VF"}',
    '{"name": "pf", "vendor_id": "8086", "product_id": "1572", '
    '"device_type": "type-PF", "numa_policy": "preferred"}',
    '{"name": "gpu", "vendor_id": "10de", "product_id": "1eb8", '
    '"numa_policy": "required"}',
]
PHYSNETS = ['physnet1', 'physnet2', None]


def _cell(rng, cell_id, first_cpu, socket):
    threads = rng.choice((1, 2, 2))
    cores = rng.randint(2, 6)
    cpus = list(range(first_cpu, first_cpu + threads * cores))
    siblings = [cpus[i:i + threads] for i in range(0, len(cpus), threads)]
    mode = rng.choice(('dedicated', 'shared', 'split', 'split'))
    if mode == 'dedicated':
        dedicated = cpus
    elif mode == 'shared':
        dedicated = []
    else:
        cut = threads * rng.randint(1, cores - 1)
        dedicated = cpus[cut:]
    shared = [c for c in cpus if c not in dedicated]
    pinned = sorted(rng.sample(dedicated, rng.randint(0, len(dedicated))
                               if rng.random() < 0.6 else 0))
    memory = rng.choice((4096, 8192, 16384, 32768))
    pages = [{'size_kb': 4, 'total': memory * 256,
              'used': rng.randint(0, memory * 128), 'reserved': 0}]
    if rng.random() < 0.7:
        total = rng.choice((0, 256, 1024, 2048, 4096))
        pages.append({'size_kb': 2048, 'total': total,
                      'used': rng.randint(0, total),
                      'reserved': rng.choice((0, 0, 16))})
    if rng.random() < 0.3:
        total = rng.randint(0, 8)
        pages.append({'size_kb': 1048576, 'total': total,
                      'used': rng.randint(0, total), 'reserved': 0})
    if rng.random() < 0.2:
        pages = []
    return {'id': cell_id, 'cpuset': shared, 'pcpuset': dedicated,
            'siblings': siblings, 'memory': memory,
            'memory_usage': rng.randint(0, memory),
            'cpu_usage': rng.randint(0, 2 * len(shared) + 1),
            'pinned_cpus': pinned, 'mempages': pages, 'socket': socket}


def _devices(rng, n_cells):
    devices = []

    def node():
        return rng.choice(list(range(n_cells)) + [None])

    for pf in range(rng.randint(0, 2)):
        pf_addr = '0000:%02x:00.0' % (0x81 + pf)
        numa = node()
        physnet = rng.choice(PHYSNETS)
        vfs = rng.randint(0, 4)
        if vfs == 0 or rng.random() < 0.3:
            devices.append({'address': pf_addr, 'vendor_id': '8086',
                            'product_id': '1572', 'dev_type': 'type-PF',
                            'numa_node': numa, 'physical_network': physnet,
                            'status': 'available' if vfs == 0
                            else 'unavailable'})
        for vf in range(vfs):
            devices.append({
                'address': '0000:%02x:00.%d' % (0x81 + pf, vf + 1),
                'vendor_id': '8086', 'product_id': '154c',
                'dev_type': 'type-VF', 'parent_addr': pf_addr,
                'numa_node': numa, 'physical_network': physnet,
                'trusted': rng.choice((None, True, False)),
                'status': rng.choice(('available',) * 4 + ('allocated',))})
    for gpu in range(rng.randint(0, 2)):
        devices.append({'address': '0000:%02x:00.0' % (0x3b + gpu),
                        'vendor_id': '10de', 'product_id': '1eb8',
                        'dev_type': 'type-PCI', 'numa_node': node(),
                        'status': rng.choice(('available',) * 3
                                             + ('allocated',))})
    return devices


def random_host(rng, index):
    n_cells = rng.choice((0, 1, 2, 2, 4))
    cells, first = [], 0
    sockets = rng.random() < 0.9
    for cell_id in range(n_cells):
        cell = _cell(rng, cell_id, first, cell_id // 2 if sockets else None)
        first += len(cell['cpuset']) + len(cell['pcpuset'])
        cells.append(cell)
    devices = _devices(rng, max(n_cells, 1))
    return {'name': 'compute%05d' % index, 'cells': cells,
            'devices': devices,
            'pools': [{'props': p.props, 'count': p.count}
                      for p in pci_pools.pools(devices)],
            'cpu_ratio': rng.choice((1.0, 4.0, 16.0)),
            'ram_ratio': rng.choice((1.0, 1.5))}


def random_request(rng):
    vcpus = rng.choice((1, 2, 2, 4, 4, 6, 8))
    memory = rng.choice((512, 1024, 2048, 4096, 8192))
    specs, props = {}, {}
    policy = rng.choice((None, 'shared', 'dedicated', 'dedicated', 'mixed',
                         'pcpu'))
    if policy == 'pcpu':
        specs['resources:PCPU'] = str(vcpus)
    elif policy:
        specs['hw:cpu_policy'] = policy
    if policy == 'mixed' and rng.random() < 0.9:
        specs['hw:cpu_dedicated_mask'] = rng.choice(('^0', '0', '1-2'))
    if policy in ('dedicated', 'mixed', 'pcpu') or rng.random() < 0.05:
        threads = rng.choice((None, 'prefer', 'isolate', 'require'))
        if threads:
            specs['hw:cpu_thread_policy'] = threads
        if rng.random() < 0.2 and policy != 'pcpu':
            specs['hw:emulator_threads_policy'] = 'isolate'
    if rng.random() < 0.4:
        specs['hw:numa_nodes'] = str(rng.choice((1, 2, 2, 3)))
        if rng.random() < 0.5:
            memory = 4096
    page = rng.choice((None, None, 'small', 'large', 'any', '2048', '1GB'))
    if page:
        specs['hw:mem_page_size'] = page
    if rng.random() < 0.4:
        specs['pci_passthrough:alias'] = rng.choice(
            ('nic:1', 'nic:2', 'gpu:1', 'pf:1', 'nic:1,gpu:1', 'nic:3'))
        if rng.random() < 0.4:
            specs['hw:pci_numa_affinity_policy'] = rng.choice(
                ('required', 'legacy', 'preferred', 'socket'))
    if rng.random() < 0.1:
        props['hw_cpu_policy'] = rng.choice(('dedicated', 'shared'))
    if rng.random() < 0.1:
        props['hw_mem_page_size'] = rng.choice(('2048', 'small'))
    if rng.random() < 0.05:
        props['hw_cpu_thread_policy'] = rng.choice(('prefer', 'isolate'))
    return {'vcpus': vcpus, 'memory_mb': memory, 'extra_specs': specs,
            'image_props': props}


def generate(seed, n_hosts, n_requests):
    rng = random.Random(seed)
    return {'aliases': ALIASES,
            'hosts': [random_host(rng, i) for i in range(n_hosts)],
            'requests': [random_request(rng) for _ in range(n_requests)]}


def constraints(req):
    """The request's numa_request.Constraints, or the InvalidRequest."""
    flavor = request_mod.Flavor('f', 'f', req['vcpus'], req['memory_mb'],
                                1, 0, 0, dict(req['extra_specs']))
    typed = {k: v for k, v in req['image_props'].items()
             if k in request_mod._TYPED_PROPS}
    extra = {k: v for k, v in req['image_props'].items() if k not in typed}
    try:
        return numa_request.constraints(
            flavor, request_mod.ImageProps(typed, extra), ALIASES)
    except exception.InvalidRequest as e:
        return e


def host_values(host):
    """(HostCells, Pools) of a host dict."""
    return (numa_fit.host_cells_from_dicts(host['cells']),
            pci_pools.pools(host['devices']))


def passes(cells, pools, c, cpu_ratio, ram_ratio):
    """NUMATopologyFilter and PciPassthroughFilter's verdict on a host."""
    if c.topology is not None and numa_fit.fit(
            cells, c.topology, cpu_ratio, ram_ratio, pools, c.pci) is None:
        return False
    if c.pci and not pci_pools.support(pools, c.pci):
        return False
    return True


def gantt_verdicts(data):
    """Per request: 'refused', or the list of host names that pass."""
    hosts = [(h['name'], host_values(h), h['cpu_ratio'], h['ram_ratio'])
             for h in data['hosts']]
    out = []
    for req in data['requests']:
        c = constraints(req)
        if isinstance(c, Exception):
            out.append('refused')
            continue
        out.append([name for name, (cells, pools), cr, rr in hosts
                    if passes(cells, pools, c, cr, rr)])
    return out


def compare(data, gantt, nova):
    """{'pairs', 'agree', 'mismatches': [...]} over every (request, host)
    (a refused request counts once per host)."""
    names = [h['name'] for h in data['hosts']]
    pairs = agree = 0
    mismatches = []
    for i, (g, n) in enumerate(zip(gantt, nova)):
        for name in names:
            pairs += 1
            g_ok = None if g == 'refused' else name in g
            n_ok = None if n == 'refused' else name in n
            if g_ok == n_ok:
                agree += 1
            elif len(mismatches) < 20:
                mismatches.append({'request': i, 'host': name,
                                   'gantt': g_ok, 'nova': n_ok})
    return {'pairs': pairs, 'agree': agree, 'mismatches': mismatches,
            'mismatch_count': pairs - agree}
