"""The gantt-scheduler daemon: two RPC servers per worker process.

Each worker builds its own database handle, host manager and scheduler
after the fork, registers itself in the services table and serves both
endpoints on the scheduler topic, and the report endpoint again on the
report topic: a second RPC server with its own queue, consumer and
threads, so report casts and calls never queue behind each other. SIGTERM
stops the servers and lets in-flight messages finish; SIGHUP re-reads the
mutable options and restarts workers.
"""

import threading

from oslo_service import backend

# Gantt runs on threads. oslo.service must know before oslo_service.service
# is imported (importing oslo.messaging would otherwise pick eventlet);
# gantt.rpc chooses it (and silences eventlet's notices) on import. If
# something picked eventlet earlier this raises BackendAlreadySelected.
from gantt import rpc  # noqa: E402,I100
backend.init_backend(backend.BackendType.THREADING)

from oslo_log import log as logging  # noqa: E402
from oslo_service import service  # noqa: E402

from gantt.db import api as db_api  # noqa: E402
from gantt.db import migration  # noqa: E402
from gantt import exception  # noqa: E402
from gantt import host_manager  # noqa: E402
from gantt import limits  # noqa: E402
from gantt import log_lines  # noqa: E402
from gantt import manager  # noqa: E402
from gantt import message_guard  # noqa: E402
from gantt import metrics  # noqa: E402
from gantt import notifications  # noqa: E402
from gantt import objects  # noqa: E402
from gantt import plugins  # noqa: E402
from gantt import report_watch  # noqa: E402
from gantt import reservation_sweep  # noqa: E402
from gantt.rpcapi import releases  # noqa: E402
from gantt import scheduler  # noqa: E402
from gantt import telemetry  # noqa: E402

LOG = logging.getLogger(__name__)

BINARY = manager.BINARY
# Recorded in the services table at start: clients with [upgrade_levels]
# auto read the scheduler API version (RPC_VERSION) and derive the report
# API version from SERVICE_VERSION (see gantt.rpcapi.releases).
SERVICE_VERSION = releases.SERVICE_VERSION
RPC_VERSION = manager.SchedulerManager.target.version


def check_schema(conf):
    """Stop early, with the fix, when the database is not at head."""
    database = db_api.Database(conf)
    try:
        current = migration.current(conf, database=database)
    finally:
        # Called before the fork: no pooled connection may cross it.
        database.dispose()
    head = migration.head()
    if current != head:
        raise SystemExit(
            'The Gantt database %s is at revision %s, not at head %s. Run '
            '"gantt-manage --config-file <file> db sync" first.'
            % (database.url, current, head))


def check_plugins(conf):
    """Stop early when enabled_filters or enabled_weighers names a stranger.

    Workers load the plugins again after the fork; checking here too keeps
    a typo from turning into an endless worker respawn loop.
    """
    try:
        plugins.load_filters(conf)
        plugins.load_weighers(conf)
    except exception.PluginNotFound as exc:
        raise SystemExit(str(exc))


