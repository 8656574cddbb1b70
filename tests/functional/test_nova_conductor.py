"""nova 34's own SchedulerAPI calls a real gantt-scheduler over RabbitMQ.

The daemon runs with [nova] enabled; computes report through Gantt's own
report API; nova's client (tests/functional/nova_conductor.py, run under
nova's interpreter) sends select_destinations with real nova RequestSpecs
and the aggregate and instance casts, as nova's conductor, API and
computes do. The test reads what nova's client decoded.
"""

import json
import os
import subprocess
import time
import uuid

import sqlalchemy as sa
import testtools

from gantt.bench import nova_process
from gantt import context
from gantt.db import api as db_api
from gantt.rpcapi import report as report_rpcapi
from tests.functional import fixtures as gantt_fixtures

SCRIPT = os.path.join(os.path.dirname(__file__), 'nova_conductor.py')
TOOL = os.path.join(gantt_fixtures.ROOT, 'tools', 'nova_object_fields.py')
UNIT_NOVA = os.path.join(gantt_fixtures.ROOT, 'tests', 'unit', 'nova')
SIDE_VENV = os.path.join(gantt_fixtures.ROOT, '.venv-nova', 'bin', 'python')


def _nova_python():
    found = os.environ.get(nova_process.NOVA_PYTHON_ENV)
    if not found and os.path.exists(SIDE_VENV):
        found = SIDE_VENV
    return found


CELL = str(uuid.uuid5(uuid.NAMESPACE_DNS, 'cell1'))


class _Class(object):
    """What the tests of a class share: one daemon, one nova client.

    nova's import alone takes seconds, so its client runs once per class
    and takes orders over a pipe; the daemon too is started once, with
    three computes reported (each test claims little, so the ranking by
    free RAM stays big, mid, small).
    """

    def __init__(self, test, nodes=None):
        self.nodes = nodes or [
            gantt_fixtures.compute_node(name, memory_mb=ram)
            for name, ram in (('big', 65536), ('mid', 32768),
                              ('small', 16384))]
        self.python = _nova_python()
        if not self.python:
            gantt_fixtures.skip_or_fail(
                test, '%s is not set and there is no .venv-nova: this test '
                'runs nova 34 in its own virtualenv'
                % nova_process.NOVA_PYTHON_ENV)
        url = gantt_fixtures.transport_url_or_skip(test)
        self.nova_topic = 'scheduler-%s' % uuid.uuid4().hex[:12]
        self.daemon = gantt_fixtures.SchedulerProcess(
            url, extra_conf=('max_attempts = 3\n'
                             '[nova]\n'
                             'enabled = true\n'
                             'default_cell_uuid = %s\n'
                             'topic = %s\n' % (CELL, self.nova_topic)))
        self.daemon.setUp()
        try:
            self._start(url)
        except BaseException:
            self.cleanup()
            raise

    def _start(self, url):
        self.conf = self.daemon.conf
        self.db = db_api.Database(self.conf)
        self.hosts = {}
        report = report_rpcapi.ReportClient(self.conf, self.daemon.transport)
        ctxt = context.RequestContext(user_id='user-1',
                                      project_id='project-1', is_admin=True)
        for node in self.nodes:
            self.hosts[node.host] = node
            report.update_resource_stats(ctxt, node)
        self.nova = subprocess.Popen(
            [self.python, SCRIPT, url], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        ready = self.nova.stdout.readline()
        if not ready:
            raise AssertionError('nova client did not start:\n%s'
                                 % self.nova.stderr.read()[-4000:])

    def cleanup(self):
        nova = getattr(self, 'nova', None)
        if nova is not None:
            nova.stdin.close()
            try:
                nova.wait(30)
            except subprocess.TimeoutExpired:
                nova.kill()
                nova.wait()
            nova.stdout.close()
            nova.stderr.close()
        if getattr(self, 'db', None) is not None:
            self.db.dispose()
        self.daemon.cleanUp()


class NovaConductorCase(testtools.TestCase):
    """A class's daemon and nova client, and what its tests read."""

    shared = None

    @staticmethod
    def nodes():
        """The computes the class's daemon is told about (None: big, mid
        and small, without NUMA cells or devices)."""
        return None

    @classmethod
    def tearDownClass(cls):
        if cls.shared is not None:
            cls.shared.cleanup()
            cls.shared = None
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        cls = type(self)
        if cls.shared is None:
            cls.shared = _Class(self, self.nodes())
        self.daemon = self.shared.daemon
        self.hosts = self.shared.hosts
        self.db = self.shared.db
        self._wait(lambda: len(self._rows('compute_nodes')) == len(
            self.shared.nodes), 'the compute reports')

    def _rows(self, table):
        with self.db.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(
                sa.text('SELECT * FROM %s' % table))]

    def _allocations(self, consumer):
        """{provider uuid: {'resources': {class: amount}}} held."""
        held = self.shared.db.get_allocations(consumer)['allocations']
        return {rp: {'resources': body['resources']}
                for rp, body in held.items()}

    def _wait(self, ready, what, deadline=20):
        end = time.monotonic() + deadline
        while not ready():
            if time.monotonic() > end:
                self.fail('%s did not arrive in %ss; daemon log:\n%s'
                          % (what, deadline, self.daemon.log_tail()))
            time.sleep(0.05)

    def nova(self, *steps, version_cap=None):
        """Have nova's client do ``steps``; its outcome for each."""
        nova = self.shared.nova
        nova.stdin.write(json.dumps({
            'topic': self.shared.nova_topic, 'version_cap': version_cap,
            'steps': list(steps)}) + '\n')
        nova.stdin.flush()
        line = nova.stdout.readline()
        if not line:
            self.fail('nova client died:\n%s' % nova.stderr.read()[-4000:])
        outcomes = json.loads(line)
        if isinstance(outcomes, dict):
            self.fail('nova client failed: %s\ndaemon log:\n%s' % (
                outcomes['failed'], self.daemon.log_tail()))
        return outcomes

    @staticmethod
    def select(n=1, memory_mb=4096, **kwargs):
        step = {'op': 'select', 'vcpus': 2, 'memory_mb': memory_mb,
                'root_gb': 20,
                'instance_uuids': [str(uuid.uuid4()) for _ in range(n)]}
        step.update(kwargs)
        return step


