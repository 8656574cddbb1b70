"""Capacity and the request pre-filters through a real gantt-scheduler on
RabbitMQ, on SQLite and on PostgreSQL: the capacity RPC and gantt-manage
capacity count what fits, a claim lowers the count, and a project confined
to its aggregate is counted and placed there only."""

import time
import uuid

import testscenarios

from gantt.db import api as db_api
from gantt import objects
from gantt.rpcapi import report as report_rpcapi
from gantt.rpcapi import scheduler as scheduler_rpcapi
from tests.functional import fixtures as gantt_fixtures

load_tests = testscenarios.load_tests_apply_scenarios

HOSTS = ('compute-a', 'compute-b', 'compute-c')
AZ_AGG = '7d6cbd43-1c55-4e44-9d1c-3a6f0c7b4a01'
TENANT_AGG = '7d6cbd43-1c55-4e44-9d1c-3a6f0c7b4a02'


class TestCapacity(gantt_fixtures.DaemonTestCase):

    scenarios = gantt_fixtures.BACKENDS
    extra_conf = 'limit_tenants_to_placement_aggregate = true\n'

    def setUp(self):
        super().setUp()
        report = report_rpcapi.ReportClient(self.conf, self.daemon.transport)
        self.scheduler = scheduler_rpcapi.SchedulerAPI(
            self.conf, self.daemon.transport)
        for host in HOSTS:
            report.update_resource_stats(
                self.ctxt, gantt_fixtures.compute_node(host))
        report.update_aggregates(self.ctxt, [
            objects.Aggregate(id=1, uuid=AZ_AGG, name='az1-hosts',
                              hosts=['compute-a', 'compute-b'],
                              metadata={'availability_zone': 'az1'}),
            objects.Aggregate(id=2, uuid=TENANT_AGG, name='iso-hosts',
                              hosts=['compute-c'],
                              metadata={'filter_tenant_id': 'project-iso'})])
        db = db_api.Database(self.conf)
        self.addCleanup(db.dispose)
        end = time.monotonic() + 15
        while True:
            changes = db.get_changes(0)
            if (len([n for n in changes.compute_nodes
                     if not n.get('deleted')]) == 3 and
                    len(changes.aggregates) == 2):
                break
            self.assertLess(time.monotonic(), end, 'reports not stored')
            time.sleep(0.05)

    def spec(self, project='project-1', **flavor):
        spec = gantt_fixtures.request_spec(**flavor)
        spec.project_id = project
        spec.instance_uuid = str(uuid.uuid4())
        return spec

    def capacity(self, spec, limit=None):
        return self.scheduler.capacity(self.ctxt, spec, limit=limit)

    def manage(self, *args):
        return gantt_fixtures.manage(self.daemon, *args)

    def test_counts_per_zone_and_aggregate_and_a_claim_takes_one(self):
        before = self.capacity(self.spec(), limit=10)
        per_host = {h['host']: h['instances'] for h in before['hosts']}
        self.assertEqual(set(HOSTS), set(per_host))
        self.assertGreater(before['total'], 0)
        self.assertEqual(sum(per_host.values()), before['total'])
        zones = {z['name']: z['instances'] for z in before['by_az']}
        self.assertEqual(per_host['compute-a'] + per_host['compute-b'],
                         zones['az1'])
        aggs = {a['name']: a['instances'] for a in before['by_aggregate']}
        self.assertEqual(per_host['compute-c'], aggs['iso-hosts'])

        [[chosen]] = self.scheduler.select_destinations(
            self.ctxt, self.spec(), [str(uuid.uuid4())])
        after = self.capacity(self.spec(), limit=10)
        self.assertEqual(before['total'] - 1, after['total'])
        self.assertEqual(
            per_host[chosen.service_host] - 1,
            {h['host']: h['instances']
             for h in after['hosts']}[chosen.service_host])

    def test_confined_project_counts_and_lands_in_its_aggregate(self):
        everyone = self.capacity(self.spec(), limit=10)
        confined = self.capacity(self.spec(project='project-iso'),
                                 limit=10)
        self.assertEqual(['compute-c'], [h['host'] for h in
                                         confined['hosts']])
        self.assertEqual(
            {h['host']: h['instances']
             for h in everyone['hosts']}['compute-c'], confined['total'])
        for _ in range(3):
            [[chosen]] = self.scheduler.select_destinations(
                self.ctxt, self.spec(project='project-iso'),
                [str(uuid.uuid4())])
            self.assertEqual('compute-c', chosen.service_host)

    def test_manage_capacity_prints_a_table_per_flavor_and_zone(self):
        code, out = self.manage('capacity', '--flavor', 'm1.test:2:2048:20',
                                '--flavor', 'm1.huge:2:10000000:20',
                                '--by', 'az')
        self.assertEqual(3, code, out)
        lines = [line.split() for line in out.splitlines()]
        answer = self.capacity(self.spec())
        self.assertEqual(['m1.test', '2', '2048', '20',
                          str(answer['total']), '3/3'], lines[1][:6])
        self.assertEqual(['m1.huge', '2', '10000000', '20', '0'],
                         lines[2][:5])
        self.assertEqual(['zone', 'm1.test', 'm1.huge'], lines[4])
        self.assertEqual(['az1', str(sum(
            z['instances'] for z in answer['by_az'] if z['name'] == 'az1')),
            '0'], lines[5])
