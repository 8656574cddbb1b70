"""The RPC endpoints: good input is delegated, bad input is refused loudly.

Casts with bad input log a WARNING naming the sender and store nothing;
calls with bad input raise a Gantt exception the caller sees.
"""

import fixtures
import oslo_messaging
from oslo_messaging.rpc import dispatcher as rpc_dispatcher
from oslo_utils import uuidutils
import testscenarios
import testtools

from gantt import conf as gantt_conf
from gantt import context
from gantt import exception
from gantt import manager
from gantt import objects
from gantt import request as gantt_request
from gantt import rpc

load_tests = testscenarios.load_tests_apply_scenarios

objects.register_all()

HOST = 'compute-7'
UUID = '4f2b0a3e-5d7c-4a43-9d5b-0c6e7f1a2b3c'


class FakeDatabase:
    """Records every write the ReportManager asks for."""

    def __init__(self, save_result=True, save_error=None):
        self.writes = []
        self.services = []
        self.save_result = save_result
        self.save_error = save_error

    def register_service(self, binary, host, version=None,
                         rpc_version=None):
        self.services.append((binary, host, version, rpc_version))

    def save_compute_nodes(self, nodes, rpc_versions=None):
        if self.save_error:
            raise self.save_error
        results = []
        for node, rpc_version in zip(nodes, rpc_versions or
                                     [None] * len(nodes)):
            self.writes.append(('save_compute_node', node.uuid))
            results.append(self.save_result)
            if self.save_result and rpc_version is not None:
                self.services.append((node.service.binary, node.host,
                                      node.service.version, rpc_version))
        return results

    def save_aggregate(self, agg):
        self.writes.append(('save_aggregate', agg.uuid))

    def delete_aggregate(self, agg):
        self.writes.append(('delete_aggregate', agg.uuid))

    def add_instances(self, host, node, instance_uuids):
        self.writes.append(('add_instances', host, node, instance_uuids))

    def delete_instance(self, host, instance_uuid):
        self.writes.append(('delete_instance', host, instance_uuid))

    def sync_instances(self, host, instance_uuids):
        self.writes.append(('sync_instances', host, instance_uuids))


class FakeScheduler:

    NOW = 1700000000.5

    def __init__(self, error=None):
        self.error = error
        self.asked = []

    def clock(self):
        return self.NOW

    def select_destinations(self, ctxt, spec, instance_uuids,
                            return_alternates=True, dry_run=False,
                            specs=None):
        self.asked.append((spec, instance_uuids, return_alternates))
        if self.error:
            raise self.error
        return [[objects.Selection(service_host='h1', nodename='n1')]]

    def explain(self, ctxt, spec):
        return {'hosts': []}


def _node(**kwargs):
    values = dict(uuid=UUID, host=HOST, hypervisor_hostname='node-7',
                  report_seq=1)
    values.update(kwargs)
    node = objects.ComputeNode(**values)
    node.resources.vcpus = 8
    node.resources.memory_mb = 16384
    node.resources.local_gb = 100
    return node


def _ctxt():
    return context.RequestContext(request_id='req-abc', user_id='u1',
                                  project_id='p1')


class ReportTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(
            name='gantt.manager', level='DEBUG'))
        self.db = FakeDatabase()
        self.manager = manager.ReportManager(gantt_conf.build_conf(), self.db)

    def assertIgnored(self, *words):
        self.assertEqual([], self.db.writes)
        output = self.log.output
        self.assertIn('Ignored', output)
        self.assertIn('req-abc', output)
        for word in words:
            self.assertIn(word, output)


