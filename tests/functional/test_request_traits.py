"""Soft and any-of traits and the compute status pre-filter through a real
gantt-scheduler on RabbitMQ, on SQLite and on PostgreSQL: the traits
computes report on their root providers steer where instances land and
what the capacity query counts."""

import time
import uuid

import testscenarios

from gantt.db import api as db_api
from gantt import objects
from gantt.rpcapi import report as report_rpcapi
from gantt.rpcapi import scheduler as scheduler_rpcapi
from tests.functional import fixtures as gantt_fixtures

load_tests = testscenarios.load_tests_apply_scenarios

# host -> (memory MB, root traits); every host has 16 vCPUs and 500 GB.
HOSTS = {
    'ssd': (16384, ['CUSTOM_SSD']),
    'nvme': (32768, ['CUSTOM_NVME']),
    'big': (65536, ['CUSTOM_NOISY']),
    'off': (131072, ['COMPUTE_STATUS_DISABLED']),
}


class TestRequestTraits(gantt_fixtures.DaemonTestCase):

    scenarios = gantt_fixtures.BACKENDS
    # Lands in [scheduler]; the soft traits outweigh free RAM.
    extra_conf = ('[filter_scheduler]\n'
                  'trait_preference_weight_multiplier = 10.0\n')

    def setUp(self):
        super().setUp()
        report = report_rpcapi.ReportClient(self.conf, self.daemon.transport)
        self.scheduler = scheduler_rpcapi.SchedulerAPI(
            self.conf, self.daemon.transport)
        for host, (ram, traits) in HOSTS.items():
            node = gantt_fixtures.compute_node(host, memory_mb=ram)
            node.provider_tree = [objects.ResourceProvider(
                uuid=node.uuid, name=host, traits=traits)]
            report.update_resource_stats(self.ctxt, node)
        db = db_api.Database(self.conf)
        self.addCleanup(db.dispose)
        end = time.monotonic() + 15
        while len([n for n in db.get_changes(0).compute_nodes
                   if not n.get('deleted')]) < len(HOSTS):
            self.assertLess(time.monotonic(), end, 'reports not stored')
            time.sleep(0.05)

    def spec(self, **extra_specs):
        spec = gantt_fixtures.request_spec(vcpus=1, memory_mb=1024,
                                           root_gb=10)
        spec.flavor.extra_specs = dict(extra_specs)
        spec.instance_uuid = str(uuid.uuid4())
        return spec

    def place(self, **extra_specs):
        [[chosen]] = self.scheduler.select_destinations(
            self.ctxt, self.spec(**extra_specs), [str(uuid.uuid4())])
        return chosen.service_host

    def test_traits_steer_placement_and_capacity(self):
        # The disabled host has the most RAM, but the compute status
        # pre-filter keeps every request off it.
        self.assertEqual('big', self.place())
        self.assertEqual('ssd', self.place(**{
            'trait:CUSTOM_SSD': 'preferred'}))
        self.assertEqual('nvme', self.place(**{
            'trait:CUSTOM_NOISY': 'avoided'}))
        any_of = {'required': 'in:CUSTOM_SSD,CUSTOM_NVME'}
        self.assertEqual('nvme', self.place(**any_of))
        answer = self.scheduler.capacity(self.ctxt, self.spec(**any_of),
                                         limit=10)
        self.assertEqual({'ssd', 'nvme'},
                         {h['host'] for h in answer['hosts']})
        self.assertEqual(sum(h['instances'] for h in answer['hosts']),
                         answer['total'])
