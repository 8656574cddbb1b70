"""Real parts for functional tests: a gantt-scheduler process on RabbitMQ.

The broker comes from the environment (GANTT_TEST_TRANSPORT_URL, e.g.
rabbit://guest:guest@127.0.0.1:5672/); tests skip with a clear message when
it is unset. Every fixture uses its own RPC topic, because queues are named
after the topic and would be shared across exchanges on one vhost.
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
import testtools  # noqa: E402

from gantt import conf as gantt_conf  # noqa: E402
from gantt import context  # noqa: E402
from gantt.db import migration  # noqa: E402
from gantt import objects  # noqa: E402

ENV_URL = 'GANTT_TEST_TRANSPORT_URL'
BIN = os.path.dirname(sys.executable)


def transport_url_or_skip(test):
    url = os.environ.get(ENV_URL)
    if not url:
        test.skipTest('%s is not set: these tests need a running RabbitMQ, '
                      'e.g. %s=rabbit://guest:guest@127.0.0.1:5672/'
                      % (ENV_URL, ENV_URL))
    return url


class SchedulerProcess(fixtures.Fixture):
    """A gantt-scheduler daemon with its own config, SQLite file and topic.

    ``conf`` is the same configuration parsed in the test process, for
    building clients and opening the same database.
    """

    def __init__(self, transport_url, workers=1, extra_conf=''):
        super().__init__()
        self.transport_url = transport_url
        self.workers = workers
        self.extra_conf = extra_conf
        self.process = None

    def _setUp(self):
        self.dir = self.useFixture(fixtures.TempDir()).path
        self.topic = 'gantt-test-%s' % uuid.uuid4().hex[:12]
        self.log_file = os.path.join(self.dir, 'gantt-scheduler.log')
        self.config_file = os.path.join(self.dir, 'gantt.conf')
        self.write_config(self.extra_conf)
        self.conf = gantt_conf.build_conf(['--config-file', self.config_file])
        objects.register_all()
        migration.upgrade(self.conf, 'head')
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
                    '[scheduler]\n'
                    'topic = %s\n'
                    'workers = %d\n'
                    '%s' % (self.transport_url, self.dir, self.topic[-6:],
                            self.log_file, self.topic, self.workers,
                            extra_conf))

    def start(self):
        self.process = subprocess.Popen(
            [os.path.join(BIN, 'gantt-scheduler'),
             '--config-file', self.config_file],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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

    def restart(self):
        code = self.stop()
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

    def setUp(self):
        super().setUp()
        url = transport_url_or_skip(self)
        self.daemon = self.useFixture(SchedulerProcess(
            url, workers=self.workers, extra_conf=self.extra_conf))
        self.conf = self.daemon.conf
        self.ctxt = context.RequestContext(
            user_id='user-1', project_id='project-1', is_admin=True)


def compute_node(host, seq=1, vcpus=16, memory_mb=32768, local_gb=500):
    """A plausible report from one compute with one node."""
    node = objects.ComputeNode(
        uuid=str(uuid.uuid5(uuid.NAMESPACE_DNS, host)), host=host,
        hypervisor_hostname=host + '.node', report_seq=seq)
    node.resources.vcpus = vcpus
    node.resources.memory_mb = memory_mb
    node.resources.local_gb = local_gb
    node.hypervisor.hypervisor_type = 'QEMU'
    node.hypervisor.hypervisor_version = 8002000
    node.service.version = 1
    return node


def request_spec(vcpus=2, memory_mb=2048, root_gb=20, num_instances=1):
    return objects.RequestSpec(
        project_id='project-1', user_id='user-1',
        num_instances=num_instances,
        flavor=objects.Flavor(name='m1.test', vcpus=vcpus,
                              memory_mb=memory_mb, root_gb=root_gb,
                              ephemeral_gb=0, swap=0, extra_specs={}))