class SchedulerService(service.Service):
    """One worker: database, host manager, scheduler and RPC server."""

    def __init__(self, conf):
        super().__init__()
        self.conf = conf
        self.db = None
        self.transport = None
        self.server = None
        self.report_server = None
        self.nova_transport = None
        self.nova_server = None
        self.notifier = None
        self.watcher = None
        self.sweeper = None
        self._stopped = threading.Event()

    def start(self):
        # Everything below is built here, in the worker, never before the
        # fork: database connections and broker sockets must not be shared.
        objects.register_all()
        conf = self.conf
        # Bounds on every message and field, checked before decoding, and
        # one log line per bad message (gantt.message_guard, log_lines).
        limits.configure(conf)
        message_guard.install()
        log_lines.install()
        self.db = db_api.Database(conf)
        hosts = host_manager.HostManager(conf, self.db)
        decider = scheduler.Scheduler(conf, self.db, hosts)
        self.db.register_service(BINARY, conf.host, SERVICE_VERSION,
                                 RPC_VERSION)
        self.sweeper = reservation_sweep.Sweeper(conf, self.db)
        self.sweeper.start()
        self.transport = rpc.get_transport(conf)
        seen = self._telemetry(hosts)
        reports = manager.ReportManager(conf, self.db, seen)
        endpoints = [manager.SchedulerManager(conf, decider, self.db, seen),
                     reports]
        self.server = rpc.get_rpc_server(conf, self.transport, endpoints)
        self.report_server = rpc.get_rpc_server(
            conf, self.transport, [reports], topic=rpc.report_topic(conf))
        self.server.start()
        self.report_server.start()
        if conf.nova.enabled:
            self._serve_nova(*endpoints)
        LOG.info('%(binary)s serving topic %(topic)s on exchange %(exch)s '
                 'as %(host)s (RPC %(rpc)s)',
                 {'binary': BINARY, 'topic': conf.scheduler.topic,
                  'exch': rpc.EXCHANGE, 'host': conf.host,
                  'rpc': RPC_VERSION})

    def _serve_nova(self, scheduler_endpoint, report_endpoint):
        """Also answer nova's scheduler API ([nova] enabled)."""
        # Imported here: a scheduler without [nova] enabled loads none of
        # nova's objects.
        from gantt.nova import manager as nova_manager
        from gantt.nova import rpc as nova_rpc
        conf = self.conf
        if conf.nova.transport_url:
            self.nova_transport = nova_rpc.get_transport(conf)
        transport = self.nova_transport or self.transport
        self.nova_server = nova_rpc.get_rpc_server(
            conf, transport, nova_manager.NovaSchedulerEndpoint(
                conf, scheduler_endpoint, report_endpoint))
        self.nova_server.start()
        LOG.info("%(binary)s serving nova's scheduler API (RPC %(rpc)s) on "
                 "topic %(topic)s of exchange %(exch)s",
                 {'binary': BINARY, 'topic': conf.nova.topic,
                  'exch': conf.nova.exchange,
                  'rpc': nova_manager.NovaSchedulerEndpoint.target.version})

    def _telemetry(self, hosts):
        """Notifier, metrics and the stale-report watch of this worker."""
        conf = self.conf
        self.notifier = notifications.Notifier(conf, BINARY)
        seen = telemetry.Telemetry(
            self.notifier if self.notifier.active else None,
            metrics.Metrics() if conf.prometheus.enabled else None)
        if seen.notifier is not None or seen.metrics is not None:
            self.watcher = report_watch.Watcher(
                conf, report_watch.ReportWatch(conf, hosts, seen))
            self.watcher.start()
        return seen

    def stop(self, graceful=True):
        # stop() ends the intake; wait() lets the messages being handled
        # finish, so a conductor's in-flight call still gets its answer.
        if self.nova_server is not None:
            self.nova_server.stop()
            self.nova_server.wait()
            self.nova_server = None
        if self.nova_transport is not None:
            self.nova_transport.cleanup()
            self.nova_transport = None
        for server in (self.server, self.report_server):
            if server is not None:
                server.stop()
        for server in (self.server, self.report_server):
            if server is not None:
                server.wait()
        self.server = self.report_server = None
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
        if self.sweeper is not None:
            self.sweeper.stop()
            self.sweeper = None
        if self.notifier is not None:
            self.notifier.cleanup()
            self.notifier = None
        if self.transport is not None:
            self.transport.cleanup()
            self.transport = None
        if self.db is not None:
            self.db.dispose()
        self._stopped.set()
        super().stop(graceful)

    def wait(self):
        self._stopped.wait()
        super().wait()

    def reset(self):
        # With oslo.service's threading backend a SIGHUP makes the master
        # re-read the mutable options (restart_method='mutate') and replace
        # each worker with a fresh fork that starts from the new values, so
        # there is nothing to rebuild in place.
        LOG.info('Configuration reloaded')


def launch(conf):
    """Run SchedulerService in [scheduler] workers processes until done."""
    check_schema(conf)
    check_plugins(conf)
    if conf.prometheus.enabled:
        # Before the fork: every worker writes its samples there.
        metrics.serve(conf, metrics.prepare_multiproc_dir(conf))
    workers = conf.scheduler.workers
    if workers > 1:
        launcher = service.ProcessLauncher(conf, restart_method='mutate')
    else:
        launcher = service.ServiceLauncher(conf, restart_method='mutate')
    launcher.launch_service(SchedulerService(conf), workers=workers)
    return launcher.wait()
