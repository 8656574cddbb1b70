"""Report intake benchmark: update_resource_stats casts into a real daemon.

Starts gantt-scheduler (``--workers`` W) on its own topic and database,
and times, from one compute-like sender in this process:

* load: every one of N hosts reporting for the first time;
* burst: every host re-reporting at once (a new sequence, the same facts,
  as computes do every period): reports per second until each is visible
  in the change feed, and the CPU each report cost;
* staleness at a steady N/60 reports per second, then at doubling rates
  while they hold: the time from a compute's cast until a scheduling
  decision can see the report (the change feed returns it), p50 and p99.

The report floor (gantt.bench.report_floor) then takes the same burst in
as many processes that deserialise, check and drop each report: the
figures of the interface and the transport alone.
"""

import os
import sys
import threading
import time

from gantt.bench import runner

#: A rate holds when its reports are all visible within this many seconds
#: of the last one sent and the p99 staleness stays under HOLD_P99_MS.
HOLD_DRAIN_S = 2.0
HOLD_P99_MS = 1000.0


def add_parser(subparsers):
    """Register the ``reports`` subcommand on gantt-bench's subparsers."""
    p = subparsers.add_parser(
        'reports', help='time update_resource_stats intake through a real '
                        'gantt-scheduler daemon against the report floor',
        description=__doc__)
    p.add_argument('--hosts', type=int, required=True,
                   help='simulated compute nodes')
    runner.add_daemon_options(
        p, workers_help='[scheduler] workers of the daemon, and report '
                        'floor processes (default 1)',
        database_help='database of the daemon (default: a SQLite file in '
                      'a temporary directory)')
    p.add_argument('--steady-seconds', type=float, default=20.0,
                   help='how long to report at N/60 per second (default 20)')
    p.add_argument('--ramp-seconds', type=float, default=8.0,
                   help='how long each doubled rate is tried (default 8; '
                        '0 skips the ramp)')
    p.add_argument('--no-floor', action='store_true',
                   help='skip the report floor')
    p.set_defaults(func=run)
    return p


def dialect(url):
    """The backend name of a database URL ('sqlite', 'postgresql', ...)."""
    import sqlalchemy as sa
    return sa.engine.make_url(url).get_backend_name()


class FeedWatch(object):
    """Follows the change feed's compute node rows like a worker does and
    notes when each awaited (node, report sequence) becomes visible."""

    def __init__(self, db, interval=0.01):
        import sqlalchemy as sa

        from gantt.db import models

        nodes = models.ComputeNode.__table__
        self._query = (sa.select(nodes.c.uuid, nodes.c.report_seq)
                       .where(nodes.c.change_seq > sa.bindparam('since')))
        self.db = db
        self.interval = interval
        self.watermark = db.current_seq()
        self._lock = threading.Lock()
        self._awaited = {}
        self.latencies_ms = []
        self.seen = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name='bench-feed-watch')

    def expect(self, uuid, report_seq, sent_at):
        with self._lock:
            self._awaited[uuid] = (report_seq, sent_at)

    def reset(self):
        with self._lock:
            self.latencies_ms = []
            self.seen = 0

    def pending(self):
        with self._lock:
            return len(self._awaited)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join()

    def poll(self):
        from gantt.db import change_seq

        with self.db.engine.connect() as conn:
            horizon = change_seq.horizon(conn)
            conn.commit()
            if horizon <= self.watermark:
                return
            rows = conn.execute(self._query,
                                {'since': self.watermark}).all()
        now = time.monotonic()
        with self._lock:
            for uuid, report_seq in rows:
                awaited = self._awaited.get(uuid)
                if awaited is not None and report_seq >= awaited[0]:
                    del self._awaited[uuid]
                    self.latencies_ms.append((now - awaited[1]) * 1000.0)
                    self.seen += 1
        self.watermark = horizon

    def _run(self):
        while not self._stop.wait(self.interval):
            self.poll()

    def wait(self, timeout):
        """Until nothing awaited is unseen; False on timeout."""
        deadline = time.monotonic() + timeout
        while self.pending():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True


class Casts(object):
    """update_resource_stats casts as a compute sends them, each report
    serialised once by the ReportClient's own serializer: a re-report
    only moves the sequence in that primitive, so this one sender costs
    little per cast and the receivers, not it, set the pace."""

    def __init__(self, conf, transport, ctxt, nodes):
        import oslo_messaging

        from gantt import rpc
        from gantt.rpcapi import report as report_api

        reports = report_api.ReportClient(conf, transport)
        version = reports._newest_sendable('1.1', '1.0')
        serializer = reports.client.serializer
        self.ctxt = serializer.serialize_context(ctxt)
        self.primitives = [serializer.serialize_entity(ctxt, node)
                           for node in nodes]
        self.uuids = [node.uuid for node in nodes]
        self.reports = reports
        self.cast = rpc.get_client(
            conf, transport, namespace=report_api.NAMESPACE,
            version=version,
            serializer=oslo_messaging.NoOpSerializer()).prepare(
                version=version).cast

    def __len__(self):
        return len(self.primitives)

    def send(self, i, watch=None):
        """Cast report ``i`` again, one sequence newer, awaited by
        ``watch`` (if given) from just before it is sent."""
        data = self.primitives[i]['versioned_object.data']
        data['report_seq'] += 1
        if watch is not None:
            watch.expect(self.uuids[i], data['report_seq'], time.monotonic())
        self.cast(self.ctxt, 'update_resource_stats',
                  compute_node=self.primitives[i])


