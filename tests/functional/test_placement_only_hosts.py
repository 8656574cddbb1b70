"""Providers only placement knows are hosts a real scheduler places on.

A nova 34 compute writes its provider and inventories through gantt-api
with nova's own SchedulerReportClient and never reports through Gantt;
gantt-manage import-nova brings providers from a placement database. Both
are hosts of the one store: a gantt-scheduler process places on them when
asked over Gantt's RPC and over nova's (nova's SchedulerAPI, run under
nova's interpreter), and a compute that later reports through Gantt keeps
the same host.
"""

import json
import os
import subprocess
import threading
import time
import uuid

import fixtures
import testtools

from gantt.cmd import api as cmd_api
from gantt import context
from gantt.db import api as db_api
from gantt import exception
from gantt.rpcapi import report as report_rpcapi
from gantt.rpcapi import scheduler as scheduler_rpcapi
from tests.functional import fixtures as gantt_fixtures
from tests.functional import test_nova_conductor
from tests.functional import test_nova_import
from tests.functional import test_nova_report_client
from tests.unit.db import base

HERE = os.path.dirname(os.path.abspath(__file__))
COMPUTE = os.path.join(HERE, 'nova_placement_compute.py')
CONDUCTOR = os.path.join(HERE, 'nova_conductor.py')
CELL = test_nova_conductor.CELL