class TestGoodReports(ReportTestCase):

    def test_valid_node_is_saved(self):
        self.manager.update_resource_stats(_ctxt(), _node())
        self.assertEqual([('save_compute_node', UUID)], self.db.writes)
        self.assertNotIn('Ignored', self.log.output)

    def test_stale_node_is_only_logged_at_debug(self):
        self.db.save_result = False
        self.manager.update_resource_stats(_ctxt(), _node())
        self.assertIn('Stale report', self.log.output)
        self.assertEqual([], self.db.services)

    def test_compute_version_registered_once_per_change(self):
        for seq in (1, 2, 3):
            node = _node(report_seq=seq)
            node.service.version = 1
            self.manager.update_resource_stats(_ctxt(), node)
        node = _node(report_seq=4)
        node.service.version = 2
        self.manager.update_resource_stats(_ctxt(), node)
        self.assertEqual([('gantt-compute', HOST, 1, '1.0'),
                          ('gantt-compute', HOST, 2, '1.1')],
                         self.db.services)

    def test_compute_without_version_registers_the_first_api(self):
        node = _node()
        node.service.version = None
        self.manager.update_resource_stats(_ctxt(), node)
        self.assertEqual([('gantt-compute', HOST, None, '1.0')],
                         self.db.services)

    def test_instances_grouped_by_node(self):
        uuids = [uuidutils.generate_uuid() for _ in range(3)]
        info = objects.InstanceInfoList(objects=[
            objects.InstanceInfo(uuid=uuids[0], host=HOST, node='a'),
            objects.InstanceInfo(uuid=uuids[1], host=HOST, node='b'),
            objects.InstanceInfo(uuid=uuids[2], node='a')])
        self.manager.update_instance_info(_ctxt(), HOST, info)
        self.assertEqual(
            [('add_instances', HOST, 'a', [uuids[0], uuids[2]]),
             ('add_instances', HOST, 'b', [uuids[1]])],
            self.db.writes)

    def test_single_aggregate_and_list_both_saved(self):
        agg = objects.Aggregate(uuid=UUID, name='a', hosts=[HOST])
        self.manager.update_aggregates(_ctxt(), [agg])
        self.manager.update_aggregates(_ctxt(), agg)
        self.manager.delete_aggregate(_ctxt(), agg)
        self.assertEqual([('save_aggregate', UUID), ('save_aggregate', UUID),
                          ('delete_aggregate', UUID)], self.db.writes)

    def test_instance_delete_and_sync(self):
        self.manager.delete_instance_info(_ctxt(), HOST, UUID)
        self.manager.sync_instance_info(_ctxt(), HOST, [UUID])
        self.assertEqual([('delete_instance', HOST, UUID),
                          ('sync_instances', HOST, [UUID])], self.db.writes)


class TestBadResourceReports(ReportTestCase):

    scenarios = [
        ('not_an_object', dict(
            node=lambda: {'uuid': UUID, 'host': HOST},
            words=['expected a ComputeNode object, got a dict',
                   'an unknown compute'])),
        ('wrong_object', dict(
            node=lambda: objects.Aggregate(uuid=UUID),
            words=['got an Aggregate object'])),
        ('malformed', dict(
            node=lambda: rpc.MalformedEntity({'x': 1}, ValueError('bad')),
            words=['malformed object', 'bad'])),
        ('missing_identity', dict(
            node=lambda: objects.ComputeNode(uuid=UUID, host=HOST),
            words=['hypervisor_hostname', 'compute ' + HOST])),
        ('negative_total', dict(
            node=lambda: _set(_node(), 'resources', 'vcpus', -4),
            words=['vcpus', 'compute ' + HOST])),
        ('absurd_ratio', dict(
            node=lambda: _set(_node(), 'resources', 'ram_allocation_ratio',
                              5000.0),
            words=['ram_allocation_ratio'])),
    ]

    def test_logs_warning_and_stores_nothing(self):
        self.manager.update_resource_stats(_ctxt(), self.node())
        self.assertIgnored('update_resource_stats', *self.words)


def _set(node, child, name, value):
    setattr(getattr(node, child), name, value)
    return node


class TestStoreRefusal(ReportTestCase):

    def test_store_error_is_a_warning_not_a_crash(self):
        self.db.save_error = exception.InvalidInventory(reason='bad step')
        self.manager.update_resource_stats(_ctxt(), _node())
        self.assertIgnored('bad step')


class TestBadOtherCasts(ReportTestCase):

    scenarios = [
        ('aggregates_not_list', dict(
            method='update_aggregates', args=('agg',),
            words=['expected a list of Aggregate objects, got a str'])),
        ('aggregate_without_uuid', dict(
            method='update_aggregates',
            args=([objects.Aggregate(uuid=UUID), objects.Aggregate()],),
            words=['Aggregate lacks uuid'])),
        ('delete_aggregate_wrong_type', dict(
            method='delete_aggregate', args=(42,),
            words=['expected an Aggregate object, got an int'])),
        ('instance_info_bad_host', dict(
            method='update_instance_info',
            args=(None, objects.InstanceInfo(uuid=UUID)),
            words=['host must be a non-empty string'])),
        ('instance_info_wrong_type', dict(
            method='update_instance_info', args=(HOST, {'uuid': UUID}),
            words=['expected InstanceInfo or InstanceInfoList',
                   'compute ' + HOST])),
        ('instance_info_other_host', dict(
            method='update_instance_info',
            args=(HOST, objects.InstanceInfo(uuid=UUID, host='other')),
            words=["other hosts ['other']"])),
        ('delete_instance_not_uuid', dict(
            method='delete_instance_info', args=(HOST, 'nope'),
            words=["'nope'"])),
        ('sync_not_a_list', dict(
            method='sync_instance_info', args=(HOST, UUID),
            words=['instance_uuids must be a list'])),
        ('sync_bad_uuid', dict(
            method='sync_instance_info', args=(HOST, [UUID, 'x']),
            words=["1 value(s) that are not UUIDs, e.g. 'x'"])),
    ]

    def test_logs_warning_and_stores_nothing(self):
        getattr(self.manager, self.method)(_ctxt(), *self.args)
        self.assertIgnored(self.method, *self.words)


