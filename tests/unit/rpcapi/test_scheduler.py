"""The exact messages SchedulerAPI sends, and how its version cap is read."""

import testscenarios
import testtools

from gantt import conf as gantt_conf
from gantt import context
from gantt.rpcapi import scheduler as scheduler_rpcapi
from tests.unit.rpcapi import fakes

load_tests = testscenarios.load_tests_apply_scenarios


def _api(cap=None, result=None):
    conf = gantt_conf.build_conf()
    if cap is not None:
        conf.set_override('scheduler', cap, group='upgrade_levels')
    client = fakes.FakeClient(result=result)
    return scheduler_rpcapi.SchedulerAPI(conf, None, client=client), client


class TestSchedulerAPIMessages(testtools.TestCase):

    scenarios = [
        ('select_destinations', dict(
            method='select_destinations',
            args=('SPEC', ['u1', 'u2']),
            kwargs={'return_alternates': True},
            expected={'spec_obj': 'SPEC', 'instance_uuids': ['u1', 'u2'],
                      'return_alternates': True},
            version='1.0')),
        ('select_destinations_default_no_alternates', dict(
            method='select_destinations',
            args=('SPEC', ['u1']),
            kwargs={},
            expected={'spec_obj': 'SPEC', 'instance_uuids': ['u1'],
                      'return_alternates': False},
            version='1.0')),
        ('explain', dict(
            method='explain', args=('SPEC',), kwargs={},
            expected={'spec_obj': 'SPEC'}, version='1.0')),
        ('ping', dict(
            method='ping', args=(), kwargs={}, expected={},
            version='1.0')),
    ]

    def test_sends_call_with_version_and_arguments(self):
        api, client = _api(result='ANSWER')
        ctxt = context.get_admin_context()
        answer = getattr(api, self.method)(ctxt, *self.args, **self.kwargs)
        self.assertEqual('ANSWER', answer)
        self.assertEqual(
            [('call', {'version': self.version}, ctxt, self.method,
              self.expected)],
            client.sent)


class TestSchedulerAPIVersionCap(testtools.TestCase):

    def test_unset_means_newest(self):
        api, _ = _api()
        self.assertIsNone(api.version_cap)

    def test_version_is_used_as_cap(self):
        api, _ = _api(cap='1.0')
        self.assertEqual('1.0', api.version_cap)

    def test_auto_means_newest_for_now(self):
        api, _ = _api(cap='auto')
        self.assertIsNone(api.version_cap)

    def test_real_client_carries_the_cap(self):
        conf = gantt_conf.build_conf()
        conf.set_override('scheduler', '1.0', group='upgrade_levels')
        conf.set_override('transport_url', 'fake://')
        from gantt import rpc
        transport = rpc.get_transport(conf)
        self.addCleanup(transport.cleanup)
        api = scheduler_rpcapi.SchedulerAPI(conf, transport)
        self.assertEqual('1.0', api.client.version_cap)
        self.assertEqual('gantt', api.client.target.exchange)
        self.assertEqual('scheduler', api.client.target.topic)
        self.assertIsNone(api.client.target.namespace)
        self.assertTrue(api.client.can_send_version('1.0'))
        self.assertFalse(api.client.can_send_version('1.1'))
