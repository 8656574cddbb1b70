"""``gantt-bench numa``: NUMATopologyFilter and PciPassthroughFilter over
many hosts, against nova 34's, and ``gantt-bench numa-verdicts``: how often
the two agree over random cases.

The hosts are gantt.bench.numa_cases' random NUMA hosts (cells with
threads, dedicated and shared CPUs, page pools, PCI PFs, VFs and GPUs) in
one HostState; the requests are pinned, huge page and PCI flavors. A
Gantt decision here is reading the request's constraints, both filters'
masks over every host (cheap columns, then the exact fit on survivors)
and PCIWeigher's scores of the survivors; nova's is its
numa_get_constraints and PCI alias reading and both filters' host_passes
on every host, run in its own virtualenv over the same hosts.
"""

import json
import random
import time

import numpy as np

from gantt.bench import nova_process
from gantt.bench import numa_cases
from gantt.filters import numa_topology
from gantt.filters import pci_passthrough
from gantt import host_state as host_state_mod
from gantt import request as request_mod
from gantt.weighers import pci as pci_weigher

# The flavors timed: pinned, huge pages and PCI devices, alone and mixed.
FLAVORS = [
    {'vcpus': 4, 'memory_mb': 4096, 'image_props': {},
     'extra_specs': {'hw:cpu_policy': 'dedicated',
                     'hw:mem_page_size': 'large'}},
    {'vcpus': 2, 'memory_mb': 2048, 'image_props': {},
     'extra_specs': {'hw:cpu_policy': 'dedicated',
                     'hw:cpu_thread_policy': 'require',
                     'pci_passthrough:alias': 'nic:1'}},
    {'vcpus': 4, 'memory_mb': 4096, 'image_props': {},
     'extra_specs': {'hw:cpu_policy': 'dedicated', 'hw:numa_nodes': '2',
                     'hw:mem_page_size': '2048',
                     'pci_passthrough:alias': 'nic:1',
                     'hw:pci_numa_affinity_policy': 'preferred'}},
    {'vcpus': 4, 'memory_mb': 2048, 'image_props': {},
     'extra_specs': {'hw:cpu_policy': 'mixed',
                     'hw:cpu_dedicated_mask': '^0',
                     'pci_passthrough:alias': 'gpu:1'}},
    {'vcpus': 2, 'memory_mb': 1024, 'image_props': {},
     'extra_specs': {'hw:cpu_policy': 'dedicated',
                     'hw:cpu_thread_policy': 'isolate',
                     'hw:emulator_threads_policy': 'isolate',
                     'hw:mem_page_size': 'any'}},
]


def hosts_state(hosts):
    """A HostState holding the host dicts of numa_cases.random_host."""
    state = host_state_mod.HostState(capacity=max(64, len(hosts)))
    for i, h in enumerate(hosts):
        uuid = '00000000-0000-4000-8000-%012d' % i
        cells, pools = numa_cases.host_values(h)
        state.upsert_node(uuid, h['name'], h['name'], None, 0.0,
                          {'numa_cells': cells, 'pci_pools': pools})
        state.set_inventory(uuid, 'VCPU', 64, ratio=h['cpu_ratio'])
        state.set_inventory(uuid, 'MEMORY_MB', 131072, ratio=h['ram_ratio'])
    return state


class _Conf(object):
    class pci(object):
        alias = numa_cases.ALIASES

    class filter_scheduler(object):
        pci_weight_multiplier = 1.0


def _request(flavor):
    return request_mod.Request(
        now=0.0, resources={}, hints={},
        flavor=request_mod.Flavor('f', 'f', flavor['vcpus'],
                                  flavor['memory_mb'], 1, 0, 0,
                                  dict(flavor['extra_specs'])),
        extra_specs={}, image=request_mod.Image(None, None, None),
        image_props=None, instance_group=None, project_id=None,
        user_id=None, instance_uuid=None, num_instances=1,
        availability_zone=None, is_bfv=False, ignore_hosts=(),
        force_hosts=(), force_nodes=(), retry_hosts=(),
        requested_destination=None, limits={}, groups=None, conf=_Conf,
        placing=request_mod.Placing())


def decide(state, filters, weigher, flavor):
    """One decision's survivors (host names) over `state`."""
    request = _request(flavor)
    request = request._replace(numa=numa_cases.constraints(flavor))
    mask = state.valid[:state.n].copy()
    for f in filters:
        mask &= f.filter_mask(state, request)
    rows = np.flatnonzero(mask)
    if len(rows):
        weigher.raw_weights(state, rows, request)
    return [state.hosts[r] for r in rows]


def _percentile(values, q):
    return float(np.percentile(np.asarray(values) * 1000.0, q))