class TestNovaConductor(NovaConductorCase):

    def test_selections_decode_as_nova_objects_with_claimed_allocations(self):
        step = self.select(return_alternates=True, extras=True)
        outcome, = self.nova(step)
        selections, = outcome['selections']
        primary = selections[0]
        self.assertEqual('nova.objects.selection.Selection',
                         primary['class'])
        self.assertEqual('1.1', primary['version'])
        # A primary and two alternates: the three hosts, each with the
        # allocation request that claims the flavor on it.
        by_name = {s['service_host']: s for s in selections}
        self.assertEqual({'big', 'mid', 'small'}, set(by_name))
        for name, sel in by_name.items():
            node = self.hosts[name]
            self.assertEqual((node.uuid, node.hypervisor_hostname),
                             (sel['compute_node_uuid'], sel['nodename']))
            self.assertEqual(
                {node.uuid: {'resources': {
                    'VCPU': 2, 'MEMORY_MB': 4096, 'DISK_GB': 20}}},
                sel['allocation_request']['allocations'])
        self.assertIsNotNone(primary['allocation_request_version'])
        self.assertEqual(CELL, primary['cell_uuid'])
        # nova's compute reads the limits with to_dict(): none are set.
        self.assertEqual({}, primary['limits'])
        self.assertIn('nova', primary['availability_zone'])
        # The primary's allocation request is what Gantt claimed for the
        # instance: what nova expects placement to hold.
        self.assertEqual(
            primary['allocation_request']['allocations'],
            self._allocations(step['instance_uuids'][0]))

    def test_multi_create_without_alternates(self):
        outcome, = self.nova(self.select(n=2))
        self.assertEqual(2, len(outcome['selections']))
        self.assertEqual([1, 1], [len(s) for s in outcome['selections']])

    def test_pinned_conductor_gets_legacy_host_dicts(self):
        outcome, = self.nova(self.select(return_objects=False),
                             version_cap='4.4')
        (only,), = outcome['selections']
        self.assertEqual('dict', only['class'])
        self.assertEqual(only['host'] + '.node', only['nodename'])
        self.assertIn(only['host'], self.hosts)

    def test_no_valid_host_arrives_as_nova_exception(self):
        outcome, = self.nova(self.select(memory_mb=10 ** 6))
        error = outcome['error']
        self.assertTrue(error['is_nova_no_valid_host'], error)
        self.assertTrue(error['class'].startswith('NoValidHost'), error)
        self.assertIn('No valid host was found', error['message'])

    def test_rebuild_is_checked_on_its_host_without_a_claim(self):
        # More RAM than 'small' has: a build there is refused, a rebuild
        # of an instance already there is not (it holds its resources).
        there = dict(memory_mb=20000, destination='small')
        build, rebuild = self.nova(self.select(**there),
                                   self.select(rebuild=True, **there))
        self.assertTrue(build['error']['is_nova_no_valid_host'], build)
        (primary,), = rebuild['selections']
        self.assertEqual(('small', None), (primary['service_host'],
                                           primary.get('allocation_request')))

    def test_aggregate_casts_are_taken(self):
        agg = {'id': 7, 'uuid': str(uuid.uuid4()), 'name': 'az-small',
               'hosts': ['small'], 'metadata': {'availability_zone': 'az1'}}

        def live():
            return [r['uuid'] for r in self._rows('aggregates')
                    if r['uuid'] == agg['uuid'] and not r['deleted']]

        # Casts and calls travel on different queues: wait for each cast
        # to be stored before the call that depends on it.
        update, = self.nova(dict(agg, op='update_aggregates'))
        self.assertEqual({'cast': 'update_aggregates'}, update)
        self._wait(lambda: live() == [agg['uuid']], 'update_aggregates')
        chosen, = self.nova(self.select(availability_zone='az1'))
        primary = chosen['selections'][0][0]
        self.assertEqual(('small', 'az1'), (primary['service_host'],
                                            primary['availability_zone']))
        delete, = self.nova(dict(agg, op='delete_aggregate'))
        self.assertEqual({'cast': 'delete_aggregate'}, delete)
        self._wait(lambda: live() == [], 'delete_aggregate')
        refused, = self.nova(self.select(availability_zone='az1'))
        self.assertTrue(refused['error']['is_nova_no_valid_host'], refused)

    def test_instance_info_casts_are_taken(self):
        one, two = str(uuid.uuid4()), str(uuid.uuid4())

        def on_mid():
            return sorted(r['instance_uuid'] for r in self._rows('instances')
                          if r['host'] == 'mid' and not r['deleted'])

        self.nova({'op': 'update_instance_info', 'host': 'mid',
                   'node': 'mid.node', 'instance_uuids': [one, two]})
        self._wait(lambda: on_mid() == sorted([one, two]),
                   'update_instance_info')
        self.nova({'op': 'delete_instance_info', 'host': 'mid',
                   'instance_uuid': one})
        self._wait(lambda: on_mid() == [two], 'delete_instance_info')
        self.nova({'op': 'sync_instance_info', 'host': 'mid',
                   'instance_uuids': []})
        self._wait(lambda: on_mid() == [], 'sync_instance_info')


class TestNovaObjectRecord(testtools.TestCase):
    """The record the unit tests check Gantt's nova objects against is
    what the installed nova prints now (tools/nova_object_fields.py)."""

    def setUp(self):
        super().setUp()
        self.python = _nova_python()
        if not self.python:
            gantt_fixtures.skip_or_fail(
                self, '%s is not set and there is no .venv-nova'
                % nova_process.NOVA_PYTHON_ENV)

    def _tool(self, *args):
        done = subprocess.run(
            [self.python, TOOL] + list(args), capture_output=True,
            text=True, timeout=120, cwd=gantt_fixtures.ROOT)
        self.assertEqual(0, done.returncode, done.stderr[-4000:])
        return json.loads(done.stdout)

    def test_recorded_fields_are_the_installed_novas(self):
        with open(os.path.join(UNIT_NOVA, 'nova_objects.json')) as f:
            recorded = json.load(f)
        self.assertEqual(recorded, self._tool(*sorted(recorded)))