class TestSchedulerManager(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(name='gantt.manager'))
        self.scheduler = FakeScheduler()
        self.manager = manager.SchedulerManager(gantt_conf.build_conf(),
                                                self.scheduler)

    def test_delegates_select_destinations(self):
        spec = objects.RequestSpec(project_id='p1', user_id='u1')
        result = self.manager.select_destinations(_ctxt(), spec, (UUID,),
                                                  return_alternates=1)
        self.assertEqual('h1', result[0][0].service_host)
        [(request, uuids, alternates)] = self.scheduler.asked
        # The spec is read once, here, at the scheduler's clock.
        self.assertIsInstance(request, gantt_request.Request)
        self.assertEqual(('p1', 'u1', FakeScheduler.NOW),
                         (request.project_id, request.user_id, request.now))
        self.assertEqual(([UUID], True), (uuids, alternates))

    def test_wrong_spec_is_an_invalid_request_for_the_caller(self):
        exc = self.assertRaises(
            oslo_messaging.ExpectedException,
            self.manager.select_destinations, _ctxt(), {'flavor': 1}, [UUID])
        self.assertIsInstance(exc.exc_info[1], exception.InvalidRequest)
        self.assertIn('expected a RequestSpec object, got a dict',
                      str(exc.exc_info[1]))
        self.assertIn('req-abc', self.log.output)
        self.assertEqual([], self.scheduler.asked)

    def test_bad_instance_uuids_refused(self):
        exc = self.assertRaises(
            oslo_messaging.ExpectedException,
            self.manager.select_destinations, _ctxt(),
            objects.RequestSpec(), 'not-a-list')
        self.assertIn('instance_uuids', str(exc.exc_info[1]))

    def test_no_valid_host_reaches_the_caller_as_expected(self):
        self.scheduler.error = exception.NoValidHost(
            reason='RamFilter removed 3 of 3 hosts')
        exc = self.assertRaises(
            oslo_messaging.ExpectedException,
            self.manager.select_destinations, _ctxt(),
            objects.RequestSpec(), [UUID])
        self.assertIn('RamFilter removed 3 of 3', str(exc.exc_info[1]))

    def test_explain_refuses_malformed_spec(self):
        self.assertRaises(
            oslo_messaging.ExpectedException, self.manager.explain, _ctxt(),
            rpc.MalformedEntity({}, ValueError('x')))

    def test_ping_names_the_host(self):
        conf = gantt_conf.build_conf()
        conf.set_override('host', 'sched-1')
        answer = manager.SchedulerManager(conf, None).ping(_ctxt())
        self.assertEqual('sched-1', answer['host'])
        self.assertEqual('1.7', answer['rpc_version'])


class TestDispatchOfMalformedPrimitives(testtools.TestCase):
    """Through oslo.messaging's dispatcher and Gantt's serializer."""

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(name='gantt.manager'))
        self.db = FakeDatabase()
        conf = gantt_conf.build_conf()
        self.dispatcher = rpc_dispatcher.RPCDispatcher(
            [manager.ReportManager(conf, self.db)], rpc.get_serializer())

    def _dispatch(self, args):
        message = {'method': 'update_resource_stats', 'args': args,
                   'namespace': 'report', 'version': '1.0'}
        incoming = type('Incoming', (), {
            'message': message, 'ctxt': _ctxt().to_dict(),
            'client_timeout': None})()
        return self.dispatcher.dispatch(incoming)

    def test_good_primitive_is_saved(self):
        self._dispatch({'compute_node': _node().obj_to_primitive()})
        self.assertEqual([('save_compute_node', UUID)], self.db.writes)

    def test_garbage_primitive_is_warned_about(self):
        primitive = _node().obj_to_primitive()
        primitive['versioned_object.data']['report_seq'] = 'many'
        self._dispatch({'compute_node': primitive})
        self.assertEqual([], self.db.writes)
        self.assertIn('malformed object', self.log.output)
        self.assertIn('req-abc', self.log.output)

    def test_unknown_object_name_is_warned_about(self):
        primitive = _node().obj_to_primitive()
        primitive['versioned_object.name'] = 'Teapot'
        self._dispatch({'compute_node': primitive})
        self.assertEqual([], self.db.writes)
        self.assertIn('malformed object', self.log.output)
