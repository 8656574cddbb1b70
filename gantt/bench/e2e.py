"""End-to-end benchmark: a real gantt-scheduler daemon on a real RabbitMQ.

Starts gantt-scheduler with [scheduler] workers = W on its own topic
and database, loads N simulated hosts through report casts, warms every
worker up, then C conductor threads send R claiming select_destinations
calls; reports latency percentiles, decisions per second and the CPU
each decision cost the client, the workers and a local broker.

Two floors put those figures in proportion: ``--rpc-floor`` times ping
calls through the same daemon (the round trip alone), and
``--interface-floor`` times the same select_destinations calls against
processes that answer without scheduling (gantt.bench.interface_floor):
the versioned objects and the round trip, which no scheduler can beat.
"""

import os
import sys
import time

from gantt.bench import runner


def add_parser(subparsers):
    """Register the ``e2e`` subcommand on gantt-bench's subparsers."""
    p = subparsers.add_parser(
        'e2e', help='time select_destinations through a real '
                    'gantt-scheduler daemon on RabbitMQ',
        description=__doc__)
    p.add_argument('--hosts', type=int, required=True,
                   help='simulated compute nodes to load')
    runner.add_daemon_options(
        p, workers_help='[scheduler] workers of the daemon (default 1)',
        database_help='database of the daemon (default: a SQLite file in '
                      'a temporary directory, under $TMPDIR if set); its '
                      'state is left in place')
    p.add_argument('--clients', type=int, default=4,
                   help='concurrent conductor threads (default 4)')
    p.add_argument('--requests', type=int, default=1000,
                   help='select_destinations calls to time (default 1000)')
    p.add_argument('--rpc-floor', action='store_true',
                   help='afterwards, time as many ping calls from the same '
                        'clients: the cost of the RPC round trip alone')
    p.add_argument('--interface-floor', action='store_true',
                   help='afterwards, stop the daemon and time as many '
                        'select_destinations calls against as many '
                        'processes that answer at once without scheduling: '
                        'the cost of the interface and the transport')
    p.set_defaults(func=run)
    return p


def warm_up(sim, workers, expected, timeout=300.0):
    """Explain until 2 * workers answers in a row see every host.

    Each worker reads all hosts from the database on its first decision;
    this keeps that one-off cost out of the timed calls.
    """
    deadline = time.monotonic() + timeout
    streak = 0
    seen = 0
    while streak < 2 * workers:
        if time.monotonic() > deadline:
            raise RuntimeError('the scheduler saw %d of %d hosts after '
                               '%.0f s' % (seen, expected, timeout))
        seen = sim.scheduler_host_count()
        streak = streak + 1 if seen >= expected else 0
        if seen < expected:
            time.sleep(0.2)
    return seen


def measure(args, stderr=None):
    """Run the benchmark; a dict of figures."""
    from gantt.bench import cpu
    from gantt.bench import interface_floor
    from gantt import rpc
    from gantt.sim import simulation

    stderr = stderr or sys.stderr
    # The conductor threads run in this process, which is Gantt's own.
    rpc.settle_idle_polling()
    url = runner.transport_url(args)
    with runner.scheduler_daemon(args, 'gantt-bench-e2e-', stderr) as run:
        sim = simulation.Simulation(
            run.conf, run.transport, args.hosts, args.requests,
            concurrency=args.clients, seed=args.seed, db=run.db,
            show_progress=not args.no_progress)
        sim.load()
        start = time.monotonic()
        warm_up(sim, args.workers, args.hosts)
        warm_s = time.monotonic() - start
        pids = run.pids
        if not args.no_progress:
            stderr.write('%-10s %d workers (pids %s) see %d hosts, %.1fs\n' % (
                'warm-up', len(pids), ' '.join(map(str, sorted(pids))),
                args.hosts, warm_s))
        meter = cpu.CpuMeter(pids, cpu.find_broker_pid()).start()
        sim.schedule()
        # Read now: building the report reads the whole database.
        cpu_figures = meter.per_decision(args.requests)
        figures = sim.report().as_dict()
        figures.update({'workers': args.workers, 'clients': args.clients,
                        'cpu_ms_per_decision': cpu_figures,
                        'daemon_ready_s': round(run.ready_s, 2),
                        'warm_up_s': round(warm_s, 2),
                        'reports_resent': sim.resent,
                        'dialect': run.db.engine.dialect.name,
                        'transport': runner.safe_url(url)})
        if args.rpc_floor:
            figures['rpc_floor'] = rpc_floor(
                sim.scheduler, pids, args.clients, args.requests)
        if args.interface_floor:
            # The daemon's idle workers would only add noise.
            run.proc.stop()
            floor = figures['interface_floor'] = interface_floor.measure(
                url, os.path.join(run.workdir, 'floor'),
                args.workers, args.clients, args.requests, seed=args.seed)
            figures['floor_decisions_per_s'] = floor['decisions_per_s']
            figures['ratio_to_floor'] = (
                round(figures['decisions_per_s'] / floor['decisions_per_s'],
                      3) if floor['decisions_per_s'] else None)
        return figures


