"""Notifications from a real gantt-scheduler on RabbitMQ, heard by a listener.

The daemon runs with the messagingv2 driver on a topic of the test's own;
a notification listener in the test collects what arrives.
"""

import queue
import time
import uuid

import oslo_messaging

from gantt import exception
from gantt import notifications
from gantt.rpcapi import report as report_rpcapi
from gantt.rpcapi import scheduler as scheduler_rpcapi
from tests.functional import fixtures as gantt_fixtures


class _Collector(object):
    """Notification endpoint: every (priority, event_type, payload)."""

    def __init__(self):
        self.heard = queue.Queue()

    def _hear(self, priority):
        def endpoint(ctxt, publisher_id, event_type, payload, metadata):
            self.heard.put((priority, publisher_id, event_type, payload))
        return endpoint

    def __getattr__(self, name):
        if name in ('info', 'warn', 'error'):
            return self._hear(name)
        raise AttributeError(name)


class TestNotifications(gantt_fixtures.DaemonTestCase):

    default_conf = 'service_down_time = 2\n'

    def setUp(self):
        self.topic = 'gantt-notify-%s' % uuid.uuid4().hex[:12]
        self.extra_conf = ('report_check_interval = 0.2\n'
                           '[notifications]\n'
                           'driver = messagingv2\n'
                           'topics = %s\n' % self.topic)
        super().setUp()
        self.collector = _Collector()
        transport = oslo_messaging.get_notification_transport(self.conf)
        self.addCleanup(transport.cleanup)
        self.listener = oslo_messaging.get_notification_listener(
            transport, [oslo_messaging.Target(topic=self.topic)],
            [self.collector], executor='threading')
        self.listener.start()
        self.addCleanup(self.listener.wait)
        self.addCleanup(self.listener.stop)
        self.report = report_rpcapi.ReportClient(
            self.conf, self.daemon.transport)
        self.scheduler = scheduler_rpcapi.SchedulerAPI(
            self.conf, self.daemon.transport)

    def _next(self, event_type, deadline=20, uuids=None):
        """The next notification of event_type (about uuids, if given).

        Attempts made while waiting for the first report to be stored
        fail and send their own notifications; uuids skips those.
        """
        end = time.monotonic() + deadline
        while True:
            try:
                heard = self.collector.heard.get(
                    timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                self.fail('no %s notification in %ss; daemon log:\n%s' % (
                    event_type, deadline, self.daemon.log_tail()))
            if heard[2] != event_type:
                continue
            data = heard[3]['versioned_object.data']
            if uuids is None or data.get('instance_uuids') == uuids:
                return heard

    def _report(self, host, seq=1):
        self.report.update_resource_stats(
            self.ctxt, gantt_fixtures.compute_node(host, seq=seq))

    def _wait_for_selection(self, spec, uuids, deadline=15):
        end = time.monotonic() + deadline
        while True:
            try:
                return self.scheduler.select_destinations(
                    self.ctxt, spec, uuids, return_alternates=False)
            except exception.NoValidHost:
                if time.monotonic() > end:
                    raise
                time.sleep(0.05)

    def test_select_destinations_start_and_end_carry_the_decision(self):
        self._report('compute-a')
        uuids = [str(uuid.uuid4())]
        result = self._wait_for_selection(gantt_fixtures.request_spec(),
                                          uuids)
        # Earlier attempts (before the report was stored) failed; the
        # last start and end belong to the answered call.
        while True:
            priority, publisher, _, payload = self._next(
                notifications.SELECT_END)
            data = payload['versioned_object.data']
            if data.get('hosts'):
                break
        self.assertEqual('info', priority)
        self.assertEqual('gantt-scheduler:%s' % self.conf.host, publisher)
        self.assertEqual('SelectDestinationsPayload',
                         payload['versioned_object.name'])
        self.assertEqual('1.0', payload['versioned_object.version'])
        self.assertEqual(uuids, data['instance_uuids'])
        self.assertEqual([result[0][0].service_host], data['hosts'])
        self.assertEqual(['compute-a.node'], data['nodes'])
        self.assertEqual(self.ctxt.request_id, data['request_id'])
        self.assertGreater(data['duration'], 0)

    def test_start_is_sent_before_the_decision(self):
        self._report('compute-a')
        uuids = [str(uuid.uuid4())]
        self._wait_for_selection(gantt_fixtures.request_spec(), uuids)
        _, _, _, payload = self._next(notifications.SELECT_START,
                                      uuids=uuids)
        data = payload['versioned_object.data']
        self.assertEqual(uuids, data['instance_uuids'])
        self.assertEqual([], data.get('hosts', []))
        self.assertIsNone(data.get('duration'))

    def test_no_valid_host_error_names_the_filter_that_emptied_the_list(self):
        self._report('compute-a')
        self._wait_for_selection(gantt_fixtures.request_spec(),
                                 [str(uuid.uuid4())])
        uuids = [str(uuid.uuid4())]
        self.assertRaises(
            exception.NoValidHost, self.scheduler.select_destinations,
            self.ctxt, gantt_fixtures.request_spec(memory_mb=10 ** 7),
            uuids)
        priority, _, _, payload = self._next(notifications.SELECT_ERROR,
                                             uuids=uuids)
        self.assertEqual('error', priority)
        self.assertEqual('NoValidHostPayload',
                         payload['versioned_object.name'])
        data = payload['versioned_object.data']
        self.assertEqual(uuids, data['instance_uuids'])
        self.assertEqual('RamFilter', data['emptied_by'])
        self.assertIn('RamFilter', data['reason'])
        stages = {s['versioned_object.data']['name']:
                  s['versioned_object.data'] for s in data['stages']}
        self.assertEqual(1, stages['RamFilter']['removed'])
        self.assertEqual(0, stages['RamFilter']['remaining'])

    def test_a_host_that_stops_reporting_is_announced_once(self):
        self._report('compute-a')
        self._report('compute-b')
        self._wait_for_selection(gantt_fixtures.request_spec(),
                                 [str(uuid.uuid4())])
        # compute-b keeps reporting; compute-a falls silent.
        end = time.monotonic() + 5
        seq = 2
        while time.monotonic() < end:
            self._report('compute-b', seq=seq)
            seq += 1
            time.sleep(0.3)
        priority, _, _, payload = self._next(notifications.REPORT_STALE)
        self.assertEqual('warn', priority)
        data = payload['versioned_object.data']
        self.assertEqual('compute-a', data['host'])
        self.assertEqual(2, data['service_down_time'])
        self.assertGreater(data['age'], 2)
        # Further checks do not announce it again.
        time.sleep(1)
        again = []
        while not self.collector.heard.empty():
            heard = self.collector.heard.get()
            if heard[2] == notifications.REPORT_STALE:
                again.append(heard[3]['versioned_object.data']['host'])
        self.assertEqual([], again)