class _Case(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.python = test_nova_report_client.nova_python()
        if not self.python:
            gantt_fixtures.skip_or_fail(
                self, 'no nova virtualenv: nova 34 writes the providers')
        self.url = gantt_fixtures.transport_url_or_skip(self)
        self.ctxt = context.RequestContext(
            user_id='user-1', project_id='project-1', is_admin=True)

    def start_scheduler(self, database_url=None):
        self.topic = 'scheduler-%s' % uuid.uuid4().hex[:12]
        self.daemon = self.useFixture(gantt_fixtures.SchedulerProcess(
            self.url, database_url=database_url,
            extra_conf='[nova]\nenabled = true\ndefault_cell_uuid = %s\n'
                       'topic = %s\n' % (CELL, self.topic)))
        self.scheduler = scheduler_rpcapi.SchedulerAPI(
            self.daemon.conf, self.daemon.transport)

    def serve_api(self):
        """A gantt-api over the scheduler daemon's store, in a thread:
        its URL, and the store as self.db."""
        self.db = db_api.Database(self.daemon.conf)
        self.addCleanup(self.db.dispose)
        server = cmd_api.make_server(self.daemon.conf, self.db,
                                     '127.0.0.1', 0)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return 'http://127.0.0.1:%d' % server.server_address[1]

    def select(self, n=1, **spec):
        spec.setdefault('vcpus', 2)
        spec.setdefault('memory_mb', 2048)
        spec.setdefault('root_gb', 20)
        az = spec.pop('availability_zone', None)
        request = gantt_fixtures.request_spec(num_instances=n, **spec)
        if az:
            request.availability_zone = az
        uuids = [str(uuid.uuid4()) for _ in range(n)]
        return uuids, self.scheduler.select_destinations(
            self.ctxt, request, uuids, return_alternates=True)


class TestNovaComputeProvider(_Case):
    """nova-compute's report client alone makes a placeable host."""

    def setUp(self):
        super().setUp()
        self.start_scheduler()
        self.api = self.serve_api()
        self.root = str(uuid.uuid4())
        proc = subprocess.run(
            [self.python, '-W', 'ignore', COMPUTE, self.api, self.root,
             'pc1'], capture_output=True, text=True, timeout=120)
        self.assertEqual(0, proc.returncode, proc.stderr[-3000:])
        self.written = json.loads(proc.stdout.strip().splitlines()[-1])

    def nova_select(self, **step):
        """nova's SchedulerAPI (nova's interpreter) selects for one."""
        nova = subprocess.Popen(
            [self.python, CONDUCTOR, self.url], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        step = dict({'op': 'select', 'vcpus': 2, 'memory_mb': 2048,
                     'root_gb': 20, 'return_alternates': True,
                     'instance_uuids': [str(uuid.uuid4())]}, **step)
        order = json.dumps({'topic': self.topic, 'version_cap': None,
                            'steps': [step]})
        out, err = nova.communicate(order + '\n', timeout=120)
        self.assertEqual(0, nova.returncode, err[-3000:])
        lines = out.strip().splitlines()
        outcome, = json.loads(lines[-1])
        self.assertNotIn('error', outcome, self.daemon.log_tail())
        return step['instance_uuids'][0], outcome['selections'][0]

    def held(self, consumer):
        return {rp: a['resources'] for rp, a in
                self.db.get_allocations(consumer)['allocations'].items()}

    def test_provider_nova_compute_wrote_is_placed_and_kept_on_report(self):
        # One daemon and one nova compute for both (nova starts slowly).
        self.check_gantt_and_nova_place_on_it()
        self.check_compute_reporting_later_keeps_the_same_host()

    def check_gantt_and_nova_place_on_it(self):
        self.assertEqual({'name': 'pc1',
                          'inventory': ['DISK_GB', 'MEMORY_MB', 'VCPU'],
                          'traits': ['HW_CPU_X86_AVX2']}, self.written)
        # No compute node row: placement is all the store knows of it.
        self.assertEqual([], self.db.get_changes(0).compute_nodes)

        # Over Gantt's RPC.
        (instance,), (selections,) = self.select()
        self.assertEqual([('pc1', 'pc1', self.root)], [
            (s.service_host, s.nodename, s.compute_node_uuid)
            for s in selections])
        self.assertEqual({self.root: {'VCPU': 2, 'MEMORY_MB': 2048,
                                      'DISK_GB': 20}}, self.held(instance))

        # Over nova's, as nova's conductor asks.
        instance, selections = self.nova_select()
        self.assertEqual([('pc1', 'pc1', self.root, CELL)], [
            (s['service_host'], s['nodename'], s['compute_node_uuid'],
             s['cell_uuid']) for s in selections])
        self.assertEqual({self.root: {'resources': {
            'VCPU': 2, 'MEMORY_MB': 2048, 'DISK_GB': 20}}},
            selections[0]['allocation_request']['allocations'])
        self.assertEqual({self.root: {'VCPU': 2, 'MEMORY_MB': 2048,
                                      'DISK_GB': 20}}, self.held(instance))

        # What the provider offers bounds it, as any host: 15872 MB are
        # usable and 4096 claimed.
        self.assertRaises(exception.NoValidHost, self.select,
                          memory_mb=12000)

    def check_compute_reporting_later_keeps_the_same_host(self):
        node = gantt_fixtures.compute_node('pc1', memory_mb=16384)
        node.uuid = self.root
        node.hypervisor_hostname = 'pc1'
        report_rpcapi.ReportClient(
            self.daemon.conf, self.daemon.transport).update_resource_stats(
                self.ctxt, node)
        end = time.monotonic() + 20
        while not self.db.get_changes(0).compute_nodes:
            if time.monotonic() > end:
                self.fail('report never stored:\n%s' % self.daemon.log_tail())
            time.sleep(0.05)
        self.assertEqual(1, len(self.db.get_changes(0).compute_nodes))
        # Three asked for, with alternates: one host, once.
        _uuids, selections = self.select(n=3, vcpus=1, memory_mb=512,
                                         root_gb=1)
        self.assertEqual([[('pc1', self.root)]] * 3, [
            [(s.service_host, s.compute_node_uuid) for s in per]
            for per in selections])


class TestImportedProviders(_Case):
    """Providers gantt-manage import-nova brought are placeable hosts."""

    def test_scheduler_places_on_imported_providers(self):
        # import-nova's own test builds the sources and runs the import.
        importer = test_nova_import.NovaImportTest('build_sources')
        importer.python = self.python
        importer.tmp = self.useFixture(fixtures.TempDir()).path
        (importer.root1, importer.child, importer.root2,
         importer.instance1, importer.instance2, importer.agg,
         importer.group) = (str(uuid.uuid4()) for _ in range(7))
        importer.placement = 'sqlite:///%s/placement.db' % importer.tmp
        importer.nova_api = 'sqlite:///%s/nova_api.db' % importer.tmp
        importer.build_sources()
        store = self.useFixture(base.DatabaseFixture())
        code, out = importer.manage(store)
        self.assertEqual(0, code, out)
        self.start_scheduler(database_url=store.url)

        # cn1 is in aggregate rack1 (zone az1) and offers disk; cn2 offers
        # no disk. Both take a diskless request; only cn1 a disk or az1.
        _u, (diskless,) = self.select(n=1, vcpus=1, memory_mb=512,
                                      root_gb=0)
        self.assertEqual({'cn1', 'cn2'},
                         {s.service_host for s in diskless})
        _u, (zoned,) = self.select(availability_zone='az1')
        self.assertEqual([('cn1', importer.root1)], [
            (s.service_host, s.compute_node_uuid) for s in zoned])
        _u, (disk,) = self.select()
        self.assertEqual(['cn1'], [s.service_host for s in disk])