def rpc_floor(scheduler, pids, clients, calls):
    """Latency, rate and CPU of ``calls`` pings from ``clients`` threads.

    A ping does no scheduling work, so this is what the transport,
    serialisation and RPC dispatch cost on their own.
    """
    import threading

    from gantt.bench import cpu
    from gantt import context
    from gantt.sim import report

    ctxt = context.get_admin_context()
    latencies = []
    lock = threading.Lock()
    share = [calls // clients + (1 if i < calls % clients else 0)
             for i in range(clients)]

    def client(count):
        for _ in range(count):
            start = time.perf_counter()
            scheduler.ping(ctxt)
            elapsed = (time.perf_counter() - start) * 1000.0
            with lock:
                latencies.append(elapsed)

    meter = cpu.CpuMeter(pids, cpu.find_broker_pid()).start()
    threads = [threading.Thread(target=client, args=(n,), daemon=True)
               for n in share]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return {'calls': len(latencies),
            'p50_ms': round(report.percentile(latencies, 50), 2),
            'p99_ms': round(report.percentile(latencies, 99), 2),
            'calls_per_s': round(len(latencies) / elapsed, 2),
            'cpu_ms_per_call': meter.per_decision(len(latencies))}


def format_text(f):
    lines = [
        'Gantt end to end: %(hosts)d hosts, %(workers)d workers, '
        '%(clients)d clients, %(requests)d requests' % f +
        (', %s' % f['dialect'] if f.get('dialect') else ''),
        '  latency p50 %s ms, p99 %s ms, max %s ms' % (
            f['p50_ms'], f['p99_ms'], f['max_ms']),
        '  %s decisions/s; placed %d, no valid host %d, errors %d' % (
            f['decisions_per_s'], f['placed'], f['no_valid_host'],
            f['errors']),
        '  hosts loaded in %s s; overcommitted hosts: %s' % (
            f['load_s'], f['overcommitted_hosts']),
        runner.cpu_line('decision', 'scheduler workers',
                        f['cpu_ms_per_decision']),
    ]
    floor = f.get('rpc_floor')
    if floor:
        lines += ['  RPC floor (ping from the same clients): p50 %(p50_ms)s '
                  'ms, %(calls_per_s)s calls/s' % floor,
                  runner.cpu_line('ping', 'scheduler workers',
                                  floor['cpu_ms_per_call'])]
    floor = f.get('interface_floor')
    if floor:
        lines += ['  interface floor (the same calls, answered without '
                  'scheduling): p50 %(p50_ms)s ms, p99 %(p99_ms)s ms, '
                  '%(decisions_per_s)s decisions/s, errors %(errors)s' % floor,
                  runner.cpu_line('decision', 'floor workers',
                                  floor['cpu_ms_per_decision'])]
        lines += ['  floor error: %s' % e
                  for e in floor.get('error_samples', [])]
    lines += ['  error: %s' % e for e in f['error_samples']]
    return '\n'.join(lines)


def run(args):
    return runner.run_command('e2e', args, measure, format_text,
                              lambda figures: 0 if not figures['errors']
                              else 2)


def main(argv=None):
    """Run the e2e benchmark alone (``python -m gantt.bench.e2e``)."""
    import argparse
    parser = argparse.ArgumentParser(prog='gantt-bench')
    add_parser(parser.add_subparsers(dest='command', required=True))
    args = parser.parse_args(['e2e'] + list(
        sys.argv[1:] if argv is None else argv))
    return args.func(args)


if __name__ == '__main__':
    sys.exit(main())
