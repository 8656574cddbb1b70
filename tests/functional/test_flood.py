"""A flood of bad messages against a real gantt-scheduler worker.

Thousands of broken report casts on the report topic, malformed calls and
oversized bodies on the scheduler topic, while a conductor keeps asking
for hosts: every valid call is answered and correct (report casts have a
queue and a consumer of their own, and the prefetch keeps the flood out
of the worker's memory until it is handled), the worker's memory comes
back to what it was, and each bad message costs a bounded log.
"""

import json
import statistics
import threading
import time
import uuid

from gantt.db import api as db_api
from gantt import rpc
from gantt.rpcapi import report as report_rpcapi
from gantt.rpcapi import scheduler as scheduler_rpcapi
from tests.functional import fixtures as gantt_fixtures
from tests.functional import raw_bus

HOSTS = ('flood-a', 'flood-b', 'flood-c')
BAD_CASTS = 4000
BAD_CALLS = 500
OVERSIZED = 20
# What the worker may keep after the flood, over its baseline.
RSS_MARGIN_KB = 40 * 1024


def _rss_kb(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    raise AssertionError('no VmRSS for %d' % pid)


class TestFlood(gantt_fixtures.DaemonTestCase):

    def setUp(self):
        super().setUp()
        self.report = report_rpcapi.ReportClient(
            self.conf, self.daemon.transport)
        self.scheduler = scheduler_rpcapi.SchedulerAPI(
            self.conf, self.daemon.transport)
        for host in HOSTS:
            self.report.update_resource_stats(
                self.ctxt, gantt_fixtures.compute_node(
                    host, vcpus=10 ** 6, memory_mb=10 ** 9,
                    local_gb=10 ** 7))
        db = db_api.Database(self.conf)
        self.addCleanup(db.dispose)
        end = time.monotonic() + 30
        while set(HOSTS) - {n['host'] for n in
                            db.get_changes(0).compute_nodes}:
            self.assertLess(time.monotonic(), end, self.daemon.log_tail())
            time.sleep(0.05)

    def _select(self):
        started = time.monotonic()
        result = self.scheduler.select_destinations(
            self.ctxt, gantt_fixtures.request_spec(vcpus=1, memory_mb=64,
                                                   root_gb=1),
            [str(uuid.uuid4())])
        self.assertIn(result[0][0].service_host, HOSTS)
        return time.monotonic() - started

    def _flood(self, bus_reports, bus_calls):
        node = gantt_fixtures.compute_node('flood-a', seq=10 ** 6)
        primitive = node.obj_to_primitive()
        primitive['versioned_object.data']['resources'][
            'versioned_object.data']['vcpus'] = '16'
        for i in range(BAD_CASTS):
            message = {'method': 'update_resource_stats',
                       'namespace': 'report', 'version': '1.2',
                       'args': {'compute_node': primitive},
                       '_unique_id': uuid.uuid4().hex}
            bus_reports.publish(raw_bus.envelope(json.dumps(message)))
        for i in range(BAD_CALLS):
            msg_id = uuid.uuid4().hex
            bus_calls.call(raw_bus.call_message(
                'select_destinations', {'spec_obj': {'flavor': 'x'},
                                        'instance_uuids': 5},
                msg_id, bus_calls.reply_q))
        for i in range(OVERSIZED):
            msg_id = uuid.uuid4().hex
            bus_calls.call(raw_bus.call_message(
                'select_destinations', {'spec_obj': 'x' * (2 * 1024 ** 2)},
                msg_id, bus_calls.reply_q))

    def test_valid_calls_flow_and_memory_returns_during_a_flood(self):
        pid = self.daemon.process.pid
        baseline = [self._select() for _ in range(30)]
        rss_before = _rss_kb(pid)
        log_before = len(self.daemon.log())

        reports = raw_bus.RawBus(self.daemon.transport_url,
                                 rpc.report_topic(self.conf))
        self.addCleanup(reports.close)
        calls = raw_bus.RawBus(self.daemon.transport_url, self.daemon.topic)
        self.addCleanup(calls.close)
        flooding = threading.Thread(target=self._flood,
                                    args=(reports, calls))
        during = []
        flooding.start()
        while flooding.is_alive() or len(during) < 20:
            during.append(self._select())
        flooding.join()
        rss_peak = _rss_kb(pid)

        # Wait until every bad message was handled: one line each.
        flood = BAD_CASTS + BAD_CALLS + OVERSIZED
        end = time.monotonic() + 120
        while True:
            log = self.daemon.log()[log_before:]
            refused = sum(1 for line in log.splitlines()
                          if 'Ignored ' in line or 'Refused ' in line)
            if refused >= flood or time.monotonic() > end:
                break
            during.append(self._select())
        self.assertEqual(flood, refused, self.daemon.log_tail())
        after = [self._select() for _ in range(30)]
        rss_after = _rss_kb(pid)

        self.assertIsNone(self.daemon.process.poll())
        self.assertNotIn('Traceback', log)
        per_message = len(log.encode()) / flood
        self.assertLess(per_message, 2048)
        self.assertLessEqual(rss_after, rss_before + RSS_MARGIN_KB)
        median = statistics.median
        self.addDetail('flood', _text(
            '%d bad messages (%d casts, %d calls, %d of 2 MB); valid '
            'select_destinations: median %.1f ms before, %.1f ms during '
            '(max %.1f ms, %d calls), %.1f ms after; worker RSS %d MB '
            'before, %d MB at the end of the flood, %d MB after; log %.0f '
            'bytes per bad message' % (
                flood, BAD_CASTS, BAD_CALLS, OVERSIZED,
                median(baseline) * 1e3, median(during) * 1e3,
                max(during) * 1e3, len(during), median(after) * 1e3,
                rss_before // 1024, rss_peak // 1024, rss_after // 1024,
                per_message)))
        # Valid calls keep flowing: no slower than twenty times the floor
        # measured before the flood, in the same run.
        self.assertLess(median(during), 20 * median(baseline))


def _text(value):
    """A test detail; also appended to $GANTT_FIGURES_FILE when set (to
    read the figures of a passing run)."""
    import os
    from testtools import content
    path = os.environ.get('GANTT_FIGURES_FILE')
    if path:
        with open(path, 'a') as f:
            f.write(value + '\n')
    return content.text_content(value)
