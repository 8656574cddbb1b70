"""A real gantt-scheduler process on RabbitMQ, driven through the clients.

Computes report over casts, a conductor asks for hosts over calls, the
daemon restarts and still knows every host, and bad input leaves it
serving. Every test runs twice: on the embedded SQLite file and on a
PostgreSQL schema of its own.
"""

import json
import os
import signal
import threading
import time
import uuid

import sqlalchemy as sa
import testscenarios

from gantt.db import api as db_api
from gantt import exception
from gantt import manager
from gantt.rpcapi import report as report_rpcapi
from gantt.rpcapi import scheduler as scheduler_rpcapi
from tests.functional import fixtures as gantt_fixtures

HOSTS = ('compute-a', 'compute-b', 'compute-c')


class TestSchedulerDaemonBase(testscenarios.WithScenarios,
                              gantt_fixtures.DaemonTestCase):

    scenarios = gantt_fixtures.BACKENDS

    def setUp(self):
        super().setUp()
        self.report = report_rpcapi.ReportClient(
            self.conf, self.daemon.transport)
        self.scheduler = scheduler_rpcapi.SchedulerAPI(
            self.conf, self.daemon.transport)
        self.db = db_api.Database(self.conf)
        self.addCleanup(self.db.dispose)

    def _stored_nodes(self):
        changes = self.db.get_changes(0)
        return {c['host']: c for c in changes.compute_nodes
                if not c.get('deleted')}

    def _wait_for_hosts(self, hosts, deadline=15):
        end = time.monotonic() + deadline
        while set(hosts) - set(self._stored_nodes()):
            if time.monotonic() > end:
                self.fail('reports for %s never stored; daemon log:\n%s' % (
                    sorted(set(hosts) - set(self._stored_nodes())),
                    self.daemon.log_tail()))
            time.sleep(0.05)

    def _report_all(self, seq=1):
        for host in HOSTS:
            self.report.update_resource_stats(
                self.ctxt, gantt_fixtures.compute_node(host, seq=seq))
        self._wait_for_hosts(HOSTS)

    def _select(self, spec=None, n=1):
        spec = spec or gantt_fixtures.request_spec(num_instances=n)
        uuids = [str(uuid.uuid4()) for _ in range(n)]
        return uuids, self.scheduler.select_destinations(
            self.ctxt, spec, uuids, return_alternates=True)


class TestSchedulerDaemon(TestSchedulerDaemonBase):

    def test_ping_answers_with_host_and_version(self):
        answer = self.scheduler.ping(self.ctxt)
        self.assertEqual(self.conf.host, answer['host'])
        self.assertEqual(manager.SchedulerManager.target.version,
                         answer['rpc_version'])

    def test_service_registered_in_database(self):
        services = self.db.get_services(binary='gantt-scheduler')
        self.assertEqual([self.conf.host], [s['host'] for s in services])

    def test_reports_then_selections(self):
        self._report_all()
        _, result = self._select()
        self.assertEqual(1, len(result))
        selections = result[0]
        # The claimed primary, then max_attempts - 1 = 2 alternates.
        self.assertEqual(3, len(selections))
        self.assertEqual(set(HOSTS), {s.service_host for s in selections})
        primary = selections[0]
        self.assertEqual('Selection', primary.obj_name())
        self.assertEqual(primary.service_host + '.node', primary.nodename)
        request = json.loads(primary.allocation_request)
        self.assertEqual(
            {'VCPU': 2, 'MEMORY_MB': 2048, 'DISK_GB': 20},
            request['allocations'][primary.compute_node_uuid]['resources'])

    def test_several_instances_get_one_list_each(self):
        self._report_all()
        uuids, result = self._select(n=3)
        self.assertEqual(3, len(result))
        for selections in result:
            self.assertEqual('Selection', selections[0].obj_name())

    def test_no_valid_host_reaches_the_conductor_with_reason(self):
        self._report_all()
        spec = gantt_fixtures.request_spec(memory_mb=10 ** 7)
        exc = self.assertRaises(
            exception.NoValidHost, self.scheduler.select_destinations,
            self.ctxt, spec, [str(uuid.uuid4())])
        self.assertIn('RamFilter', str(exc))
        self.scheduler.ping(self.ctxt)

    def test_explain_ranks_without_claiming(self):
        self._report_all()
        spec = gantt_fixtures.request_spec()
        answer = self.scheduler.explain(self.ctxt, spec)
        self.assertEqual(set(HOSTS), {h['host'] for h in answer['hosts']})

    def test_restart_keeps_every_host(self):
        self._report_all()
        self.assertEqual(0, self.daemon.restart())
        # No compute reports again: everything comes from the database.
        _, result = self._select()
        self.assertEqual(set(HOSTS), {s.service_host for s in result[0]})

    def test_bad_casts_are_logged_and_service_keeps_serving(self):
        self._report_all()
        absurd = gantt_fixtures.compute_node('compute-bad', vcpus=-8)
        self.report.update_resource_stats(self.ctxt, absurd)
        raw = _raw_report_client(self)
        primitive = gantt_fixtures.compute_node(
            'compute-garbled').obj_to_primitive()
        primitive['versioned_object.data']['report_seq'] = 'lots'
        raw.cast(self.ctxt, 'update_resource_stats',
                 compute_node=primitive)
        raw.cast(self.ctxt, 'update_resource_stats',
                 compute_node='just a string')
        self.report.sync_instance_info(self.ctxt, 'compute-a', 'not-a-list')
        # A call after the casts: the single worker is still serving.
        end = time.monotonic() + 10
        while self.daemon.log().count('Ignored ') < 4:
            if time.monotonic() > end:
                self.fail('warnings missing; log:\n%s' %
                          self.daemon.log_tail())
            time.sleep(0.05)
        self.scheduler.ping(self.ctxt)
        log = self.daemon.log()
        self.assertIn('WARNING gantt.manager', log)
        self.assertIn('compute compute-bad', log)
        self.assertIn('resources.vcpus', log)
        self.assertIn('malformed object', log)
        self.assertIn('got a str', log)
        self.assertNotIn('compute-bad', self._stored_nodes())
        self.assertNotIn('compute-garbled', self._stored_nodes())
        _, result = self._select()
        self.assertIn(result[0][0].service_host, HOSTS)

    def test_malformed_call_returns_clear_error(self):
        raw = _raw_scheduler_client(self)
        exc = self.assertRaises(
            exception.InvalidRequest, raw.call, self.ctxt,
            'select_destinations', spec_obj={'flavor': 'big'},
            instance_uuids=[str(uuid.uuid4())], return_alternates=False)
        self.assertIn('expected a RequestSpec object, got a dict', str(exc))
        self.scheduler.ping(self.ctxt)

    def test_sigterm_exits_cleanly(self):
        self.assertEqual(0, self.daemon.stop())


