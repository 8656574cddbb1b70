"""The engine benchmark: decisions per second over a synthetic cloud.

Builds a HostState from gantt.bench.synthetic data, then runs the full
decision (the configured filters, every weigher, the subset choice, local
consumption and the Selection objects; no store, so no claims) for a stream
of single-instance requests, timing each one. With ``compare_nova`` the same
data goes to gantt/bench/nova_side.py under the compute controller's
interpreter, which times its own filter and weigher handlers.
"""

import cProfile
import io
import json
import os
import pstats
import time

import numpy as np

from gantt.bench import nova_process
from gantt.bench import synthetic
from gantt import context
from gantt import exception
from gantt import host_manager
from gantt import host_state
from gantt import objects
from gantt import scheduler

NOVA_PYTHON_ENV = nova_process.NOVA_PYTHON_ENV


def build_state(data, default_az, now):
    """A HostState holding the synthetic hosts, aggregates and instances."""
    state = host_state.HostState(capacity=len(data['hosts']) + 1,
                                 default_az=default_az)
    for h in data['hosts']:
        # A host's stats beyond the counters are its facts' extra_stats.
        facts = dict(h, extra_stats=h.get('stats') or {})
        row = state.upsert_node(h['uuid'], h['name'], h['node'], h['cell'],
                                now - h['age'], facts)
        for rc, key, ratio in (('VCPU', 'vcpus', 'cpu_ratio'),
                               ('MEMORY_MB', 'ram', 'ram_ratio'),
                               ('DISK_GB', 'disk', 'disk_ratio')):
            # [min_unit, max_unit, step_size]; the defaults when absent.
            units = (h.get('units') or {}).get(rc, (1, None, 1))
            state.set_inventory(h['uuid'], rc, h[key], h[key + '_reserved'],
                                h[ratio], h[key + '_used'], *units)
        for instance_uuid in h['instances']:
            state.add_instance(instance_uuid, row)
    for agg in data['aggregates']:
        state.set_aggregate(agg['uuid'], agg['name'], agg['hosts'],
                            agg['metadata'])
    return state


def build_specs(data):
    """One gantt RequestSpec per synthetic request."""
    objects.register_all()
    specs = []
    for r in data['requests']:
        name, vcpus, ram, root, ephemeral, swap = r['flavor']
        flavor = objects.Flavor(name=name, flavorid=name, vcpus=vcpus,
                                memory_mb=ram, root_gb=root,
                                ephemeral_gb=ephemeral, swap=swap,
                                extra_specs={})
        props = objects.ImageMetaProps()
        if r['image_arch']:
            props.hw_architecture = r['image_arch']
        spec = objects.RequestSpec(
            instance_uuid=r['instance_uuid'], project_id=r['project_id'],
            user_id=r['user_id'], availability_zone=r['availability_zone'],
            flavor=flavor, image=objects.ImageMeta(properties=props),
            num_instances=1, scheduler_hints={})
        if r['group'] is not None:
            g = data['groups'][r['group']]
            spec.instance_group = objects.InstanceGroup(
                uuid=g['uuid'], name=g['name'], policy=g['policy'],
                members=g['members'], hosts=g['hosts'], rules={},
                project_id=g['project_id'])
        specs.append(spec)
    return specs


def percentiles(times_ms):
    values = np.asarray(times_ms, dtype=np.float64)
    if not values.size:
        return None, None
    return (float(np.percentile(values, 50)),
            float(np.percentile(values, 99)))


