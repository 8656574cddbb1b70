"""The schema of each notification payload as a listener receives it."""

import testtools

from gantt import conf as gantt_conf
from gantt import decision_trace
from gantt import notifications
from gantt import objects
from gantt import ranking

objects.register_all()


class CapturingNotifier(object):
    def __init__(self):
        self.sent = []

    def info(self, ctxt, event_type, payload):
        self.sent.append(('info', event_type, payload))

    def error(self, ctxt, event_type, payload):
        self.sent.append(('error', event_type, payload))

    def warn(self, ctxt, event_type, payload):
        self.sent.append(('warn', event_type, payload))


class TestPayloadSchema(testtools.TestCase):

    def setUp(self):
        super().setUp()
        conf = gantt_conf.build_conf()
        self.notifier = notifications.Notifier(conf)
        self.assertFalse(self.notifier.active)  # noop by default
        self.notifier._notifier = self.captured = CapturingNotifier()
        self.spec = objects.RequestSpec(project_id='p', user_id='u')

    def _only(self):
        self.assertEqual(1, len(self.captured.sent))
        priority, event_type, payload = self.captured.sent[0]
        # Which fields were set is the sender's business.
        payload.pop('versioned_object.changes', None)
        return priority, event_type, payload

    def test_end_payload(self):
        selection = objects.Selection(service_host='h1', nodename='n1')
        self.notifier.select_end(None, self.spec, ['u1'], [[selection]],
                                 0.25)
        priority, event_type, payload = self._only()
        self.assertEqual(('info', 'scheduler.select_destinations.end'),
                         (priority, event_type))
        self.assertEqual({
            'versioned_object.name': 'SelectDestinationsPayload',
            'versioned_object.namespace': 'gantt',
            'versioned_object.version': '1.0',
            'versioned_object.data': {
                'request_id': None, 'project_id': 'p', 'user_id': 'u',
                'instance_uuids': ['u1'], 'hosts': ['h1'], 'nodes': ['n1'],
                'duration': 0.25}}, payload)

    def test_error_payload_carries_each_stage(self):
        trace = decision_trace.Trace()
        trace.stages = [ranking.Stage('RamFilter', 2, 2, 'no RAM')]
        trace.emptied_by = 'RamFilter'
        self.notifier.select_error(None, self.spec, ['u1'], 'No valid host',
                                   trace, 0.5)
        priority, event_type, payload = self._only()
        self.assertEqual(('error', 'scheduler.select_destinations.error'),
                         (priority, event_type))
        data = payload['versioned_object.data']
        self.assertEqual(
            {'request_id', 'project_id', 'user_id', 'instance_uuids',
             'reason', 'emptied_by', 'stages', 'duration'}, set(data))
        self.assertEqual('FilterStagePayload',
                         data['stages'][0]['versioned_object.name'])
        self.assertEqual({'name': 'RamFilter', 'removed': 2, 'remaining': 0,
                          'reason': 'no RAM'},
                         data['stages'][0]['versioned_object.data'])

    def test_stale_payload(self):
        self.notifier.report_stale('4f0f1b7e-9d1c-4c38-9a8e-3b2f0d6c1a55',
                                   'h1', 'n1', None, 75.0)
        priority, event_type, payload = self._only()
        self.assertEqual(('warn', 'scheduler.report.stale'),
                         (priority, event_type))
        self.assertEqual('HostStalePayload',
                         payload['versioned_object.name'])
        self.assertEqual(
            {'uuid': '4f0f1b7e-9d1c-4c38-9a8e-3b2f0d6c1a55', 'host': 'h1',
             'nodename': 'n1', 'last_seen': None, 'age': 75.0,
             'service_down_time': 60},
            payload['versioned_object.data'])
