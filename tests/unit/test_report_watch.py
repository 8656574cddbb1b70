"""ReportWatch finds nodes that stop reporting, once per transition."""

import uuid

import testtools

from gantt import conf as gantt_conf
from gantt import host_manager
from gantt import report_watch

NOW = 1_800_000_000.0


class RecordingTelemetry(object):
    def __init__(self):
        self.stale = []
        self.states = []

    def report_stale(self, uuid, host, nodename, last_seen, age):
        self.stale.append((host, nodename, round(age)))

    def host_states(self, counts, oldest_age):
        self.states.append((counts, round(oldest_age)))


class TestReportWatch(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = gantt_conf.build_conf()
        self.conf.set_override('service_down_time', 60)
        self.hm = host_manager.HostManager(self.conf, None)
        self.now = NOW
        self.telemetry = RecordingTelemetry()
        self.watch = report_watch.ReportWatch(
            self.conf, self.hm, self.telemetry, clock=lambda: self.now)

    def _node(self, name, last_seen, **facts):
        self.hm.state.upsert_node(str(uuid.uuid5(uuid.NAMESPACE_DNS, name)),
                                  name, name + '.node', None, last_seen,
                                  facts)

    def test_announces_a_node_once_when_it_goes_silent(self):
        self._node('a', NOW)
        self._node('b', NOW)
        self.assertEqual([], self.watch.run_once())
        self.now += 61
        self._node('b', self.now)  # b reported again; a did not.
        self.assertEqual(1, len(self.watch.run_once()))
        self.assertEqual([('a', 'a.node', 61)], self.telemetry.stale)
        self.now += 10
        self.assertEqual([], self.watch.run_once())
        self.assertEqual(1, len(self.telemetry.stale))

    def test_announces_again_after_the_node_came_back(self):
        self._node('a', NOW)
        self.watch.run_once()
        self.now += 61
        self.watch.run_once()
        self._node('a', self.now)
        self.watch.run_once()
        self.now += 61
        self.watch.run_once()
        self.assertEqual(['a', 'a'], [s[0] for s in self.telemetry.stale])

    def test_nodes_silent_at_the_first_check_are_not_announced(self):
        self._node('a', NOW - 600)
        self.assertEqual([], self.watch.run_once())
        self.assertEqual([], self.telemetry.stale)

    def test_counts_hosts_per_state_and_the_oldest_report(self):
        self._node('up', NOW - 5)
        self._node('silent', NOW - 100)
        self._node('forced', NOW, forced_down=True)
        self._node('off', NOW, disabled=True)
        self.watch.run_once()
        self.assertEqual(
            [({'up': 1, 'down': 2, 'disabled': 1}, 100)],
            self.telemetry.states)
