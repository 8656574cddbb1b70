"""The exact messages ReportClient sends at every version it can be capped
at: every method is a cast; a 1.0 cap backports ComputeNode to 1.0."""

import testscenarios
import testtools

from gantt import conf as gantt_conf
from gantt import context
from gantt import objects
from gantt import rpc
from gantt.rpcapi import report as report_rpcapi
from tests.unit.rpcapi import fakes

load_tests = testscenarios.load_tests_apply_scenarios

objects.register_all()

UUID = '6c0b7b29-3b4f-4f34-9a51-5f4a3c5c9d10'

# method, args, arguments sent (the same at every version).
MESSAGES = [
    ('update_resource_stats', ('NODE',), {'compute_node': 'NODE'}),
    ('update_aggregates', (['AGG'],), {'aggregates': ['AGG']}),
    ('delete_aggregate', ('AGG',), {'aggregate': 'AGG'}),
    ('update_instance_info', ('host1', 'INFO'),
     {'host': 'host1', 'instance_info': 'INFO'}),
    ('delete_instance_info', ('host1', UUID),
     {'host': 'host1', 'instance_uuid': UUID}),
    ('sync_instance_info', ('host1', [UUID]),
     {'host': 'host1', 'instance_uuids': [UUID]}),
]

# cap -> version the casts carry.
CAPS = {None: '1.2', '1.2': '1.2', '1.1': '1.1', '1.0': '1.0'}


def _api(cap=None, db=None):
    conf = gantt_conf.build_conf()
    if cap is not None:
        conf.set_override('report', cap, group='upgrade_levels')
    client = fakes.FakeClient()
    return report_rpcapi.ReportClient(conf, None, client=client,
                                      db=db), client


class TestReportClientMessages(testtools.TestCase):

    scenarios = [
        ('%s@%s' % (method, cap or 'newest'), dict(
            method=method, args=args, expected=expected, cap=cap,
            version=version))
        for method, args, expected in MESSAGES
        for cap, version in CAPS.items()]

    def test_sends_cast_with_version_and_arguments(self):
        api, client = _api(self.cap)
        ctxt = context.get_admin_context()
        self.assertIsNone(getattr(api, self.method)(ctxt, *self.args))
        self.assertEqual(
            [('cast', {'version': self.version}, ctxt, self.method,
              self.expected)],
            client.sent)


class TestEveryMethodIsCovered(testtools.TestCase):

    def test_table_covers_every_public_method(self):
        methods = {n for n, v in vars(report_rpcapi.ReportClient).items()
                   if callable(v) and not n.startswith('_')}
        self.assertEqual(methods, {m for m, _a, _e in MESSAGES})


def _node_with_tree():
    node = objects.ComputeNode(uuid=UUID, host='c1',
                               hypervisor_hostname='c1.node', report_seq=1)
    node.provider_tree = [objects.ResourceProvider(uuid=UUID, name='root')]
    return node


class TestComputeNodeFollowsTheCap(testtools.TestCase):

    def _sent(self, cap, node=None):
        api, client = _api(cap)
        api.update_resource_stats(context.get_admin_context(),
                                  node or _node_with_tree())
        return client.sent[0][4]['compute_node']

    def test_capped_at_1_0_sends_compute_node_1_0_without_tree(self):
        primitive = self._sent('1.0')
        self.assertEqual('1.0', primitive['versioned_object.version'])
        self.assertNotIn('provider_tree', primitive['versioned_object.data'])
        service = primitive['versioned_object.data']['service']
        self.assertEqual('1.0', service['versioned_object.version'])

    def test_capped_at_1_1_sends_compute_node_1_1_without_numa(self):
        node = _node_with_tree()
        node.numa = objects.NUMATopology(cells=[objects.NUMACell(id=0)])
        node.pci_devices = [objects.PciDevice(
            address='0000:81:00.0', vendor_id='8086', product_id='1520')]
        self.assertIn('numa', self._sent(None, node)['versioned_object.data'])
        primitive = self._sent('1.1', node)
        self.assertEqual('1.1', primitive['versioned_object.version'])
        self.assertNotIn('numa', primitive['versioned_object.data'])
        self.assertNotIn('pci_devices', primitive['versioned_object.data'])

    def test_uncapped_sends_the_tree(self):
        for cap, version in ((None, '1.2'), ('1.1', '1.1')):
            primitive = self._sent(cap)
            self.assertEqual(version, primitive['versioned_object.version'])
            tree = primitive['versioned_object.data']['provider_tree']
            self.assertEqual('ResourceProvider',
                             tree[0]['versioned_object.name'])

    def test_auto_follows_the_scheduler_service_version(self):
        db = fakes.FakeServicesDB([fakes.scheduler_row('s1', '1.0', 1),
                                   fakes.scheduler_row('s2', '1.2', 3)])
        api, _ = _api('auto', db=db)
        self.assertEqual('1.0', api.version_cap)
        db.services = db.services[1:]
        self.assertIsNone(api.refresh_version_cap())


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
