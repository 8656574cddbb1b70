"""gantt-manage's operator tables against a real daemon and its database."""

import time
import uuid

from gantt.db import api as db_api
from gantt.rpcapi import object_versions
from gantt.rpcapi import releases
from gantt.rpcapi import report as report_rpcapi
from gantt.rpcapi import scheduler as scheduler_rpcapi
from tests.functional import fixtures as gantt_fixtures


class TestManageTables(gantt_fixtures.DaemonTestCase):

    def setUp(self):
        super().setUp()
        report = report_rpcapi.ReportClient(self.conf, self.daemon.transport)
        self.scheduler = scheduler_rpcapi.SchedulerAPI(
            self.conf, self.daemon.transport)
        for host in ('compute-a', 'compute-b'):
            report.update_resource_stats(
                self.ctxt, gantt_fixtures.compute_node(host))
        db = db_api.Database(self.conf)
        self.addCleanup(db.dispose)
        end = time.monotonic() + 15
        while len([n for n in db.get_changes(0).compute_nodes
                   if not n.get('deleted')]) < 2:
            self.assertLess(time.monotonic(), end, 'reports not stored')
            time.sleep(0.05)
        self.consumer = str(uuid.uuid4())
        self.chosen = self.scheduler.select_destinations(
            self.ctxt, gantt_fixtures.request_spec(), [self.consumer],
            return_alternates=False)[0][0].service_host

    def manage(self, *args):
        return gantt_fixtures.manage(self.daemon, *args)

    def test_host_list_shows_state_usage_and_report_age(self):
        code, out = self.manage('host', 'list')
        self.assertEqual(0, code, out)
        lines = {line.split()[0]: line.split()
                 for line in out.splitlines()[1:]}
        self.assertEqual({'compute-a', 'compute-b'}, set(lines))
        chosen = lines[self.chosen]
        self.assertEqual('up', chosen[2])
        self.assertLess(int(chosen[3]), self.conf.service_down_time)
        self.assertEqual('1', chosen[4])
        # 16 vCPUs at the default allocation ratio of 16.
        self.assertEqual(['2/256', '(1%)'], chosen[5:7])

    def test_host_claims_lists_the_consumer(self):
        code, out = self.manage('host', 'claims', self.chosen)
        self.assertEqual(0, code, out)
        claimed = [line.split() for line in out.splitlines()
                   if line.startswith(self.consumer)]
        self.assertEqual({('MEMORY_MB', '2048'), ('VCPU', '2'),
                          ('DISK_GB', '20')},
                         {(c[3], c[4]) for c in claimed})
        code, out = self.manage('host', 'claims', 'no-such-host')
        self.assertEqual(2, code)

    def test_explain_names_the_filter_that_left_no_host(self):
        code, out = self.manage('explain', '--memory-mb', '10000000')
        self.assertEqual(3, code, out)
        self.assertIn('No host would take the request: RamFilter removed '
                      'the last 2', out)
        code, out = self.manage('explain', '--vcpus', '1', '--limit', '1')
        self.assertEqual(0, code, out)
        self.assertIn('The request would be placed', out)

    def test_service_list_versions_shows_apis_objects_and_caps(self):
        code, out = self.manage('service', 'list', '--versions')
        self.assertEqual(0, code, out)
        self.assertIn('scheduler API', out)
        self.assertIn('Selection=1.1', out)
        caps = [line.split() for line in out.splitlines()
                if line.startswith(('scheduler ', 'report '))]
        # Unpinned, each API is at this code's version, and the objects
        # past their first version are listed.
        expected = []
        for api in (releases.SCHEDULER, releases.REPORT):
            version = releases.speaks(releases.SERVICE_VERSION, api)
            manifest = object_versions.MANIFESTS[api][version]
            expected.append([api, '(unset)', version] + sorted(
                '%s=%s' % (name, v) for name, v in manifest.items()
                if v != '1.0'))
        self.assertEqual(expected, caps)