def _send(casts, indexes, rate=None, watch=None):
    """Send casts ``indexes``, paced at ``rate`` per second if given;
    the seconds sending took."""
    start = time.monotonic()
    for n, i in enumerate(indexes):
        if rate:
            due = start + n / rate
            ahead = due - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)
        casts.send(i, watch)
    return time.monotonic() - start


def _staleness(latencies):
    from gantt.sim import report

    return {'p50_ms': _round(report.percentile(latencies, 50)),
            'p99_ms': _round(report.percentile(latencies, 99)),
            'max_ms': _round(max(latencies) if latencies else None)}


def _round(value):
    return None if value is None else round(value, 1)


def _timed(casts, watch, meter, timeout):
    """Send every report at once; (reports/s, CPU per report, casts
    sent per second) once all are visible."""
    watch.reset()
    start = time.monotonic()
    meter.start()
    sent_s = _send(casts, range(len(casts)), watch=watch)
    if not watch.wait(timeout):
        raise RuntimeError('%d of %d reports not visible after %.0f s' % (
            watch.pending(), len(casts), timeout))
    elapsed = time.monotonic() - start
    return (round(len(casts) / elapsed, 1), meter.per_decision(len(casts)),
            round(len(casts) / sent_s, 1))


def _at_rate(casts, rate, seconds, watch):
    """Report at ``rate`` per second for ``seconds``; the staleness and
    whether the rate held."""
    count = max(1, int(rate * seconds))
    watch.reset()
    sent_s = _send(casts, [i % len(casts) for i in range(count)],
                   rate=rate, watch=watch)
    drained = watch.wait(HOLD_DRAIN_S + max(0.0, seconds - sent_s))
    figures = _staleness(watch.latencies_ms)
    figures.update({'rate_per_s': round(rate, 1), 'reports': count,
                    'sent_per_s': round(count / sent_s, 1),
                    'visible': watch.seen})
    figures['held'] = bool(drained and figures['p99_ms'] is not None and
                           figures['p99_ms'] < HOLD_P99_MS and
                           count / sent_s >= 0.9 * rate)
    if not drained:
        watch.wait(600)
    return figures


def measure(args, stderr=None):
    """Run the benchmark; a dict of figures."""
    from gantt.bench import cpu
    from gantt import context
    from gantt import rpc
    from gantt.sim import computes

    stderr = stderr or sys.stderr

    def say(text):
        if not args.no_progress:
            stderr.write(text + '\n')
            stderr.flush()

    rpc.settle_idle_polling()
    url = runner.transport_url(args)
    ctxt = context.get_admin_context()
    timeout = max(300.0, args.hosts / 20.0)
    watch = None
    with runner.scheduler_daemon(args, 'gantt-bench-reports-',
                                 stderr) as run:
        figures = {'hosts': args.hosts, 'workers': args.workers,
                   'dialect': dialect(run.proc.connection),
                   'transport': runner.safe_url(url)}
        try:
            start = time.monotonic()
            fleet = computes.Fleet(args.hosts, seed=args.seed)
            # The first report of each node carries the fleet's first
            # sequence.
            for node in fleet.nodes:
                node.report_seq -= 1
            casts = Casts(run.conf, run.transport, ctxt, fleet.nodes)
            say('fleet      %d hosts built, %.1fs' % (
                args.hosts, time.monotonic() - start))
            for agg in fleet.aggregates:
                casts.reports.update_aggregates(ctxt, [agg])
            watch = FeedWatch(run.db).start()
            meter = cpu.CpuMeter(run.pids, cpu.find_broker_pid())
            rate, cpu_ms, sent = _timed(casts, watch, meter, timeout)
            figures['load'] = {'reports_per_s': rate,
                               'cpu_ms_per_report': cpu_ms,
                               'sent_per_s': sent}
            say('load       %s reports/s (first reports; sent at %s/s)' % (
                rate, sent))
            rate, cpu_ms, sent = _timed(casts, watch, meter, timeout)
            figures.update({'reports_per_s': rate,
                            'cpu_ms_per_report': cpu_ms, 'sent_per_s': sent})
            say('burst      %s reports/s (re-reports, unchanged facts; sent '
                'at %s/s)' % (rate, sent))
            _rates(args, figures, casts, watch, say)
        finally:
            if watch is not None:
                watch.stop()
        if not args.no_floor:
            run.proc.stop()
            # As long as Gantt's own burst may take: at 100,000 hosts the
            # floor too needs more than five minutes on a busy machine.
            figures['floor'] = floor(url, os.path.join(run.workdir, 'floor'),
                                     args.workers, fleet.nodes, casts, ctxt,
                                     timeout=timeout)
            figures['floor_reports_per_s'] = figures['floor']['reports_per_s']
            figures['ratio_to_floor'] = round(
                figures['reports_per_s'] / figures['floor_reports_per_s'], 3)
            say('floor      %s reports/s' % figures['floor_reports_per_s'])
        return figures


