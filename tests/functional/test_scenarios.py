"""Data-driven scenarios against a real gantt-scheduler on RabbitMQ.

Each file in tests/functional/scenarios/ is one test: a daemon started
with the file's configuration, the file's hosts, aggregates and instances
reported over the report API, then the file's requests made in order over
the scheduler API, each checked against the outcome the file expects.
"""

import testscenarios

from gantt.db import api as db_api
from gantt import exception
from gantt.rpcapi import report as report_rpcapi
from gantt.rpcapi import scheduler as scheduler_rpcapi
from tests.functional import fixtures as gantt_fixtures
from tests.functional import scenario_runner


class TestScenarios(testscenarios.WithScenarios,
                    gantt_fixtures.DaemonTestCase):

    scenarios = scenario_runner.load_all()

    def setUp(self):
        self.scenario = scenario_runner.load(self.scenario_file)
        if self.scenario.get('skip'):
            self.skipTest(self.scenario['skip'])
        self.default_conf, self.extra_conf = scenario_runner.conf_texts(
            self.scenario)
        super().setUp()
        self.report = report_rpcapi.ReportClient(
            self.conf, self.daemon.transport)
        self.scheduler = scheduler_rpcapi.SchedulerAPI(
            self.conf, self.daemon.transport)
        self.db = db_api.Database(self.conf)
        self.addCleanup(self.db.dispose)

    def _ask(self, req):
        spec = scenario_runner.request_spec(req)
        uuids = scenario_runner.instance_uuids(req)
        try:
            return self.scheduler.select_destinations(
                self.ctxt, spec, uuids, return_alternates=True)
        except exception.GanttException as exc:
            return exc

    def test_scenario(self):
        scenario_runner.send_reports(self.report, self.ctxt, self.scenario)
        scenario_runner.wait_until_known(
            self, self.db, self.scheduler, self.ctxt, self.scenario)
        known_bugs = []
        for index, req in enumerate(self.scenario['requests'], 1):
            name = '%s request %d (%s)' % (
                self.scenario_file.rsplit('/', 1)[-1], index,
                req.get('name', 'unnamed'))
            problem = scenario_runner.check(req, self._ask(req))
            if req.get('known_bug'):
                if problem is None:
                    self.fail('%s passes: the known bug "%s" looks fixed; '
                              'drop known_bug' % (name, req['known_bug']))
                known_bugs.append('%s: %s (%s)' % (
                    name, req['known_bug'], problem))
            elif problem is not None:
                self.fail('%s: %s' % (name, problem))
        # The daemon survived every request.
        self.scheduler.ping(self.ctxt)
        if known_bugs:
            self.skipTest('known Gantt bug(s), expectations kept: %s'
                          % '; '.join(known_bugs))
