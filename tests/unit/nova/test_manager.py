"""nova's scheduler endpoint: what it hands Gantt's endpoints and answers."""

import copy
import json

# gantt first: it picks oslo.service's threading backend before
# oslo.messaging is imported.
from gantt import conf as gantt_conf  # noqa: I100

from oslo_db import exception as db_exception  # noqa: E402
import oslo_messaging  # noqa: E402
from oslo_messaging._drivers import common as driver_common  # noqa: E402
import testtools  # noqa: E402

from gantt import exception  # noqa: E402
from gantt import manager  # noqa: E402
from gantt.nova import exception as nova_exception
from gantt.nova import host_info
from gantt.nova import manager as nova_manager
from gantt.nova import rpc as nova_rpc
from gantt import objects as gantt_objects
from gantt import request as request_mod
from tests.unit.nova import test_translate

UUID = 'b0000000-0000-4000-8000-000000000004'


class FakeScheduler(object):
    """Gantt's Scheduler, answering with one host per instance (or none)."""

    def __init__(self, hosts=('cmp-1', 'cmp-2')):
        self.hosts = hosts
        self.calls = []

    def clock(self):
        return 0.0

    def select_destinations(self, ctxt, request, instance_uuids,
                            return_alternates=False, dry_run=False,
                            specs=None):
        if not hasattr(request, 'resources'):
            request = request_mod.from_spec(request)
        self.calls.append((request, instance_uuids, return_alternates))
        self.dry_run = dry_run
        if not self.hosts:
            raise exception.NoValidHost(reason='RamFilter removed 2 of 2')
        wanted = self.hosts if return_alternates else self.hosts[:1]
        return [[gantt_objects.Selection(
            compute_node_uuid='1c1c1c1c-0000-4000-8000-00000000000%d' % i,
            service_host=h, nodename=h + '.node',
            cell_uuid='ce110000-0000-4000-8000-000000000005',
            limits=gantt_objects.SchedulerLimits(),
            allocation_request='{"allocations": {}}',
            allocation_request_version='1.36', availability_zone='nova')
            for i, h in enumerate(wanted)] for _ in instance_uuids]


class FakeReport(object):
    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        return lambda ctxt, *args: self.calls.append((name,) + args)


