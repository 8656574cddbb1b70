"""Telemetry turns a traced decision into metrics and notifications."""

import prometheus_client
import testtools

from gantt import decision_trace
from gantt import exception
from gantt import metrics
from gantt import ranking
from gantt import telemetry


class RecordingNotifier(object):
    def __init__(self):
        self.sent = []

    def select_start(self, ctxt, spec, uuids):
        self.sent.append(('start', uuids))

    def select_end(self, ctxt, spec, uuids, selections, duration):
        self.sent.append(('end', uuids, selections))

    def select_error(self, ctxt, spec, uuids, reason, trace, duration):
        self.sent.append(('error', uuids, trace.emptied_by,
                          [s.name for s in trace.stages]))


class FakeRanking(object):
    considered = 3
    stages = [ranking.Stage('ComputeFilter', 1, 3, 'down'),
              ranking.Stage('RamFilter', 2, 2, 'not enough RAM')]


class TestTelemetry(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.registry = prometheus_client.CollectorRegistry()
        self.notifier = RecordingNotifier()
        self.telemetry = telemetry.Telemetry(
            self.notifier, metrics.Metrics(self.registry))

    def value(self, name, **labels):
        return self.registry.get_sample_value(name, labels) or 0

    def test_placed_decision_counts_and_notifies_start_and_end(self):
        with self.telemetry.decision(None, None, ['u1']) as outcome:
            started = decision_trace.mark()
            decision_trace.stage('filter', started)
            decision_trace.claim_lost(started)
            decision_trace.stage('claim', started)
            outcome.selections = [['s']]
        self.assertEqual([('start', ['u1']), ('end', ['u1'], [['s']])],
                         self.notifier.sent)
        self.assertEqual(1, self.value('gantt_decisions_total',
                                       outcome='placed'))
        self.assertEqual(1, self.value('gantt_claim_conflicts_total'))
        self.assertEqual(1, self.value('gantt_claim_retries_total'))
        self.assertEqual(1, self.value(
            'gantt_decision_stage_seconds_count', stage='weigh'))

    def test_refusal_is_counted_under_the_stage_that_emptied_the_list(self):
        def refuse():
            with self.telemetry.decision(None, None, ['u1']):
                decision_trace.refused(FakeRanking())
                raise exception.NoValidHost(reason='none')
        self.assertRaises(exception.NoValidHost, refuse)
        self.assertEqual(1, self.value('gantt_refusals_total',
                                       reason='RamFilter'))
        self.assertEqual(('error', ['u1'], 'RamFilter',
                          ['ComputeFilter', 'RamFilter']),
                         self.notifier.sent[-1])

    def test_other_errors_count_as_errors_without_notification(self):
        def fail():
            with self.telemetry.decision(None, None, ['u1']):
                raise RuntimeError('boom')
        self.assertRaises(RuntimeError, fail)
        self.assertEqual(1, self.value('gantt_decisions_total',
                                       outcome='error'))
        self.assertEqual([('start', ['u1'])], self.notifier.sent)

    def test_tracing_outside_a_decision_does_nothing(self):
        started = decision_trace.mark()
        decision_trace.stage('filter', started)
        decision_trace.refused(FakeRanking())
        self.assertIsNone(decision_trace.current())


class TestEmptiedBy(testtools.TestCase):

    def test_names_the_first_stage_that_left_no_host(self):
        self.assertEqual('RamFilter', decision_trace.emptied_by(
            3, FakeRanking.stages))

    def test_lost_claims_when_hosts_remained(self):
        stages = [ranking.Stage('RamFilter', 0, 3, 'x')]
        self.assertEqual('claim', decision_trace.emptied_by(3, stages,
                                                            lost=2))
        self.assertEqual('capacity', decision_trace.emptied_by(3, stages,
                                                               unfit=1))

    def test_no_hosts_known(self):
        self.assertEqual('no_hosts', decision_trace.emptied_by(0, []))

    def test_unknown_stage_name_is_refused(self):
        trace = decision_trace.Trace()
        self.assertRaises(ValueError, trace.add, 'sort', 0.1)