class TestMultipleWorkers(testscenarios.WithScenarios,
                          gantt_fixtures.DaemonTestCase):

    scenarios = gantt_fixtures.BACKENDS
    workers = 2

    def _answering(self, want, deadline=30):
        """Worker pids seen answering pings, until `want` says enough."""
        pids = set()
        end = time.monotonic() + deadline
        while not want(pids) and time.monotonic() < end:
            pids.add(self.daemon.ping(timeout=5)['pid'])
        return pids

    def test_two_workers_answer(self):
        pids = self._answering(lambda seen: len(seen) >= 2, deadline=20)
        self.assertEqual(2, len(pids))
        self.assertEqual(0, self.daemon.stop())

    def test_a_killed_worker_is_replaced(self):
        first = self._answering(lambda seen: len(seen) >= 2)
        self.assertEqual(2, len(first))
        dead = min(first)
        os.kill(dead, signal.SIGKILL)
        # The survivor keeps answering; a new worker joins it.
        later = self._answering(lambda seen: seen - first)
        self.assertNotIn(dead, later)
        self.assertTrue(later - first, 'no new worker answered in 30 s; '
                        'log:\n%s' % self.daemon.log_tail())
        self.assertEqual(0, self.daemon.stop())


class TestReload(TestSchedulerDaemonBase):

    def test_sighup_applies_mutable_options_and_keeps_serving(self):
        self._report_all()
        _, result = self._select()
        self.assertEqual(3, len(result[0]))
        before = self.daemon.ping()['pid']
        self.daemon.write_config('max_attempts = 2\n')
        self.daemon.process.send_signal(signal.SIGHUP)
        # The worker restarts with the re-read options.
        end = time.monotonic() + 30
        while True:
            try:
                if self.daemon.ping()['pid'] != before:
                    break
            except Exception:  # the old worker is going away
                pass
            if time.monotonic() > end:
                self.fail('no fresh worker after SIGHUP; log:\n%s'
                          % self.daemon.log_tail())
        _, result = self._select()
        self.assertEqual(2, len(result[0]))
        self.assertIsNone(self.daemon.process.poll())


def _raw_report_client(test):
    from gantt import rpc
    return rpc.get_client(test.conf, test.daemon.transport,
                          namespace='report').prepare(version='1.0')


def _raw_scheduler_client(test):
    from gantt import rpc
    return rpc.get_client(test.conf, test.daemon.transport).prepare(
        version='1.0', timeout=10)