class TestSelectDestinations(testtools.TestCase):

    def setUp(self):
        super().setUp()
        gantt_objects.register_all()
        self.conf = gantt_conf.build_conf()
        self.decider = FakeScheduler()
        self.endpoint = nova_manager.NovaSchedulerEndpoint(
            self.conf, manager.SchedulerManager(self.conf, self.decider),
            FakeReport())
        self.spec = test_translate.nova_spec()

    def select(self, **kwargs):
        kwargs.setdefault('spec_obj', self.spec)
        return self.endpoint.select_destinations(None, **kwargs)

    def test_objects_with_alternates_at_selection_1_1(self):
        answer = self.select(instance_uuids=[UUID], return_objects=True,
                             return_alternates=True)
        (primary, alternate), = answer
        self.assertEqual(('Selection', '1.1', 'cmp-1', 'nova'), (
            primary['nova_object.name'], primary['nova_object.version'],
            primary['nova_object.data']['service_host'],
            primary['nova_object.data']['availability_zone']))
        self.assertEqual('cmp-2', alternate['nova_object.data'][
            'service_host'])
        request, uuids, alternates = self.decider.calls[0]
        self.assertEqual(([UUID], True), (uuids, alternates))
        self.assertEqual(4, request.resources['VCPU'])

    def test_alternates_only_when_objects_are_asked_for(self):
        answer = self.select(instance_uuids=[UUID], return_alternates=True)
        self.assertEqual([{'host': 'cmp-1', 'nodename': 'cmp-1.node',
                           'limits': {}}], answer)
        self.assertFalse(self.decider.calls[0][2])

    def test_older_nova_gets_selection_1_0(self):
        primitive = self.spec.obj_to_primitive()
        older = copy.deepcopy(primitive)
        older['nova_object.version'] = '1.12'
        spec = nova_rpc.NovaObjectSerializer().deserialize_entity(None,
                                                                  older)
        (primary,), = self.select(spec_obj=spec, instance_uuids=[UUID],
                                  return_objects=True)
        self.assertEqual('1.0', primary['nova_object.version'])
        self.assertNotIn('availability_zone', primary['nova_object.data'])

    def test_rebuild_is_checked_on_its_host_without_resources_or_claim(self):
        self.spec.scheduler_hints = {'_nova_check_type': ['rebuild']}
        (primary,), = self.select(instance_uuids=[UUID], return_objects=True,
                                  return_alternates=True)
        request, uuids, alternates = self.decider.calls[0]
        self.assertTrue(self.decider.dry_run)
        self.assertFalse(alternates)
        self.assertEqual({'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0},
                         request.resources)
        self.assertIsNone(
            primary['nova_object.data']['allocation_request'])

    def test_4_3_caller_is_claimed_for_the_spec_instance(self):
        self.spec.num_instances = 1
        self.select()
        self.assertEqual([self.spec.instance_uuid], self.decider.calls[0][1])

    def test_4_3_caller_of_several_instances_is_refused(self):
        raised = self.assertRaises(oslo_messaging.ExpectedException,
                                   self.select)
        self.assertIsInstance(raised.exc_info[1], exception.InvalidRequest)

    def test_4_0_caller_sends_legacy_dicts(self):
        answer = self.endpoint.select_destinations(
            None, request_spec={
                'instance_type': {'vcpus': 1, 'memory_mb': 64,
                                  'root_gb': 1, 'ephemeral_gb': 0,
                                  'swap': 0, 'extra_specs': {}},
                'num_instances': 1, 'instance_uuids': [UUID]},
            filter_properties={})
        self.assertEqual(['cmp-1'], [a['host'] for a in answer])

    def test_no_valid_host_is_novas_on_the_wire(self):
        self.decider.hosts = ()
        # What oslo.messaging's server sends back for the expected error.
        raised = self.assertRaises(
            oslo_messaging.ExpectedException, self.select,
            instance_uuids=[UUID], return_objects=True)
        self.assertIsInstance(raised.exc_info[1], nova_exception.NoValidHost)
        wire = json.loads(driver_common.serialize_remote_exception(
            raised.exc_info))
        self.assertEqual(('nova.exception', 'NoValidHost'),
                         (wire['module'], wire['class']))
        self.assertIn('RamFilter removed 2 of 2', wire['message'])
        self.assertEqual({'reason': 'RamFilter removed 2 of 2'},
                         wire['kwargs'])


class TestCasts(testtools.TestCase):

    def setUp(self):
        super().setUp()
        gantt_objects.register_all()
        self.report = FakeReport()
        self.endpoint = nova_manager.NovaSchedulerEndpoint(
            gantt_conf.build_conf(), None, self.report)

    def _aggregate(self):
        return host_info.Aggregate(
            id=1, uuid='a9900000-0000-4000-8000-000000000001', name='az',
            hosts=['cmp-1'], metadata={'availability_zone': 'az1'})

    def test_update_aggregates_takes_a_list_object(self):
        self.endpoint.update_aggregates(None, host_info.AggregateList(
            objects=[self._aggregate()]))
        (name, (agg,)), = self.report.calls
        self.assertEqual(('update_aggregates', 'az1', ['cmp-1']),
                         (name, agg.availability_zone, agg.hosts))

    def test_delete_aggregate(self):
        self.endpoint.delete_aggregate(None, self._aggregate())
        (name, agg), = self.report.calls
        self.assertEqual(('delete_aggregate',
                          'a9900000-0000-4000-8000-000000000001'),
                         (name, agg.uuid))

    def test_instance_info_of_one_instance(self):
        self.endpoint.update_instance_info(None, 'cmp-1', host_info.Instance(
            uuid=UUID, host='cmp-1', node='cmp-1.node'))
        (name, host, info), = self.report.calls
        self.assertEqual(('update_instance_info', 'cmp-1',
                          [(UUID, 'cmp-1.node')]),
                         (name, host, [(i.uuid, i.node)
                                       for i in info.objects]))

    def test_strangers_are_ignored(self):
        self.endpoint.update_aggregates(None, 'not an aggregate')
        self.endpoint.update_instance_info(None, 'cmp-1', {'uuid': UUID})
        self.assertEqual([], self.report.calls)

    def test_delete_and_sync_pass_through(self):
        self.endpoint.delete_instance_info(None, 'cmp-1', UUID)
        self.endpoint.sync_instance_info(None, 'cmp-1', [UUID])
        self.assertEqual([('delete_instance_info', 'cmp-1', UUID),
                          ('sync_instance_info', 'cmp-1', [UUID])],
                         self.report.calls)

    def test_fanout_cast_stored_first_by_another_worker_is_stored_again(self):
        tries = []

        def save(ctxt, aggregates):
            tries.append(aggregates)
            if len(tries) == 1:
                raise db_exception.DBDuplicateEntry(columns=['uuid'])

        self.report.update_aggregates = save
        self.endpoint.update_aggregates(None, [self._aggregate()])
        self.assertEqual(2, len(tries))


class TestUnreadable(testtools.TestCase):

    def test_legacy_dict_of_the_wrong_shape_is_an_invalid_request(self):
        gantt_objects.register_all()
        conf = gantt_conf.build_conf()
        endpoint = nova_manager.NovaSchedulerEndpoint(
            conf, manager.SchedulerManager(conf, FakeScheduler()),
            FakeReport())
        raised = self.assertRaises(
            oslo_messaging.ExpectedException, endpoint.select_destinations,
            None, request_spec={'instance_type': {'vcpus': 'many'}},
            filter_properties={}, instance_uuids=[UUID])
        self.assertIsInstance(raised.exc_info[1], exception.InvalidRequest)
        self.assertIn('cannot read the nova request', str(raised.exc_info[1]))