def run(n_hosts, n_requests, nova_requests, seed, nova_python):
    rng = random.Random(seed)
    hosts = [numa_cases.random_host(rng, i) for i in range(n_hosts)]
    state = hosts_state(hosts)
    filters = [numa_topology.NUMATopologyFilter(_Conf),
               pci_passthrough.PciPassthroughFilter(_Conf)]
    weigher = pci_weigher.PCIWeigher(_Conf)
    flavors = [FLAVORS[i % len(FLAVORS)] for i in range(n_requests)]
    seconds, verdicts = [], []
    for flavor in flavors:
        started = time.perf_counter()
        verdicts.append(decide(state, filters, weigher, flavor))
        seconds.append(time.perf_counter() - started)
    report = {'hosts': n_hosts, 'requests': n_requests,
              'p50_ms': _percentile(seconds, 50),
              'p99_ms': _percentile(seconds, 99),
              'passing_hosts_mean': float(np.mean([len(v)
                                                   for v in verdicts]))}
    if nova_python:
        nova_flavors = flavors[:nova_requests]
        got = nova_process.run(nova_python, 'nova_numa.py', {
            'aliases': numa_cases.ALIASES, 'hosts': hosts,
            'requests': nova_flavors, 'time': True})
        report['nova_requests'] = len(nova_flavors)
        report['nova_p50_ms'] = _percentile(got['seconds'], 50)
        report['nova_p99_ms'] = _percentile(got['seconds'], 99)
        report['speedup'] = report['nova_p50_ms'] / report['p50_ms']
        report['mismatches'] = sum(
            len(set(g) ^ set(n)) for g, n in zip(verdicts, got['verdicts']))
    return report


def verdicts_run(cases, seed, n_hosts, n_requests, nova_python):
    """Agreement of Gantt and nova over `cases` random case sets."""
    total = {'pairs': 0, 'agree': 0, 'mismatch_count': 0, 'mismatches': [],
             'refused_requests': 0, 'passing_pairs': 0}
    for k in range(cases):
        data = numa_cases.generate(seed + k, n_hosts, n_requests)
        gantt = numa_cases.gantt_verdicts(data)
        nova = nova_process.run(nova_python, 'nova_numa.py',
                                data)['verdicts']
        got = numa_cases.compare(data, gantt, nova)
        for key in ('pairs', 'agree', 'mismatch_count'):
            total[key] += got[key]
        total['mismatches'] += [dict(m, seed=seed + k,
                                     request_body=data['requests'][
                                         m['request']])
                                for m in got['mismatches']]
        total['refused_requests'] += sum(1 for g in gantt if g == 'refused')
        total['passing_pairs'] += sum(len(g) for g in gantt
                                      if g != 'refused')
    return total


def add_parser(subparsers):
    p = subparsers.add_parser(
        'numa', help='time NUMATopologyFilter and PciPassthroughFilter '
                     'over many NUMA hosts, against nova 34')
    p.add_argument('--hosts', type=int, default=10000)
    p.add_argument('--requests', type=int, default=100)
    p.add_argument('--nova-requests', type=int, default=5,
                   help='requests timed on the nova side (default 5, one '
                        'of each flavor; nova takes seconds per request '
                        'at 10,000 hosts)')
    p.add_argument('--seed', type=int, default=42)
    p.add_argument('--no-nova', action='store_true')
    p.add_argument('--nova-python', default=None,
                   help='interpreter of a virtualenv with nova installed '
                        '(default: $%s)' % nova_process.NOVA_PYTHON_ENV)
    p.add_argument('--json', action='store_true')
    p.set_defaults(func=main)
    v = subparsers.add_parser(
        'numa-verdicts', help='count how often Gantt and nova 34 agree on '
                              'which NUMA hosts fit random requests')
    v.add_argument('--cases', type=int, default=5)
    v.add_argument('--seed', type=int, default=1)
    v.add_argument('--hosts', type=int, default=40)
    v.add_argument('--requests', type=int, default=100)
    v.add_argument('--nova-python', default=None)
    v.add_argument('--json', action='store_true')
    v.set_defaults(func=verdicts_main)


def main(args):
    python = None if args.no_nova else nova_process.nova_python(
        args.nova_python)
    report = run(args.hosts, args.requests, args.nova_requests, args.seed,
                 python)
    if args.json:
        print(json.dumps(report))
    else:
        for key, value in report.items():
            print('%-20s %s' % (key, round(value, 3)
                                if isinstance(value, float) else value))
    return 0


def verdicts_main(args):
    report = verdicts_run(args.cases, args.seed, args.hosts, args.requests,
                          nova_process.nova_python(args.nova_python))
    if args.json:
        print(json.dumps(report))
    else:
        print('agreement: %d of %d (request, host) verdicts; %d requests '
              'refused by both; %d pairs pass'
              % (report['agree'], report['pairs'],
                 report['refused_requests'], report['passing_pairs']))
        for m in report['mismatches'][:10]:
            print('  differ:', json.dumps(m))
    return 1 if report['mismatch_count'] else 0