def _rates(args, figures, casts, watch, say):
    """Staleness at N/60 reports per second, then at doubling rates while
    they hold; into ``figures``."""
    steady = args.hosts / 60.0
    figures['steady'] = _at_rate(casts, steady, args.steady_seconds, watch)
    figures['staleness_p50_ms'] = figures['steady']['p50_ms']
    figures['staleness_p99_ms'] = figures['steady']['p99_ms']
    say('steady     %s/s: staleness p50 %s ms, p99 %s ms' % (
        figures['steady']['rate_per_s'], figures['steady']['p50_ms'],
        figures['steady']['p99_ms']))
    ramp = []
    best = figures['steady'] if figures['steady']['held'] else None
    trial = steady * 2
    while args.ramp_seconds > 0 and best is not None and (
            trial <= figures['reports_per_s'] * 1.5):
        step = _at_rate(casts, trial, args.ramp_seconds, watch)
        ramp.append(step)
        say('ramp       %s/s: staleness p50 %s ms, p99 %s ms, %s' % (
            step['rate_per_s'], step['p50_ms'], step['p99_ms'],
            'held' if step['held'] else 'did not hold'))
        if not step['held']:
            break
        best = step
        trial *= 2
    figures['ramp'] = ramp
    figures['highest_rate_held'] = best


def floor(url, workdir, workers, nodes, casts, ctxt, timeout=300.0):
    """The same burst of re-reports (``casts``' primitives, one sequence
    newer) into report-floor processes."""
    from gantt.bench import cpu
    from gantt.bench import report_floor

    servers = report_floor.ReportFloorServers(workdir, url, workers=workers)
    with runner.floor_servers(servers) as (conf, transport, pids):
        to_floor = Casts(conf, transport, ctxt, nodes)
        for mine, theirs in zip(to_floor.primitives, casts.primitives):
            mine['versioned_object.data']['report_seq'] = (
                theirs['versioned_object.data']['report_seq'])
        meter = cpu.CpuMeter(pids, cpu.find_broker_pid()).start()
        start = time.monotonic()
        sent_s = _send(to_floor, range(len(to_floor)))
        deadline = start + timeout
        while report_floor.received(workdir) < len(nodes):
            if time.monotonic() > deadline:
                raise RuntimeError('the report floor took %d of %d reports '
                                   'in %.0f s' % (
                                       report_floor.received(workdir),
                                       len(nodes), timeout))
            time.sleep(0.01)
        elapsed = time.monotonic() - start
        return {'reports_per_s': round(len(nodes) / elapsed, 1),
                'cpu_ms_per_report': meter.per_decision(len(nodes)),
                'sent_per_s': round(len(nodes) / sent_s, 1)}


def format_text(f):
    lines = ['Gantt report intake: %(hosts)d hosts, %(workers)d workers, '
             '%(dialect)s' % f,
             '  first reports: %s reports/s' % f['load']['reports_per_s'],
             '  re-reports: %s reports/s' % f['reports_per_s'],
             runner.cpu_line('report', 'scheduler workers',
                             f['cpu_ms_per_report'])]
    if 'floor' in f:
        lines += ['  report floor: %s reports/s; Gantt at %.0f%% of it' % (
            f['floor_reports_per_s'], 100 * f['ratio_to_floor']),
            runner.cpu_line('report', 'floor workers',
                            f['floor']['cpu_ms_per_report'])]
    s = f['steady']
    lines.append('  staleness at %s reports/s (N/60 s): p50 %s ms, p99 %s '
                 'ms' % (s['rate_per_s'], s['p50_ms'], s['p99_ms']))
    best = f['highest_rate_held']
    if best:
        lines.append('  highest rate held: %s reports/s, staleness p50 %s '
                     'ms, p99 %s ms' % (best['rate_per_s'], best['p50_ms'],
                                        best['p99_ms']))
    else:
        lines.append('  N/60 s did not hold')
    return '\n'.join(lines)


def run(args):
    return runner.run_command('reports', args, measure, format_text)
