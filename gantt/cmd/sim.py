"""gantt-sim: simulate a cloud against a real Gantt scheduler and report.

By default everything runs in this one process: an in-memory message bus
(kombu's memory broker), a temporary SQLite database, the real scheduler
service, simulated computes and a simulated conductor. With
``--transport-url`` the same computes and conductor talk to a running
gantt-scheduler instead.
"""

import argparse
import logging
import os
import shutil
import sys
import tempfile

from oslo_service import backend

# Before anything imports oslo.messaging (see gantt.service).
if backend.get_backend_type() is None:
    backend.init_backend(backend.BackendType.THREADING)

from gantt import rpc  # noqa: E402

# kombu's in-memory broker, polled gently (see gantt.sim.membus).
EMBEDDED_TRANSPORT = 'kombu+gantt-memory:////'
# The embedded scheduler's service_down_time: longer than any run, so the
# once-reported hosts stay up without periodic re-reports.
EMBEDDED_DOWN_TIME = 3600
REMOTE_REPORT_INTERVAL = 20.0

DESCRIPTION = __doc__.split('\n\n')[0]

EPILOG = """\
Embedded mode (no --transport-url) needs nothing running and removes its
temporary database at the end. Against a running gantt-scheduler, pass
--transport-url (and --topic if it does not listen on "scheduler"), and
--database-connection with the URL of that scheduler's database: the
utilisation and overcommitted_hosts figures are read from it, and loading
waits until every simulated host is stored there. Without it those figures
are reported as null and loading waits on the scheduler's explain answer.
Note that the simulated hosts and their allocations stay in that database.

The default scenario gives every host a NUMA topology and a share of them
GPUs and SR-IOV NICs, and mixes pinned, huge page and PCI flavors into the
requests; the embedded scheduler is configured with the PCI aliases and
filters they need. A running scheduler needs the same in its gantt.conf
(print them with --print-scenario-conf), or use --plain.
"""


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog='gantt-sim', description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--hosts', type=int, default=1000,
                        help='simulated compute nodes (default 1000)')
    parser.add_argument('--requests', type=int, default=2000,
                        help='select_destinations calls (default 2000)')
    parser.add_argument('--concurrency', type=int, default=4,
                        help='conductor threads calling at once (default 4)')
    parser.add_argument('--transport-url', default=None,
                        help='message bus of a running gantt-scheduler, '
                             'e.g. rabbit://guest:guest@127.0.0.1:5672/ '
                             '(default: an embedded scheduler on %s)'
                             % EMBEDDED_TRANSPORT)
    parser.add_argument('--topic', default='scheduler',
                        help='RPC topic of that scheduler (default '
                             '"scheduler")')
    parser.add_argument('--database-connection', default=None,
                        help='database URL; with --transport-url, the '
                             'running scheduler\'s database (read for '
                             'utilisation and overcommit); embedded, where '
                             'to keep the state instead of a temporary '
                             'SQLite file')
    parser.add_argument('--report-interval', type=float, default=None,
                        help='seconds between two reports of each simulated '
                             'compute while requests run (default: 20 with '
                             '--transport-url, keeping hosts up for a '
                             'scheduler with service_down_time 60; 0 '
                             'embedded, where service_down_time is raised '
                             'to %d instead)' % EMBEDDED_DOWN_TIME)
    parser.add_argument('--json', action='store_true',
                        help='print one JSON object on stdout, nothing else')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of the simulated fleet and requests')
    parser.add_argument('--no-progress', action='store_true',
                        help='do not draw progress on stderr')
    parser.add_argument('--plot', metavar='DIR', default=None,
                        help='write PNG charts into DIR: utilisation per '
                             'host over time, decision latency, refusals '
                             'by reason, report staleness (needs '
                             'matplotlib: pip install "gantt[plot]"; '
                             'utilisation and staleness need the '
                             'database, always there when embedded)')
    parser.add_argument('--plain', action='store_true',
                        help='hosts without NUMA topologies or PCI devices '
                             'and no pinned, huge page or PCI flavors')
    parser.add_argument('--print-scenario-conf', action='store_true',
                        help='print the [filter_scheduler] and [pci] '
                             'sections the default scenario needs in the '
                             'scheduler\'s gantt.conf, and exit')
    parser.add_argument('--sample-interval', type=float, default=0.5,
                        help='seconds between two samples of the database '
                             'for --plot (default 0.5)')
    args = parser.parse_args(argv)
    for name in ('hosts', 'requests', 'concurrency'):
        if getattr(args, name) < (0 if name == 'requests' else 1):
            parser.error('--%s must be positive' % name)
    return args


