"""Reservations through a real gantt-scheduler on RabbitMQ, on SQLite and
on PostgreSQL: reserve, build on the reservation, expire at the deadline
with no sweep, keep across a restart, release; the reservation respects
its server group, and capacity counts reserved instances as taken."""

import time
import uuid

import testscenarios

from gantt.db import api as db_api
from gantt import exception
from gantt.rpcapi import report as report_rpcapi
from gantt.rpcapi import scheduler as scheduler_rpcapi
from tests.functional import fixtures as gantt_fixtures

load_tests = testscenarios.load_tests_apply_scenarios

HOSTS = ('compute-a', 'compute-b', 'compute-c')
# Each host takes two instances of the test flavor (20 GB of 40 disk).
PER_HOST = 2
TOTAL = PER_HOST * len(HOSTS)


class TestReservations(gantt_fixtures.DaemonTestCase):

    scenarios = gantt_fixtures.BACKENDS
    # The daemon never sweeps on its own: expiry must not wait for it.
    extra_conf = '[reservation]\nsweep_interval = 0\n'

    def setUp(self):
        super().setUp()
        report = report_rpcapi.ReportClient(self.conf, self.daemon.transport)
        self.scheduler = scheduler_rpcapi.SchedulerAPI(
            self.conf, self.daemon.transport)
        for host in HOSTS:
            report.update_resource_stats(
                self.ctxt, gantt_fixtures.compute_node(
                    host, vcpus=4, memory_mb=8192, local_gb=40))
        self.db = db_api.Database(self.conf)
        self.addCleanup(self.db.dispose)
        end = time.monotonic() + 15
        while len([n for n in self.db.get_changes(0).compute_nodes
                   if not n.get('deleted')]) < len(HOSTS):
            self.assertLess(time.monotonic(), end, 'reports not stored')
            time.sleep(0.05)

    def spec(self, reservation=None, group=None):
        spec = gantt_fixtures.request_spec()
        spec.instance_uuid = str(uuid.uuid4())
        if reservation:
            spec.scheduler_hints = {'reservation': [reservation]}
        if group:
            from gantt import objects
            spec.instance_group = objects.InstanceGroup(uuid=group)
        return spec

    def reserve(self, count, seconds=60, group=None):
        return self.scheduler.reserve(self.ctxt, self.spec(group=group),
                                      count, seconds=seconds)

    def capacity(self):
        return self.scheduler.capacity(self.ctxt, self.spec())['total']

    def build(self, count, reservation=None):
        return self.scheduler.select_destinations(
            self.ctxt, self.spec(reservation),
            [str(uuid.uuid4()) for _ in range(count)])

    def wait_past(self, deadline):
        # ISO deadline of the reservation; a few seconds at most.
        import datetime
        when = datetime.datetime.fromisoformat(deadline)
        while datetime.datetime.utcnow() <= when:
            time.sleep(0.1)

    def test_reserved_capacity_is_taken_and_a_build_takes_it_over(self):
        self.assertEqual(TOTAL, self.capacity())
        held = self.reserve(3)
        self.assertEqual(3, held['held'])
        self.assertEqual(TOTAL - 3, self.capacity())
        reserved_hosts = sorted(s['host'] for s in held['slots'])

        built = self.build(2, held['uuid'])
        got = sorted(sels[0].service_host for sels in built)
        self.assertTrue(set(got) <= set(reserved_hosts), (got, held))
        self.assertEqual([1], [len(sels) for sels in built][:1])
        # Taking the slots over claims nothing more.
        self.assertEqual(TOTAL - 3, self.capacity())
        left = self.db.get_reservation(held['uuid'])
        self.assertEqual(1, left['held'])
        err = self.assertRaises(exception.NoValidHost, self.build, 2,
                                held['uuid'])
        self.assertIn('2 instances ask for it, 1 of its 3 slots are left',
                      str(err))

        # A reservation in an anti-affinity group: one slot per host.
        group = str(uuid.uuid4())
        self.scheduler.create_server_group(self.ctxt, group, 'web',
                                           'anti-affinity')
        self.scheduler.release_reservation(self.ctxt, held['uuid'])
        spread = self.reserve(3, group=group)
        self.assertEqual(sorted(HOSTS),
                         sorted(s['host'] for s in spread['slots']))
        err = self.assertRaises(exception.NoValidHost, self.reserve, 1,
                                group=group)
        self.assertIn('anti', str(err).lower())

    def test_build_on_a_reservation_stores_its_spec_and_can_move(self):
        held = self.reserve(1)
        instance = str(uuid.uuid4())
        (sel,), = self.scheduler.select_destinations(
            self.ctxt, self.spec(held['uuid']), [instance])
        spec = self.scheduler.get_instance(self.ctxt,
                                           instance)['request_spec']
        self.assertEqual(instance, spec.instance_uuid)
        # The reservation was the build's only: a migration places anew.
        self.assertNotIn('reservation', spec.scheduler_hints)
        moved, *_ = self.scheduler.move_instance(
            self.ctxt, instance, 'migrate',
            migration_uuid=str(uuid.uuid4()), return_alternates=True)
        self.assertNotEqual(sel.service_host, moved.service_host)

    def test_expired_reservation_frees_its_hosts_before_any_sweep(self):
        held = self.reserve(TOTAL, seconds=2)
        self.assertEqual(0, self.capacity())
        self.assertRaises(exception.NoValidHost, self.build, 1)
        self.wait_past(held['deadline'])
        self.assertEqual(TOTAL, self.capacity())
        self.assertEqual(TOTAL, len(self.build(TOTAL)))
        # Not swept: listed as expired, and a build naming it is told.
        listed = self.scheduler.list_reservations(self.ctxt)
        self.assertEqual([(held['uuid'], True)],
                         [(r['uuid'], r['expired']) for r in listed])
        err = self.assertRaises(exception.NoValidHost, self.build, 1,
                                held['uuid'])
        self.assertIn('expired at', str(err))

    def test_restart_keeps_reservations_and_frees_expired_ones(self):
        kept = self.reserve(2, seconds=120)
        gone = self.reserve(2, seconds=2)
        self.assertEqual(TOTAL - 4, self.capacity())
        self.wait_past(gone['deadline'])
        self.assertEqual(0, self.daemon.restart())
        self.assertEqual([kept['uuid']], [r['uuid'] for r in
                                          self.db.list_reservations()])
        self.assertEqual(TOTAL - 2, self.capacity())
        built = self.build(2, kept['uuid'])
        self.assertEqual(sorted(s['host'] for s in kept['slots']),
                         sorted(sels[0].service_host for sels in built))

    def test_release_gives_the_capacity_back(self):
        held = self.reserve(4)
        self.assertEqual(TOTAL - 4, self.capacity())
        self.assertEqual(4, self.scheduler.release_reservation(
            self.ctxt, held['uuid']))
        self.assertEqual(TOTAL, self.capacity())
        self.assertRaises(exception.ReservationNotFound,
                          self.scheduler.release_reservation, self.ctxt,
                          held['uuid'])

        # The same through gantt-manage.
        code, out = gantt_fixtures.manage(
            self.daemon, 'reservation', 'create', '--flavor',
            'm1.test:2:2048:20', '--instances', '2', '--seconds', '600')
        self.assertEqual(0, code, out)
        uuid_ = out.splitlines()[1].split()[0]
        code, out = gantt_fixtures.manage(self.daemon, 'reservation', 'list')
        self.assertEqual(0, code, out)
        self.assertEqual(2, len([line for line in out.splitlines()
                                 if line.startswith(uuid_)]))
        self.assertIn('held', out)
        code, out = gantt_fixtures.manage(self.daemon, 'reservation',
                                          'release', uuid_)
        self.assertEqual(0, code, out)
        self.assertIn('2 slots given back', out)
        code, out = gantt_fixtures.manage(self.daemon, 'reservation',
                                          'release', uuid_)
        self.assertEqual(2, code, out)
        self.assertIn('not held', out)