def run_gantt(conf, data, warmup=5, profile=False):
    """Time every request of `data` through Scheduler.select_destinations."""
    t0 = time.perf_counter()
    now = time.time()
    state = build_state(data, conf.default_availability_zone, now)
    specs = build_specs(data)
    manager = host_manager.HostManager(conf, None)
    manager.state = state
    # Decide at the instant the hosts were stamped, however long the run:
    # the hosts that are up stay up.
    sched = scheduler.Scheduler(conf, None, manager, clock=lambda: now)
    build_s = time.perf_counter() - t0
    ctxt = context.get_admin_context()
    times, cpu_times, failures = [], [], 0
    profiler = cProfile.Profile() if profile else None
    for k, spec in enumerate(specs):
        if profiler and k == warmup:
            profiler.enable()
        start, cpu_start = time.perf_counter(), time.process_time()
        try:
            sched.select_destinations(ctxt, spec, [spec.instance_uuid])
        except exception.NoValidHost:
            failures += 1
        elapsed = (time.perf_counter() - start) * 1000.0
        cpu = (time.process_time() - cpu_start) * 1000.0
        if k >= warmup or len(specs) <= warmup:
            times.append(elapsed)
            cpu_times.append(cpu)
    result = {'times_ms': times, 'cpu_times_ms': cpu_times,
              'failures': failures, 'build_s': build_s}
    if profiler:
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(
            'cumulative').print_stats(30)
        result['profile'] = out.getvalue()
    return result


nova_python = nova_process.nova_python


def run_nova(data, python, requests):
    """Run nova_side.py under `python` over `data`; returns its result."""
    subset = dict(data, requests=data['requests'][:requests])
    return nova_process.run(python, 'nova_side.py', subset)


def run(conf, hosts, requests, seed=42, compare_nova=False,
        nova_requests=None, nova_python_path=None, profile=False):
    """The whole engine benchmark; returns a dict of figures."""
    data = synthetic.generate(hosts, requests, seed=seed)
    gantt = run_gantt(conf, data, profile=profile)
    p50, p99 = percentiles(gantt['times_ms'])
    cpu50, cpu99 = percentiles(gantt['cpu_times_ms'])
    report = {'hosts': hosts, 'requests': requests, 'p50_ms': p50,
              'p99_ms': p99, 'mean_ms': float(np.mean(gantt['times_ms'])),
              'cpu_p50_ms': cpu50, 'cpu_p99_ms': cpu99,
              'no_valid_host': gantt['failures'],
              'build_s': round(gantt['build_s'], 3),
              'load_avg_1m': os.getloadavg()[0]}
    if profile:
        report['profile'] = gantt['profile']
    if compare_nova:
        count = nova_requests or max(5, min(requests, 100_000 // hosts))
        nova = run_nova(data, nova_python(nova_python_path), count)
        n50, n99 = percentiles(nova['times_ms'])
        ncpu50, _ = percentiles(nova['cpu_times_ms'])
        report.update({'nova_requests': len(nova['times_ms']),
                       'nova_p50_ms': n50, 'nova_p99_ms': n99,
                       'nova_cpu_p50_ms': ncpu50,
                       'nova_no_valid_host': nova['failures'],
                       'speedup': n50 / p50 if p50 else None,
                       'cpu_speedup': ncpu50 / cpu50 if cpu50 else None})
    return report


def format_report(report):
    lines = ['Gantt engine: %(hosts)d hosts, %(requests)d requests: '
             'p50 %(p50_ms).3f ms, p99 %(p99_ms).3f ms, mean %(mean_ms).3f ms '
             '(CPU time p50 %(cpu_p50_ms).3f ms, p99 %(cpu_p99_ms).3f ms; '
             '%(no_valid_host)d without a valid host; state built in '
             '%(build_s).1f s; load average %(load_avg_1m).1f)' % report]
    if 'nova_p50_ms' in report:
        lines.append('nova 34 filters+weighers: %(nova_requests)d requests: '
                     'p50 %(nova_p50_ms).1f ms, p99 %(nova_p99_ms).1f ms '
                     '(CPU time p50 %(nova_cpu_p50_ms).1f ms; '
                     '%(nova_no_valid_host)d without a valid host)' % report)
        lines.append('speedup (p50): %.0fx (CPU time: %.0fx)'
                     % (report['speedup'], report['cpu_speedup']))
    if report.get('profile'):
        lines.append(report['profile'])
    return '\n'.join(lines)


def main(conf, args):
    report = run(conf, args.hosts, args.requests, seed=args.seed,
                 compare_nova=args.compare_nova,
                 nova_requests=args.nova_requests,
                 nova_python_path=args.nova_python, profile=args.profile)
    if args.json:
        report.pop('profile', None)
        print(json.dumps(report))
    else:
        print(format_report(report))
    return 0
