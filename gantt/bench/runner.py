"""What the benchmarks that drive real processes share: where RabbitMQ is,
a gantt-scheduler daemon or a set of floor servers started, waited for and
cleaned up after, and a command that prints its figures as text or JSON.

gantt.bench.e2e (select_destinations) and gantt.bench.reports
(update_resource_stats) measure different calls through the same run.
"""

import contextlib
import json
import os
import shutil
import sys
import tempfile
import time

DEFAULT_TRANSPORT_URL = 'rabbit://guest:guest@127.0.0.1:5672/'
TRANSPORT_ENV = 'GANTT_TEST_TRANSPORT_URL'


def transport_url(args):
    """``--transport-url``, else $GANTT_TEST_TRANSPORT_URL, else loopback."""
    return (args.transport_url or os.environ.get(TRANSPORT_ENV) or
            DEFAULT_TRANSPORT_URL)


def safe_url(url):
    """The URL without its password."""
    if '@' not in url or '://' not in url:
        return url
    scheme, rest = url.split('://', 1)
    creds, host = rest.rsplit('@', 1)
    return '%s://%s:***@%s' % (scheme, creds.split(':', 1)[0], host)


def cpu_line(what, workers, cpu):
    """One text line of gantt.bench.cpu figures per ``what``."""
    return ('  CPU ms per %s: client %s, %s %s, broker %s, total %s' % (
        what, cpu['client'], workers, cpu['workers'], cpu['broker'],
        cpu['total']))


def add_daemon_options(p, workers_help, database_help):
    """The options every daemon benchmark takes (``--workers``, where
    RabbitMQ and the database are, ``--seed``, ``--keep``,
    ``--no-progress``, ``--json``) on the subcommand parser ``p``."""
    p.add_argument('--workers', type=int, default=1, help=workers_help)
    p.add_argument('--transport-url', default=None,
                   help='RabbitMQ URL (default: $%s or %s); the run uses a '
                        'topic of its own on it' % (TRANSPORT_ENV,
                                                    DEFAULT_TRANSPORT_URL))
    p.add_argument('--database-connection', default=None,
                   help=database_help)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--keep', action='store_true',
                   help='keep the work directory (config, logs, SQLite)')
    p.add_argument('--no-progress', action='store_true',
                   help='do not draw progress on stderr')
    p.add_argument('--json', action='store_true',
                   help='print one JSON object on stdout')


class Run(object):
    """A started gantt-scheduler daemon and this process's handles on it:
    ``proc`` (gantt.sim.daemon.SchedulerDaemon), ``conf``, ``transport``,
    ``db`` (gantt.db.api.Database on the daemon's store), ``pids`` of the
    workers that answered ping, ``ready_s`` (the wait for them) and
    ``workdir``."""

    def __init__(self, proc, workdir):
        self.proc = proc
        self.workdir = workdir
        self.conf = self.transport = self.db = None
        self.pids = set()
        self.ready_s = None


@contextlib.contextmanager
def scheduler_daemon(args, prefix, stderr=None):
    """Run ``gantt-scheduler`` (``args.workers`` workers, on
    ``args.database_connection`` or a SQLite file of its own) in a fresh
    work directory for the block; yields a Run, its database migrated
    and every worker answering.

    Leaving stops the daemon (a non-zero exit is written to ``stderr``
    when the block succeeded), closes the handles, deletes the topic's
    queues and the work directory, which is kept (and named on
    ``stderr``) with ``args.keep`` or when the block raised.
    """
    from gantt.db import api as db_api
    from gantt import rpc
    from gantt.rpcapi import scheduler as scheduler_api
    from gantt.sim import daemon as sim_daemon

    stderr = stderr or sys.stderr
    workdir = tempfile.mkdtemp(prefix=prefix)
    run = Run(sim_daemon.SchedulerDaemon(
        workdir, transport_url(args), workers=args.workers,
        connection=args.database_connection), workdir)
    ok = False
    try:
        run.proc.write_config()
        run.proc.migrate()
        run.proc.start()
        run.conf = run.proc.conf()
        run.transport = rpc.get_transport(run.conf)
        run.db = db_api.Database(run.conf)
        start = time.monotonic()
        run.pids = run.proc.wait_ready(
            scheduler_api.SchedulerAPI(run.conf, run.transport))
        run.ready_s = time.monotonic() - start
        yield run
        ok = True
    finally:
        code = run.proc.stop()
        if code not in (None, 0) and ok:
            stderr.write('gantt-scheduler exited with %s\n' % code)
        if run.transport is not None:
            run.transport.cleanup()
        if run.db is not None:
            run.db.dispose()
        run.proc.delete_queues()
        if args.keep or not ok:
            stderr.write('work directory kept: %s\n' % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def floor_servers(servers):
    """Start floor servers (a gantt.bench.interface_floor.FloorServers)
    in their work directory for the block; yields (conf, transport, pids)
    once every one answers ping. Leaving stops them and deletes their
    queues."""
    from gantt import rpc
    from gantt.rpcapi import scheduler as scheduler_api

    os.makedirs(servers.workdir, exist_ok=True)
    servers.write_config()
    transport = None
    try:
        servers.start()
        conf = servers.conf()
        transport = rpc.get_transport(conf)
        pids = servers.wait_ready(scheduler_api.SchedulerAPI(conf, transport))
        yield conf, transport, pids
    finally:
        servers.stop()
        if transport is not None:
            transport.cleanup()
        servers.delete_queues()


def run_command(name, args, measure, format_text, exit_code=None):
    """A benchmark subcommand's body: ``measure(args)``, its figures
    printed as one JSON object (``args.json``) or ``format_text``; a
    RuntimeError is written as ``gantt-bench NAME: ...`` and returns 1,
    else ``exit_code(figures)`` (0 without one)."""
    try:
        figures = measure(args)
    except RuntimeError as exc:
        sys.stderr.write('gantt-bench %s: %s\n' % (name, exc))
        return 1
    if args.json:
        sys.stdout.write(json.dumps(figures, sort_keys=True) + '\n')
    else:
        sys.stdout.write(format_text(figures) + '\n')
    return exit_code(figures) if exit_code else 0
