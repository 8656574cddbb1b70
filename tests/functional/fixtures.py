"""Real parts for functional tests: a gantt-scheduler process on RabbitMQ.

The broker comes from the environment (GANTT_TEST_TRANSPORT_URL, e.g.
rabbit://guest:guest@127.0.0.1:5672/), PostgreSQL and MySQL too for the
tests that run the daemon on them (GANTT_TEST_POSTGRES_URL,
GANTT_TEST_MYSQL_URL); tests skip with a clear
message when one is unset, or fail when GANTT_TEST_REQUIRE_SERVICES is set.
Every fixture uses its own RPC topic, because queues are named after the
topic and would be shared across exchanges on one vhost, and on PostgreSQL
its own schema (on MySQL its own database).
"""

import os
import signal
import subprocess
import sys
import time
import uuid

# gantt.rpc first: it silences eventlet's notices and picks oslo.service's
# threading backend before oslo.messaging is imported.
from gantt import rpc  # noqa: I100

import fixtures  # noqa: E402
import oslo_messaging  # noqa: E402
import sqlalchemy as sa  # noqa: E402
import testtools  # noqa: E402

from gantt import conf as gantt_conf  # noqa: E402
from gantt import context  # noqa: E402
from gantt.db import api as db_api  # noqa: E402
from gantt.db import migration  # noqa: E402
from gantt import objects  # noqa: E402
from gantt.rpcapi import releases  # noqa: E402

ENV_URL = 'GANTT_TEST_TRANSPORT_URL'
ENV_POSTGRES = 'GANTT_TEST_POSTGRES_URL'
ENV_MYSQL = 'GANTT_TEST_MYSQL_URL'
ENV_REQUIRE = 'GANTT_TEST_REQUIRE_SERVICES'
BIN = os.path.dirname(sys.executable)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
# The current daemon, and one as the first release ran it (RPC 1.0).
NEW_SCHEDULER = (os.path.join(BIN, 'gantt-scheduler'),)
OLD_SCHEDULER = (sys.executable, '-m', 'tests.functional.old_scheduler')


# testscenarios over the daemon's database: the embedded SQLite file and
# a schema of its own on the shared PostgreSQL server, a database of its
# own on the shared MySQL server.
BACKENDS = [('sqlite', {'backend': 'sqlite'}),
            ('postgresql', {'backend': 'postgresql'}),
            ('mysql', {'backend': 'mysql'})]


def services_required():
    """Whether a missing service fails the test (CI) rather than skips it."""
    return os.environ.get(ENV_REQUIRE, '').strip().lower() not in (
        '', '0', 'false', 'no')


def skip_or_fail(test, reason):
    """Skip ``test`` for lack of a service, or fail when services are
    required (GANTT_TEST_REQUIRE_SERVICES is set)."""
    if services_required():
        test.fail('%s (%s is set: a missing service is a failure)'
                  % (reason, ENV_REQUIRE))
    test.skipTest(reason)


def transport_url_or_skip(test):
    url = os.environ.get(ENV_URL)
    if not url:
        skip_or_fail(test, '%s is not set: these tests need a running '
                     'RabbitMQ, e.g. %s=rabbit://guest:guest@127.0.0.1:5672/'
                     % (ENV_URL, ENV_URL))
    return url


def postgres_url_or_skip(test):
    url = os.environ.get(ENV_POSTGRES)
    if not url:
        skip_or_fail(test, '%s is not set: the PostgreSQL variant needs a '
                     'database whose role may create schemas, e.g. %s='
                     'postgresql+psycopg2://gantt:gantt@127.0.0.1:5433/gantt'
                     % (ENV_POSTGRES, ENV_POSTGRES))
    return url


def mysql_url_or_skip(test):
    url = os.environ.get(ENV_MYSQL)
    if not url:
        skip_or_fail(test, '%s is not set: the MySQL variant needs a server '
                     'whose user may create gantt%% databases, e.g. %s='
                     'mysql+pymysql://gantt:gantt@127.0.0.1:3306/gantt'
                     '?charset=utf8mb4' % (ENV_MYSQL, ENV_MYSQL))
    return url


