"""Dedicated CPUs as PCPU through a real gantt-scheduler on RabbitMQ, on
SQLite and on PostgreSQL: a compute's report with dedicated CPUs in its
NUMA cells gives it a PCPU inventory, pinned guests are claimed from it
(and not from VCPU), and a host without dedicated CPUs takes none."""

import time
import uuid

import testscenarios

from gantt.db import api as db_api
from gantt import exception
from gantt import objects
from gantt.rpcapi import report as report_rpcapi
from gantt.rpcapi import scheduler as scheduler_rpcapi
from tests.functional import fixtures as gantt_fixtures

load_tests = testscenarios.load_tests_apply_scenarios


def _pinned_node():
    """A compute with one cell: CPUs 0-1 shared, 2-5 dedicated."""
    node = gantt_fixtures.compute_node('pinned', vcpus=2, memory_mb=16384)
    node.numa = objects.NUMATopology(cells=[objects.NUMACell(
        id=0, cpuset=[0, 1], pcpuset=[2, 3, 4, 5],
        siblings=[[0], [1], [2], [3], [4], [5]], memory=16384,
        mempages=[objects.NUMAPagesTopology(size_kb=4, total=4194304)])])
    return node


class TestPcpu(gantt_fixtures.DaemonTestCase):

    scenarios = gantt_fixtures.BACKENDS

    def setUp(self):
        super().setUp()
        report = report_rpcapi.ReportClient(self.conf, self.daemon.transport)
        self.scheduler = scheduler_rpcapi.SchedulerAPI(
            self.conf, self.daemon.transport)
        # The host without dedicated CPUs has the most free RAM: the RAM
        # weigher would pick it for any guest it can take.
        self.nodes = {'pinned': _pinned_node(),
                      'shared': gantt_fixtures.compute_node(
                          'shared', vcpus=16, memory_mb=65536)}
        for node in self.nodes.values():
            report.update_resource_stats(self.ctxt, node)
        self.db = db_api.Database(self.conf)
        self.addCleanup(self.db.dispose)
        end = time.monotonic() + 15
        while len([n for n in self.db.get_changes(0).compute_nodes
                   if not n.get('deleted')]) < len(self.nodes):
            self.assertLess(time.monotonic(), end, 'reports not stored')
            time.sleep(0.05)

    def place(self, policy):
        spec = gantt_fixtures.request_spec(vcpus=2, memory_mb=1024,
                                           root_gb=10)
        spec.flavor.extra_specs = {'hw:cpu_policy': policy}
        spec.instance_uuid = instance = str(uuid.uuid4())
        [[chosen]] = self.scheduler.select_destinations(
            self.ctxt, spec, [instance])
        allocs = self.db.get_allocations(instance)['allocations']
        return chosen.service_host, allocs[chosen.compute_node_uuid][
            'resources']

    def test_pinned_guests_take_pcpu_until_none_is_left(self):
        pinned = self.nodes['pinned'].uuid
        inventories = {inv['resource_class']: inv
                       for inv in self.db.get_changes(0).inventories
                       if inv['provider_uuid'] == pinned}
        self.assertEqual((4, 1.0), (inventories['PCPU']['total'],
                                    inventories['PCPU']['allocation_ratio']))
        self.assertEqual(('shared', {'VCPU': 2, 'MEMORY_MB': 1024,
                                     'DISK_GB': 10}),
                         self.place('shared'))
        for _ in range(2):
            self.assertEqual(('pinned', {'PCPU': 2, 'MEMORY_MB': 1024,
                                         'DISK_GB': 10}),
                             self.place('dedicated'))
        err = self.assertRaises(exception.NoValidHost, self.place,
                                'dedicated')
        self.assertIn('no capacity left', str(err))