def _conf(args, transport_url, state_path, connection, config_file=None):
    from gantt import conf as gantt_conf
    conf = gantt_conf.build_conf(
        ['--config-file', config_file] if config_file else [])
    conf.set_override('transport_url', transport_url)
    conf.set_override('topic', args.topic, group='scheduler')
    conf.set_override('host', 'gantt-sim')
    if state_path:
        conf.set_override('state_path', state_path)
    if connection:
        conf.set_override('connection', connection, group='database')
    return conf


def _scratch_dir():
    """Where the throw-away database goes: memory-backed when possible.

    Every claim is a committed transaction, and on a disk each commit and
    WAL checkpoint waits for it; the demo's database is deleted at the end
    anyway, so nothing is lost by keeping it in memory.
    """
    shm = '/dev/shm'
    if os.path.isdir(shm) and os.access(shm, os.W_OK):
        return shm
    return None


def run_embedded(args):
    """Migrate, serve, simulate and report, all in this process."""
    from gantt.db import api as db_api
    from gantt.db import migration
    from gantt import service
    from gantt.sim import membus
    from gantt.sim import scenario
    from gantt.sim import simulation

    workdir = tempfile.mkdtemp(prefix='gantt-sim-', dir=_scratch_dir())
    svc = transport = db = None
    try:
        connection = args.database_connection or 'sqlite:///%s' % (
            os.path.join(workdir, 'gantt.sqlite'))
        membus.register()
        config_file = None
        if not args.plain:
            # Configured as an operator would: a file with the aliases.
            config_file = os.path.join(workdir, 'gantt.conf')
            with open(config_file, 'w') as f:
                f.write(scenario.conf_text())
        conf = _conf(args, EMBEDDED_TRANSPORT, workdir, connection,
                     config_file)
        conf.set_override('service_down_time', EMBEDDED_DOWN_TIME)
        # The in-memory bus has no heartbeats; asking for them only warns.
        conf.set_override('heartbeat_timeout_threshold', 0,
                          group='oslo_messaging_rabbit')
        db = db_api.Database(conf)
        migration.upgrade(conf, 'head', database=db)
        svc = service.SchedulerService(conf)
        svc.start()
        transport = rpc.get_transport(conf)
        sim = simulation.Simulation(
            conf, transport, args.hosts, args.requests,
            concurrency=args.concurrency, seed=args.seed, db=db,
            show_progress=not args.no_progress,
            report_interval=args.report_interval or 0,
            sample_interval=args.sample_interval if args.plot else None,
            numa=not args.plain)
        return _plot(args, sim, sim.run())
    finally:
        if svc is not None:
            svc.stop()
        if transport is not None:
            transport.cleanup()
        if db is not None:
            db.dispose()
        shutil.rmtree(workdir, ignore_errors=True)


def run_remote(args):
    """Simulate against a gantt-scheduler listening on args.transport_url."""
    from gantt.db import api as db_api
    from gantt.sim import simulation

    conf = _conf(args, args.transport_url, None, args.database_connection)
    db = db_api.Database(conf) if args.database_connection else None
    transport = rpc.get_transport(conf)
    try:
        sim = simulation.Simulation(
            conf, transport, args.hosts, args.requests,
            concurrency=args.concurrency, seed=args.seed, db=db,
            show_progress=not args.no_progress,
            report_interval=(REMOTE_REPORT_INTERVAL
                             if args.report_interval is None
                             else args.report_interval),
            sample_interval=args.sample_interval if args.plot else None,
            numa=not args.plain)
        return _plot(args, sim, sim.run())
    finally:
        transport.cleanup()
        if db is not None:
            db.dispose()


def _plot(args, sim, report):
    """Write the charts when --plot was given; returns ``report``."""
    if args.plot:
        from gantt.sim import plot
        samples = sim.sampler.samples if sim.sampler is not None else None
        for path in plot.write_all(args.plot, sim.results, samples):
            sys.stderr.write('wrote %s\n' % path)
    return report


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.print_scenario_conf:
        from gantt.sim import scenario
        sys.stdout.write(scenario.conf_text())
        return 0
    rpc.filter_eventlet_warnings()
    rpc.settle_idle_polling()
    # Warnings from the service (ignored reports, lost claims) go to
    # stderr; stdout carries the report only.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING,
                        format='%(levelname)s %(name)s: %(message)s')
    # kombu says it falls back to localhost for every in-memory connection.
    logging.getLogger('kombu.connection').setLevel(logging.ERROR)
    if args.plot:
        # Fail before the run, not after it.
        from gantt.sim import plot
        try:
            plot.check_available()
        except RuntimeError as exc:
            sys.stderr.write('gantt-sim: %s\n' % exc)
            return 1
    try:
        if args.transport_url:
            report = run_remote(args)
        else:
            report = run_embedded(args)
    except (RuntimeError, OSError) as exc:
        sys.stderr.write('gantt-sim: %s\n' % exc)
        return 1
    sys.stdout.write((report.as_json() if args.json else report.as_text())
                     + '\n')
    sys.stdout.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main())