class TestBrokerDropsTheScheduler(TestSchedulerDaemonBase):
    """The broker closes the scheduler's connections (queues stay), as a
    network cut or a broker closing its clients does: the scheduler
    reconnects by itself, and a call and a cast sent meanwhile are
    answered and stored, not lost."""

    # The broker is what this is about; one database is enough.
    scenarios = [s for s in gantt_fixtures.BACKENDS if s[0] == 'sqlite']

    def test_reconnects_and_keeps_serving(self):
        self._report_all()
        pid = self.scheduler.ping(self.ctxt)['pid']
        closed = gantt_fixtures.drop_broker_connections(self, pid)
        # The RPC server's connection, and the one its replies went on.
        self.assertGreaterEqual(closed, 1)
        # Sent at once, while the scheduler reconnects: the call waits
        # (rpc_response_timeout), the cast waits in its queue.
        self.report.update_resource_stats(
            self.ctxt, gantt_fixtures.compute_node('compute-d'))
        uuids, result = self._select()
        primary = result[0][0]
        self._wait_for_hosts(HOSTS + ('compute-d',), deadline=30)
        # The claim was made once, on the primary it answered with.
        allocations = self.scheduler.get_allocations(self.ctxt, uuids[0])
        self.assertEqual([primary.compute_node_uuid],
                         list(allocations['allocations']))
        self.assertIn('Reconnected to AMQP server', self.daemon.log())
        self.assertEqual(pid, self.scheduler.ping(self.ctxt)['pid'])


class TestDatabaseDropsTheScheduler(TestSchedulerDaemonBase):
    """PostgreSQL ends the scheduler's sessions, as a restart or failover
    of the shared database does: the next decision and report reconnect
    and are stored, nothing stored before is lost."""

    scenarios = [s for s in gantt_fixtures.BACKENDS if s[0] == 'postgresql']

    def test_reconnects_and_keeps_serving(self):
        self._report_all()
        first, _ = self._select()
        ended = self.pg_schema.drop_connections()
        # The worker's pooled sessions at least.
        self.assertGreaterEqual(ended, 1)
        uuids, result = self._select()
        primary = result[0][0]
        self.report.update_resource_stats(
            self.ctxt, gantt_fixtures.compute_node('compute-d'))
        self._wait_for_hosts(HOSTS + ('compute-d',))
        self.assertEqual(
            [primary.compute_node_uuid],
            list(self.scheduler.get_allocations(
                self.ctxt, uuids[0])['allocations']))
        self.assertEqual(1, len(self.scheduler.get_allocations(
            self.ctxt, first[0])['allocations']))


class TestStopWhileDeciding(TestSchedulerDaemonBase):
    """SIGTERM while a worker is answering a call: the call is answered in
    full, then the daemon exits 0."""

    scenarios = [s for s in gantt_fixtures.BACKENDS if s[0] == 'sqlite']

    # Instances in the one request: enough that the reply (a thousand
    # Selections) is still to be built and sent when SIGTERM comes, just
    # after the request's one claim transaction committed.
    INSTANCES = 1000

    def _consumers(self):
        with self.db.engine.connect() as conn:
            return conn.execute(
                sa.text('SELECT count(*) FROM consumers')).scalar_one()

    def test_a_call_in_flight_is_answered_before_exit(self):
        for host in HOSTS:
            self.report.update_resource_stats(
                self.ctxt, gantt_fixtures.compute_node(
                    host, vcpus=10 ** 5, memory_mb=10 ** 8,
                    local_gb=10 ** 7))
        self._wait_for_hosts(HOSTS)
        n = self.INSTANCES
        spec = gantt_fixtures.request_spec(vcpus=1, memory_mb=1, root_gb=1,
                                           num_instances=n)
        uuids = [str(uuid.uuid4()) for _ in range(n)]
        answer = {}

        def call():
            try:
                answer['result'] = self.scheduler.select_destinations(
                    self.ctxt, spec, uuids, return_alternates=False)
            except Exception as exc:
                answer['error'] = exc

        caller = threading.Thread(target=call)
        caller.start()
        self.addCleanup(caller.join, 60)
        end = time.monotonic() + 30
        while not self._consumers():
            self.assertLess(time.monotonic(), end, 'no claim was made')
            time.sleep(0.002)
        self.daemon.process.send_signal(signal.SIGTERM)
        # The request's instances are claimed together, all or none.
        self.assertEqual(n, self._consumers())
        self.assertEqual(0, self.daemon.process.wait(60))
        caller.join(60)
        self.assertNotIn('error', answer)
        self.assertEqual(n, len(answer['result']))
        self.assertEqual(n, self._consumers())
