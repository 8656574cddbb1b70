"""The interface floor's answers and its processes' lifecycle."""

import json
import subprocess
import sys

import fixtures
import testtools

from gantt.bench import interface_floor
from gantt import conf as gantt_conf
from gantt import context
from gantt import manager
from gantt import objects
from gantt import request as gantt_request
from gantt.objects import selection as selection_obj
from gantt.sim import conductor


class TestFixedDecider(testtools.TestCase):

    def setUp(self):
        super().setUp()
        objects.register_all()
        self.decider = interface_floor.FixedDecider()
        self.ctxt, self.spec, _ = conductor.RequestMaker(seed=3).make()
        self.request = gantt_request.from_spec(self.spec)

    def test_each_instance_gets_a_primary_and_alternates_best_first(self):
        uuids = ['11111111-1111-4111-8111-111111111111',
                 '22222222-2222-4222-8222-222222222222']
        answer = self.decider.select_destinations(self.ctxt, self.request,
                                                  uuids)
        self.assertEqual(2, len(answer))
        for selections in answer:
            self.assertEqual(interface_floor.HOSTS, len(selections))
            weights = [s.weight for s in selections]
            self.assertEqual(sorted(weights, reverse=True), weights)
            self.assertEqual(len(set(s.compute_node_uuid
                                     for s in selections)),
                             len(selections))

    def test_without_alternates_only_the_primary(self):
        answer = self.decider.select_destinations(
            self.ctxt, self.request,
            ['11111111-1111-4111-8111-111111111111'],
            return_alternates=False)
        self.assertEqual([1], [len(s) for s in answer])

    def test_allocation_request_claims_the_flavor_on_its_own_node(self):
        flavor = self.spec.flavor
        [[primary, *_]] = self.decider.select_destinations(
            self.ctxt, self.request, ['11111111-1111-4111-8111-111111111111'])
        alloc = json.loads(primary.allocation_request)
        self.assertEqual(
            {primary.compute_node_uuid: {'resources': {
                'VCPU': flavor.vcpus, 'MEMORY_MB': flavor.memory_mb,
                'DISK_GB': flavor.root_gb + flavor.ephemeral_gb}}},
            alloc['allocations'])
        self.assertEqual({'': [primary.compute_node_uuid]},
                         alloc['mappings'])
        self.assertEqual(selection_obj.ALLOCATION_REQUEST_VERSION,
                         primary.allocation_request_version)

    def test_serves_behind_the_scheduler_manager(self):
        # As the floor server runs it: the manager reads the spec first.
        endpoint = manager.SchedulerManager(gantt_conf.build_conf([]),
                                            self.decider)
        [[primary]] = endpoint.select_destinations(
            self.ctxt, self.spec, ['11111111-1111-4111-8111-111111111111'])
        self.assertEqual('floor-host-0', primary.service_host)

    def test_answers_travel_as_selections(self):
        [[primary, *_]] = self.decider.select_destinations(
            self.ctxt, self.request, ['11111111-1111-4111-8111-111111111111'])
        back = selection_obj.Selection.obj_from_primitive(
            primary.obj_to_primitive(), context.get_admin_context())
        self.assertEqual(primary.service_host, back.service_host)
        self.assertEqual(primary.allocation_request,
                         back.allocation_request)


# A process that exits 0 on SIGTERM, as a floor server does; it says
# "ready" once its handler is in place.
_GRACEFUL = ('import signal, sys, time\n'
             'signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))\n'
             'print("ready", flush=True)\n'
             'time.sleep(60)\n')
# One that SIGTERM kills.
_PLAIN = 'import time\nprint("ready", flush=True)\ntime.sleep(60)\n'


class TestFloorServers(testtools.TestCase):

    def setUp(self):
        super().setUp()
        workdir = self.useFixture(fixtures.TempDir()).path
        self.servers = interface_floor.FloorServers(
            workdir, 'rabbit://guest:guest@127.0.0.1:5672/', workers=2)

    def spawn(self, *codes):
        """Start one process per code and wait until each is ready."""
        self.servers.processes = [
            subprocess.Popen([sys.executable, '-c', code],
                             stdout=subprocess.PIPE, text=True)
            for code in codes]
        for proc in self.servers.processes:
            self.addCleanup(proc.stdout.close)
            self.addCleanup(proc.kill)
            self.assertEqual('ready\n', proc.stdout.readline())

    def test_running_processes_have_not_exited(self):
        self.spawn(_GRACEFUL, _GRACEFUL)
        self.assertIsNone(self.servers.exited())

    def test_one_process_that_ended_is_seen(self):
        self.spawn(_GRACEFUL, 'print("ready", flush=True)\n'
                              'raise SystemExit(3)\n')
        self.servers.processes[1].wait(timeout=30)
        self.assertEqual(3, self.servers.exited())

    def test_stop_ends_every_process_and_reports_success(self):
        self.spawn(_GRACEFUL, _GRACEFUL)
        self.assertEqual(0, self.servers.stop(timeout=10))
        self.assertEqual([0, 0], [p.returncode
                                  for p in self.servers.processes])

    def test_stop_reports_a_process_that_did_not_end_cleanly(self):
        self.spawn(_GRACEFUL, _PLAIN)
        self.assertEqual(-15, self.servers.stop(timeout=10))