def _rabbitmqctl(test, *args):
    """Run rabbitmqctl against the test broker's node (RABBITMQ_NODENAME
    from the environment, as tools/run-tests.sh sets it); its output."""
    try:
        done = subprocess.run(('rabbitmqctl', '-q') + args,
                              capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        skip_or_fail(test, 'rabbitmqctl not found: this test drops the '
                     'scheduler\'s connections on the broker, so it needs '
                     'rabbitmqctl on the machine RabbitMQ runs on')
    if done.returncode != 0:
        skip_or_fail(test, 'rabbitmqctl %s failed (%s): %s' % (
            args[0], done.returncode, (done.stderr or done.stdout)[-500:]))
    return done.stdout


def drop_broker_connections(test, pid):
    """Have the broker close every AMQP connection of process ``pid``
    (oslo.messaging names each one ``<program>:<pid>:<id>``), as a network
    cut would; queues stay. Returns how many were closed."""
    listing = _rabbitmqctl(test, 'list_connections', 'pid',
                           'client_properties')
    marker = ':%d:' % pid
    closed = 0
    for line in listing.splitlines():
        if 'connection_name' in line and marker in line:
            _rabbitmqctl(test, 'close_connection', line.split('\t')[0],
                         'dropped by a Gantt functional test')
            closed += 1
    return closed


class PostgresSchema(fixtures.Fixture):
    """A fresh schema on the PostgreSQL server, dropped afterwards.

    ``url`` is the server URL with ``search_path`` set to the schema, so
    every connection made from it (a daemon's workers too) lives there;
    they carry the schema's name as ``application_name`` too, so
    drop_connections() can find them.
    """

    def __init__(self, server_url):
        super().__init__()
        self.server_url = server_url

    def _setUp(self):
        self.schema = 'gantt_fn_%s' % uuid.uuid4().hex[:12]
        admin = sa.create_engine(self.server_url, poolclass=sa.pool.NullPool)
        with admin.begin() as conn:
            conn.exec_driver_sql('CREATE SCHEMA %s' % self.schema)
        self.addCleanup(self._drop, admin)
        joiner = '&' if '?' in self.server_url else '?'
        self.url = '%s%soptions=-csearch_path%%3D%s&application_name=%s' % (
            self.server_url, joiner, self.schema, self.schema)

    def drop_connections(self):
        """Have the server end every session opened through ``url``, as a
        PostgreSQL restart or failover would; returns how many ended."""
        admin = sa.create_engine(self.server_url, poolclass=sa.pool.NullPool)
        try:
            with admin.begin() as conn:
                return conn.execute(sa.text(
                    'SELECT count(pg_terminate_backend(pid)) '
                    'FROM pg_stat_activity WHERE application_name = :name'),
                    {'name': self.schema}).scalar_one()
        finally:
            admin.dispose()

    def _drop(self, admin):
        with admin.begin() as conn:
            conn.exec_driver_sql('DROP SCHEMA %s CASCADE' % self.schema)
        admin.dispose()


class MysqlDatabase(fixtures.Fixture):
    """A fresh database on the MySQL server, dropped afterwards; ``url``
    opens it."""

    def __init__(self, server_url):
        super().__init__()
        self.server_url = server_url

    def _setUp(self):
        from tests.unit.db import base as db_base
        self.url = db_base.fresh_mysql_database(self, self.server_url,
                                                prefix='gantt_fn_')


class SchedulerProcess(fixtures.Fixture):
    """A gantt-scheduler daemon with its own config, SQLite file and topic.

    ``conf`` is the same configuration parsed in the test process, for
    building clients and opening the same database.
    """

    def __init__(self, transport_url, workers=1, extra_conf='',
                 command=NEW_SCHEDULER, database_url=None,
                 default_conf=''):
        super().__init__()
        self.transport_url = transport_url
        self.workers = workers
        self.extra_conf = extra_conf
        self.command = tuple(command)
        # None: the SQLite file under state_path.
        self.database_url = database_url
        # Lines for [DEFAULT] (e.g. service_down_time for long tests).
        self.default_conf = default_conf
        self.process = None

    def _setUp(self):
        self.dir = self.useFixture(fixtures.TempDir()).path
        self.topic = 'gantt-test-%s' % uuid.uuid4().hex[:12]
        self.log_file = os.path.join(self.dir, 'gantt-scheduler.log')
        self.config_file = os.path.join(self.dir, 'gantt.conf')
        self.write_config(self.extra_conf)
        self.conf = gantt_conf.build_conf(['--config-file', self.config_file])
        objects.register_all()
        database = db_api.Database(self.conf)
        try:
            migration.upgrade(self.conf, 'head', database=database)
        finally:
            database.dispose()
        self.transport = rpc.get_transport(self.conf)
        self.addCleanup(self.transport.cleanup)
        self.start()
        self.addCleanup(self._kill)

    def write_config(self, extra_conf):
        """(Re)write the daemon's file; extra_conf lands in [scheduler]."""
        with open(self.config_file, 'w') as f:
            f.write('[DEFAULT]\n'
                    'transport_url = %s\n'
                    'state_path = %s\n'
                    'host = sched-%s\n'
                    'log_file = %s\n'
                    'debug = true\n'
                    '%s'
                    '%s'
                    '[scheduler]\n'
                    'topic = %s\n'
                    'workers = %d\n'
                    '%s' % (self.transport_url, self.dir, self.topic[-6:],
                            self.log_file, self.default_conf,
                            ('[database]\nconnection = %s\n'
                             % self.database_url
                             if self.database_url else ''),
                            self.topic, self.workers, extra_conf))

    def start(self):
        # A session of its own: a stuck daemon's group can be killed
        # without touching the test runner.
        self.process = subprocess.Popen(
            list(self.command) + ['--config-file', self.config_file],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
            start_new_session=True)
        self.wait_for_ping()

    def ping(self, timeout=1):
        client = rpc.get_client(self.conf, self.transport)
        return client.prepare(timeout=timeout).call(
            context.get_admin_context(), 'ping')

    def wait_for_ping(self, deadline=30):
        end = time.monotonic() + deadline
        while True:
            if self.process.poll() is not None:
                raise AssertionError(
                    'gantt-scheduler exited with %s before answering ping:\n'
                    '%s' % (self.process.returncode,
                            self.process.stderr.read().decode()[-3000:]))
            try:
                return self.ping()
            except oslo_messaging.MessagingTimeout:
                if time.monotonic() > end:
                    raise AssertionError(
                        'gantt-scheduler did not answer ping in %ss; log:\n'
                        '%s' % (deadline, self.log_tail()))

    def stop(self, timeout=30):
        """SIGTERM, as an init system would; returns the exit code."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        finally:
            self.process.stderr.close()

    def restart(self, command=None):
        """Stop, then start again (as ``command``: an upgrade in place)."""
        code = self.stop()
        if command is not None:
            self.command = tuple(command)
        self.start()
        return code

    def log_tail(self, chars=4000):
        try:
            with open(self.log_file) as f:
                return f.read()[-chars:]
        except OSError:
            return '(no log)'

    def log(self):
        with open(self.log_file) as f:
            return f.read()

    def _kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(os.getpgid(self.process.pid), signal.SIGKILL)
                self.process.wait()
        if self.process is not None and self.process.stderr:
            self.process.stderr.close()


class DaemonTestCase(testtools.TestCase):
    """Base for tests that talk to a real gantt-scheduler process."""

    workers = 1
    extra_conf = ''
    default_conf = ''
    command = NEW_SCHEDULER
    # 'sqlite', 'postgresql' or 'mysql' (mix in testscenarios with
    # BACKENDS).
    backend = 'sqlite'

    def setUp(self):
        super().setUp()
        url = transport_url_or_skip(self)
        database_url = self.pg_schema = None
        if self.backend == 'postgresql':
            self.pg_schema = self.useFixture(
                PostgresSchema(postgres_url_or_skip(self)))
            database_url = self.pg_schema.url
        elif self.backend == 'mysql':
            database_url = self.useFixture(
                MysqlDatabase(mysql_url_or_skip(self))).url
        self.daemon = self.useFixture(SchedulerProcess(
            url, workers=self.workers, extra_conf=self.extra_conf,
            command=self.command, database_url=database_url,
            default_conf=self.default_conf))
        self.conf = self.daemon.conf
        self.ctxt = context.RequestContext(
            user_id='user-1', project_id='project-1', is_admin=True)


def manage(daemon, *args):
    """Run gantt-manage against ``daemon``'s configuration; (exit code,
    stdout)."""
    done = subprocess.run(
        [os.path.join(BIN, 'gantt-manage'), '--config-file',
         daemon.config_file] + list(args),
        capture_output=True, text=True, timeout=120, cwd=ROOT)
    return done.returncode, done.stdout


def compute_node(host, seq=1, vcpus=16, memory_mb=32768, local_gb=500,
                 service_version=releases.SERVICE_VERSION):
    """A plausible report from one compute with one node (of this code's
    service version unless told)."""
    node = objects.ComputeNode(
        uuid=str(uuid.uuid5(uuid.NAMESPACE_DNS, host)), host=host,
        hypervisor_hostname=host + '.node', report_seq=seq)
    node.resources.vcpus = vcpus
    node.resources.memory_mb = memory_mb
    node.resources.local_gb = local_gb
    node.hypervisor.hypervisor_type = 'QEMU'
    node.hypervisor.hypervisor_version = 8002000
    node.service.version = service_version
    return node


def request_spec(vcpus=2, memory_mb=2048, root_gb=20, num_instances=1):
    return objects.RequestSpec(
        project_id='project-1', user_id='user-1',
        num_instances=num_instances,
        flavor=objects.Flavor(name='m1.test', vcpus=vcpus,
                              memory_mb=memory_mb, root_gb=root_gb,
                              ephemeral_gb=0, swap=0, extra_specs={}))
