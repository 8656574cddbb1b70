"""Pieces of a simulation run that need no scheduler: probes, heartbeats."""

import time

import testtools

from gantt.bench import e2e
from gantt.sim import computes
from gantt.sim import simulation


class RecordingReportClient(object):

    def __init__(self):
        self.reports = []

    def update_resource_stats(self, ctxt, compute_node):
        self.reports.append((compute_node.uuid, compute_node.report_seq))


class TestExplainHostCount(testtools.TestCase):

    def test_reads_the_considered_count(self):
        self.assertEqual(7, simulation.explain_host_count(
            {'considered': 7, 'hosts': [{}] * 3}))

    def test_falls_back_to_the_ranked_hosts(self):
        self.assertEqual(2, simulation.explain_host_count(
            {'hosts': [{}, {}]}))

    def test_anything_else_is_zero(self):
        self.assertEqual(0, simulation.explain_host_count(None))


class TestHeartbeat(testtools.TestCase):

    def test_re_reports_every_node_with_a_newer_sequence(self):
        fleet = computes.Fleet(4, seed=1)
        client = RecordingReportClient()
        beat = computes.Heartbeat(fleet, client, None, interval=0.2,
                                  tick=0.01).start()
        # Wait for a second round of every node rather than a fixed
        # time, so a loaded machine only makes the test slower.
        want = {n.uuid for n in fleet.nodes}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            reports = list(client.reports)
            if (len(reports) >= 6
                    and want <= {u for u, _seq in reports}):
                break
            time.sleep(0.05)
        beat.stop()
        self.assertGreaterEqual(len(client.reports), 6)
        seen = {u for u, _seq in client.reports}
        self.assertEqual({n.uuid for n in fleet.nodes}, seen)
        self.assertTrue(all(seq >= 2 for _u, seq in client.reports))

    def test_zero_interval_sends_nothing(self):
        client = RecordingReportClient()
        beat = computes.Heartbeat(computes.Fleet(2), client, None,
                                  interval=0).start()
        beat.stop()
        self.assertEqual([], client.reports)


class FakeSim(object):

    def __init__(self, counts):
        self.counts = list(counts)

    def scheduler_host_count(self):
        return self.counts.pop(0)


class TestBenchHelpers(testtools.TestCase):

    def test_warm_up_needs_a_streak_of_complete_answers(self):
        sim = FakeSim([10, 3, 10, 10, 10, 10])
        self.assertEqual(10, e2e.warm_up(sim, workers=2, expected=10))
        self.assertEqual([], sim.counts)

    def test_text_report_names_each_figure(self):
        cpu = {'client': 3.5, 'workers': 9.0, 'broker': 1.0, 'total': 13.5}
        figures = {'hosts': 10, 'workers': 2, 'clients': 4, 'requests': 20,
                   'p50_ms': 12.0, 'p99_ms': 20.0, 'max_ms': 25.0,
                   'decisions_per_s': 80.0, 'placed': 19,
                   'no_valid_host': 1, 'errors': 0, 'load_s': 1.5,
                   'overcommitted_hosts': 0, 'error_samples': [],
                   'cpu_ms_per_decision': cpu}
        text = e2e.format_text(figures)
        self.assertIn('CPU ms per decision: client 3.5, scheduler workers '
                      '9.0, broker 1.0, total 13.5', text)
        self.assertNotIn('RPC floor', text)
        figures['rpc_floor'] = {'p50_ms': 3.0, 'calls_per_s': 400.0,
                                'cpu_ms_per_call': dict(cpu, total=4.0)}
        text = e2e.format_text(figures)
        self.assertIn('RPC floor (ping from the same clients): p50 3.0 ms, '
                      '400.0 calls/s', text)
        self.assertIn('CPU ms per ping: client 3.5', text)
        self.assertNotIn('interface floor', text)
        figures['interface_floor'] = {
            'p50_ms': 6.0, 'p99_ms': 9.0, 'decisions_per_s': 240.0,
            'errors': 1, 'error_samples': ['MessagingTimeout: late'],
            'cpu_ms_per_decision': dict(cpu, workers=3.0, total=7.5)}
        text = e2e.format_text(figures)
        self.assertIn('interface floor (the same calls, answered without '
                      'scheduling): p50 6.0 ms, p99 9.0 ms, 240.0 '
                      'decisions/s, errors 1', text)
        self.assertIn('CPU ms per decision: client 3.5, floor workers 3.0, '
                      'broker 1.0, total 7.5', text)
        self.assertIn('floor error: MessagingTimeout: late', text)
