"""The exact messages ReportClient sends: every method is a cast."""

import testscenarios
import testtools

from gantt import conf as gantt_conf
from gantt import context
from gantt import rpc
from gantt.rpcapi import report as report_rpcapi
from tests.unit.rpcapi import fakes

load_tests = testscenarios.load_tests_apply_scenarios

UUID = '6c0b7b29-3b4f-4f34-9a51-5f4a3c5c9d10'


class TestReportClientMessages(testtools.TestCase):

    scenarios = [
        ('update_resource_stats', dict(
            method='update_resource_stats', args=('NODE',),
            expected={'compute_node': 'NODE'})),
        ('update_aggregates', dict(
            method='update_aggregates', args=(['AGG'],),
            expected={'aggregates': ['AGG']})),
        ('delete_aggregate', dict(
            method='delete_aggregate', args=('AGG',),
            expected={'aggregate': 'AGG'})),
        ('update_instance_info', dict(
            method='update_instance_info', args=('host1', 'INFO'),
            expected={'host': 'host1', 'instance_info': 'INFO'})),
        ('delete_instance_info', dict(
            method='delete_instance_info', args=('host1', UUID),
            expected={'host': 'host1', 'instance_uuid': UUID})),
        ('sync_instance_info', dict(
            method='sync_instance_info', args=('host1', [UUID]),
            expected={'host': 'host1', 'instance_uuids': [UUID]})),
    ]

    def test_sends_cast_with_version_and_arguments(self):
        conf = gantt_conf.build_conf()
        client = fakes.FakeClient()
        api = report_rpcapi.ReportClient(conf, None, client=client)
        ctxt = context.get_admin_context()
        self.assertIsNone(getattr(api, self.method)(ctxt, *self.args))
        self.assertEqual(
            [('cast', {'version': '1.0'}, ctxt, self.method, self.expected)],
            client.sent)


class TestReportClientTarget(testtools.TestCase):

    def test_targets_report_namespace_on_gantt_exchange(self):
        conf = gantt_conf.build_conf()
        conf.set_override('transport_url', 'fake://')
        conf.set_override('topic', 'sched-x', group='scheduler')
        conf.set_override('report', '1.0', group='upgrade_levels')
        transport = rpc.get_transport(conf)
        self.addCleanup(transport.cleanup)
        api = report_rpcapi.ReportClient(conf, transport)
        target = api.client.target
        self.assertEqual(('gantt', 'sched-x', 'report', '1.0'),
                         (target.exchange, target.topic, target.namespace,
                          target.version))
        self.assertEqual('1.0', api.client.version_cap)
