"""The /metrics endpoint of a real two-worker gantt-scheduler, scraped.

Decisions, refusals, reports and stage timings made by either worker
appear in the parent's aggregate; a restart starts the counts afresh.
"""

import socket
import time
import urllib.request
import uuid

from prometheus_client import parser

from gantt import exception
from gantt.rpcapi import report as report_rpcapi
from gantt.rpcapi import scheduler as scheduler_rpcapi
from tests.functional import fixtures as gantt_fixtures


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class TestMetricsEndpoint(gantt_fixtures.DaemonTestCase):

    workers = 2

    def setUp(self):
        self.port = _free_port()
        self.extra_conf = ('report_check_interval = 0.2\n'
                           '[prometheus]\n'
                           'enabled = true\n'
                           'port = %d\n' % self.port)
        super().setUp()
        self.report = report_rpcapi.ReportClient(
            self.conf, self.daemon.transport)
        self.scheduler = scheduler_rpcapi.SchedulerAPI(
            self.conf, self.daemon.transport)

    def scrape(self):
        url = 'http://127.0.0.1:%d/metrics' % self.port
        with urllib.request.urlopen(url, timeout=10) as answer:
            text = answer.read().decode()
        samples = {}
        for family in parser.text_string_to_metric_families(text):
            for s in family.samples:
                key = (s.name,) + tuple(sorted(s.labels.items()))
                samples[key] = s.value
        return samples

    def value(self, samples, name, **labels):
        return samples.get((name,) + tuple(sorted(labels.items())), 0)

    def _select(self, spec, deadline=15):
        end = time.monotonic() + deadline
        while True:
            try:
                return self.scheduler.select_destinations(
                    self.ctxt, spec, [str(uuid.uuid4())])
            except exception.NoValidHost:
                if time.monotonic() > end:
                    raise
                time.sleep(0.05)

    def _wait_for(self, name, minimum, deadline=15, **labels):
        end = time.monotonic() + deadline
        while True:
            samples = self.scrape()
            if self.value(samples, name, **labels) >= minimum:
                return samples
            if time.monotonic() > end:
                self.fail('%s%r stayed below %s: %r' % (
                    name, labels, minimum,
                    {k: v for k, v in samples.items()
                     if k[0].startswith('gantt_')}))
            time.sleep(0.1)

    def test_counters_move_with_a_real_run(self):
        before = self.scrape()
        self.assertEqual(0, self.value(before, 'gantt_decisions_total',
                                       outcome='placed'))
        for host in ('compute-a', 'compute-b'):
            self.report.update_resource_stats(
                self.ctxt, gantt_fixtures.compute_node(host))
        self.report.update_resource_stats(   # an older sequence: stale
            self.ctxt, gantt_fixtures.compute_node('compute-a', seq=0))
        for _ in range(4):
            self._select(gantt_fixtures.request_spec())
        self.assertRaises(
            exception.NoValidHost, self.scheduler.select_destinations,
            self.ctxt, gantt_fixtures.request_spec(memory_mb=10 ** 7),
            [str(uuid.uuid4())])
        samples = self._wait_for('gantt_hosts', 2, state='up')
        self.assertGreaterEqual(self.value(
            samples, 'gantt_decisions_total', outcome='placed'), 4)
        self.assertEqual(1, self.value(
            samples, 'gantt_refusals_total', reason='RamFilter'))
        self.assertEqual(2, self.value(
            samples, 'gantt_reports_total', outcome='stored'))
        self.assertEqual(1, self.value(
            samples, 'gantt_reports_total', outcome='stale'))
        for stage in ('refresh', 'filter', 'weigh', 'claim'):
            self.assertGreaterEqual(self.value(
                samples, 'gantt_decision_stage_seconds_count',
                stage=stage), 5, stage)
        self.assertEqual(0, self.value(samples, 'gantt_hosts',
                                       state='down'))
        self.assertLess(self.value(samples, 'gantt_report_age_max_seconds'),
                        self.conf.service_down_time)

    def test_a_restart_starts_the_counts_afresh(self):
        self.report.update_resource_stats(
            self.ctxt, gantt_fixtures.compute_node('compute-a'))
        self._select(gantt_fixtures.request_spec())
        self._wait_for('gantt_decisions_total', 1, outcome='placed')
        self.daemon.restart()
        samples = self.scrape()
        self.assertEqual(0, self.value(samples, 'gantt_decisions_total',
                                       outcome='placed'))
