"""The candidates benchmark: decisions over hosts with provider trees.

Builds the engine benchmark's synthetic cloud and, with ``--nested``, gives
every host two NUMA children (PCPU) and one GPU child (VGPU); each request
then asks ``resources1:VGPU=1`` beside its flavor. Each decision is timed
through Scheduler.select_destinations: filters, candidates, weighers, the
choice, local accounting and Selections with allocation requests (no store,
so no claims).
"""

import argparse
import json
import os
import random
import time

from gantt.bench import engine
from gantt.bench import synthetic
from gantt import context
from gantt import exception
from gantt import host_manager
from gantt import scheduler

GPU_TRAIT = 'CUSTOM_GPU_BENCH'
NUMA_PCPU = 16
GPUS = 8


def _child_uuid(rng):
    return synthetic._uuid(rng)


def build_providers(state, data, nested, seed):
    """Give each host of ``state`` its tree (children when nested)."""
    rng = random.Random(seed)
    for h in data['hosts']:
        tree = [{'uuid': h['uuid'], 'traits': ['HW_CPU_X86_AVX2']}]
        if nested:
            for k in range(2):
                tree.append({
                    'uuid': _child_uuid(rng), 'name': 'numa%d' % k,
                    'parent_provider_uuid': h['uuid'],
                    'inventories': {'PCPU': {
                        'total': NUMA_PCPU, 'reserved': 0,
                        'allocation_ratio': 1.0,
                        'used': rng.randrange(NUMA_PCPU + 1)}}})
            tree.append({
                'uuid': _child_uuid(rng), 'name': 'gpu0',
                'parent_provider_uuid': tree[1]['uuid'],
                'traits': [GPU_TRAIT],
                'inventories': {'VGPU': {
                    'total': GPUS, 'reserved': 0, 'allocation_ratio': 1.0,
                    'used': rng.randrange(GPUS + 1)}}})
        state.set_tree(h['uuid'], tree)


def build_specs(data, nested):
    specs = engine.build_specs(data)
    for spec in specs:
        extra = {'trait:HW_CPU_X86_AVX2': 'required'}
        if nested:
            extra.update({'resources1:VGPU': '1',
                          'trait1:%s' % GPU_TRAIT: 'required'})
        spec.flavor.extra_specs = extra
    return specs


def run(conf, hosts, requests, nested=False, seed=42, warmup=5):
    data = synthetic.generate(hosts, requests, seed=seed)
    t0 = time.perf_counter()
    # The clock stands still, as in the engine benchmark: the hosts built
    # stay up however long building and timing take.
    now = time.time()
    state = engine.build_state(data, conf.default_availability_zone, now)
    manager = host_manager.HostManager(conf, None)
    build_providers(state, data, nested, seed)
    manager.state = state
    specs = build_specs(data, nested)
    sched = scheduler.Scheduler(conf, None, manager,
                                clock=lambda: now)
    build_s = time.perf_counter() - t0
    ctxt = context.get_admin_context()
    times, cpu_times, failures, nested_picks = [], [], 0, 0
    for k, spec in enumerate(specs):
        start, cpu_start = time.perf_counter(), time.process_time()
        try:
            result = sched.select_destinations(ctxt, spec,
                                               [spec.instance_uuid])
        except exception.NoValidHost:
            failures += 1
            result = None
        elapsed = (time.perf_counter() - start) * 1000.0
        cpu = (time.process_time() - cpu_start) * 1000.0
        if result:
            alloc = json.loads(result[0][0].allocation_request)
            nested_picks += len(alloc['allocations']) > 1
        if k >= warmup or len(specs) <= warmup:
            times.append(elapsed)
            cpu_times.append(cpu)
    p50, p99 = engine.percentiles(times)
    cpu50, cpu99 = engine.percentiles(cpu_times)
    return {'hosts': hosts, 'requests': requests, 'nested': nested,
            'p50_ms': p50, 'p99_ms': p99, 'cpu_p50_ms': cpu50,
            'cpu_p99_ms': cpu99,
            'no_valid_host': failures,
            'placed_on_child_providers': nested_picks,
            'build_s': round(build_s, 3),
            'load_avg_1m': os.getloadavg()[0]}


def format_report(report):
    return ('Gantt candidates: %(hosts)d hosts (nested=%(nested)s), '
            '%(requests)d requests: p50 %(p50_ms).3f ms, p99 %(p99_ms).3f ms '
            '(CPU time p50 %(cpu_p50_ms).3f ms; '
            '%(no_valid_host)d without a valid host, '
            '%(placed_on_child_providers)d placed using child providers; '
            'state built in %(build_s).1f s; load average '
            '%(load_avg_1m).1f)' % report)


def main(conf, args):
    report = run(conf, args.hosts, args.requests, nested=args.nested,
                 seed=args.seed)
    print(json.dumps(report) if args.json else format_report(report))
    return 0


def add_parser(subparsers, func=None):
    """Register ``candidates`` on gantt-bench's subparsers."""
    p = subparsers.add_parser(
        'candidates', help='time decisions that compute allocation '
                           'candidates over provider trees',
        description=__doc__)
    p.add_argument('--hosts', type=int, required=True,
                   help='number of synthetic compute nodes')
    p.add_argument('--requests', type=int, default=200,
                   help='single-instance requests to time (default 200)')
    p.add_argument('--nested', action='store_true',
                   help='two NUMA children and one GPU child per host, and '
                        'a numbered VGPU group in every request')
    p.add_argument('--seed', type=int, default=42)
    p.add_argument('--json', action='store_true',
                   help='print one JSON object (hosts, p50_ms, p99_ms, ...)')
    if func is not None:
        p.set_defaults(func=func)
    return p


def cli(argv):
    """Run without gantt-bench (for tools): parse argv, build conf, run."""
    from gantt import conf as gantt_conf
    parser = argparse.ArgumentParser(prog='gantt-bench')
    sub = parser.add_subparsers(dest='command', required=True)
    add_parser(sub)
    args = parser.parse_args(['candidates'] + list(argv))
    return main(gantt_conf.build_conf([]), args)
