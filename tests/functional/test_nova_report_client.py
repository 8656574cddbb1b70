"""nova 34's own SchedulerReportClient, run from nova's virtualenv,
against gantt-api on a real SQLite store: what nova writes is what Gantt's
store (and so its scheduler's change feed) holds."""

import json
import os
import subprocess
import sys
import threading
import uuid

import testtools

from gantt.bench import nova_process
from gantt.cmd import api as cmd_api
from gantt import exception
from tests.functional import fixtures as gantt_fixtures
from tests.unit.db import base

CLIENT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      'nova_report_client.py')


def nova_python():
    """The interpreter that imports nova: GANTT_NOVA_PYTHON, else a
    .venv-nova in the checkout or beside this interpreter's virtualenv."""
    venv = os.path.dirname(os.path.dirname(sys.executable))
    candidates = (os.path.join(gantt_fixtures.ROOT, '.venv-nova', 'bin',
                               'python'),
                  os.path.join(venv + '-nova', 'bin', 'python'))
    return nova_process.nova_python() or next(
        (p for p in candidates if os.path.exists(p)), None)


class NovaReportClientTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        if not nova_python():
            gantt_fixtures.skip_or_fail(
                self, '%s is not set and there is no .venv-nova: this test '
                'runs nova 34 in its own virtualenv'
                % nova_process.NOVA_PYTHON_ENV)
        store = self.useFixture(base.DatabaseFixture())
        self.db = store.db
        server = cmd_api.make_server(store.conf, self.db, '127.0.0.1', 0)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        self.url = 'http://127.0.0.1:%d' % server.server_address[1]

    def run_nova(self, *uuids):
        proc = subprocess.run(
            [nova_python(), '-W', 'ignore', CLIENT, self.url] + list(uuids),
            capture_output=True, text=True, timeout=120)
        self.assertEqual(0, proc.returncode, proc.stderr[-3000:])
        return json.loads(proc.stdout.strip().splitlines()[-1])

    def test_nova_writes_tree_claims_moves_and_reshapes_into_gantt_store(
            self):
        root, child, instance, migration, agg = (
            str(uuid.uuid4()) for _ in range(5))
        out = self.run_nova(root, child, instance, migration, agg)

        # What nova read back through gantt-api.
        self.assertEqual(sorted([root, child]), out['tree'])
        self.assertEqual(['CUSTOM_GOLD', 'HW_CPU_X86_AVX2'], out['traits'])
        self.assertEqual([agg], out['aggregates'])
        self.assertTrue(out['claimed'])
        self.assertEqual(
            {root: {'MEMORY_MB': 1024, 'VCPU': 2}, child: {'CUSTOM_FPGA': 1}},
            {rp: a['resources']
             for rp, a in out['instance']['allocations'].items()})
        self.assertEqual({'cores': 2, 'ram': 1024},
                         out['usages']['project'])
        self.assertTrue(out['moved'])
        self.assertEqual({}, out['after_move']['instance']['allocations'])
        self.assertEqual(
            {root, child},
            set(out['after_move']['migration']['allocations']))
        self.assertEqual({migration: {'resources': {'MEMORY_MB': 1024,
                                                    'VCPU': 2}}},
                         out['rp_allocations'])
        self.assertTrue(out['put'])
        self.assertTrue(out['deleted'])
        self.assertEqual({}, out['final']['allocations'])

        # What Gantt's store holds.
        rp = self.db.get_provider(root)
        self.assertEqual('node1', rp['name'])
        self.assertEqual(['CUSTOM_GOLD', 'HW_CPU_X86_AVX2'], rp['traits'])
        self.assertEqual([agg], rp['aggregates'])
        inv = rp['inventories']
        self.assertEqual((8, 4.0, 32), (inv['VCPU']['total'],
                                        inv['VCPU']['allocation_ratio'],
                                        inv['VCPU']['capacity']))
        self.assertEqual((4096, 512), (inv['MEMORY_MB']['total'],
                                       inv['MEMORY_MB']['reserved']))
        self.assertEqual(100, inv['DISK_GB']['total'])
        # Only the reshaped consumer (below) still holds anything.
        self.assertEqual({'VCPU': 1, 'MEMORY_MB': 0, 'DISK_GB': 0},
                         {rc: i['used'] for rc, i in inv.items()})
        for consumer in (instance, migration):
            self.assertEqual({}, self.db.get_allocations(
                consumer)['allocations'])

        # The reshape moved the other consumer's FPGA onto the new child,
        # and the old child is gone.
        reshaped = out['reshaped']
        child2, other = reshaped['child2'], reshaped['other']
        self.assertEqual(sorted([root, child2]), reshaped['tree'])
        self.assertEqual({root: {'VCPU': 1}, child2: {'CUSTOM_FPGA': 1}},
                         {rp: a['resources'] for rp, a in
                          self.db.get_allocations(other)[
                              'allocations'].items()})
        fpga = self.db.get_provider(child2)
        self.assertEqual((root, root), (fpga['parent_provider_uuid'],
                                        fpga['root_provider_uuid']))
        self.assertEqual((4, 1, 1), (
            fpga['inventories']['CUSTOM_FPGA']['total'],
            fpga['inventories']['CUSTOM_FPGA']['max_unit'],
            fpga['inventories']['CUSTOM_FPGA']['used']))
        self.assertRaises(exception.ResourceProviderNotFound,
                          self.db.get_provider, child)

        # The scheduler's change feed hands the whole tree out.
        fed = {p['uuid']: p for p in self.db.get_changes(0).providers}
        self.assertEqual(root, fed[child2]['root_provider_uuid'])
        self.assertEqual([agg], fed[root]['aggregates'])


class GanttAPIProcessTest(testtools.TestCase):
    """gantt-api as a process, from its configuration file."""

    def test_serves_placement_on_the_configured_port(self):
        import socket
        import time
        import urllib.request
        store = self.useFixture(base.DatabaseFixture())
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            port = s.getsockname()[1]
        config = os.path.join(store.state_path, 'gantt.conf')
        with open(config, 'w') as f:
            f.write('[DEFAULT]\nstate_path = %s\n[api]\nbind_port = %d\n'
                    % (store.state_path, port))
        proc = subprocess.Popen(
            [sys.executable, '-m', 'gantt.cmd.api', '--config-file', config],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.addCleanup(proc.wait)
        self.addCleanup(proc.terminate)
        self.assertIn('listening', proc.stdout.readline())
        rp = str(uuid.uuid4())
        req = urllib.request.Request(
            'http://127.0.0.1:%d/resource_providers' % port, method='POST',
            data=json.dumps({'uuid': rp, 'name': 'node9'}).encode(),
            headers={'Content-Type': 'application/json',
                     'OpenStack-API-Version': 'placement 1.20'})
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(req) as resp:
                    self.assertEqual(200, resp.status)
                break
            except ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.assertEqual('node9', store.db.get_provider(rp)['name'])
