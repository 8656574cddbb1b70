"""A RequestSpec is read once into a frozen Request of plain values, and a
whole decision runs without reading a versioned object again."""

import json
import random
import uuid as uuid_lib

import fixtures
from oslo_versionedobjects import base as ovo_base
import testtools

from gantt import context
from gantt import host_manager
from gantt import objects
from gantt import request as request_mod
from gantt import scheduler
from gantt.objects import base as obj_base
from tests.unit.db import base as db_base
from tests.unit.db import test_provider as trees_db
from tests.unit import hosts as test_hosts
from tests.unit import test_scheduler
from tests.unit import trees

objects.register_all()

CELL = test_scheduler.CELL1
MEMBER = test_scheduler.uuid_of(500)
ALL_FILTERS = [
    'AllHostsFilter', 'ComputeFilter', 'ComputeCapabilitiesFilter',
    'ImagePropertiesFilter', 'AvailabilityZoneFilter',
    'AggregateInstanceExtraSpecsFilter', 'AggregateMultiTenancyIsolation',
    'AggregateTypeAffinityFilter', 'AggregateImagePropertiesIsolation',
    'IoOpsFilter', 'AggregateIoOpsFilter', 'NumInstancesFilter',
    'AggregateNumInstancesFilter', 'DifferentHostFilter', 'SameHostFilter',
    'SimpleCIDRAffinityFilter', 'ServerGroupAffinityFilter',
    'ServerGroupAntiAffinityFilter', 'IsolatedHostsFilter', 'JsonFilter',
    'MetricsFilter', 'RamFilter', 'CoreFilter', 'DiskFilter']
ALL_WEIGHERS = [
    'RAMWeigher', 'CPUWeigher', 'DiskWeigher', 'IoOpsWeigher',
    'NumInstancesWeigher', 'MetricsWeigher', 'BuildFailureWeigher',
    'ServerGroupSoftAffinityWeigher', 'ServerGroupSoftAntiAffinityWeigher',
    'HypervisorVersionWeigher', 'CrossCellWeigher',
    'ImagePropertiesWeigher']


class ReadTrap(fixtures.Fixture):
    """From setUp on, reading any attribute of `root` or of a versioned
    object reachable from it raises AssertionError."""

    def __init__(self, root):
        super().__init__()
        self.root = root

    def _setUp(self):
        trapped = set()

        def walk(value):
            if isinstance(value, ovo_base.VersionedObject):
                if id(value) in trapped:
                    return
                trapped.add(id(value))
                for name in value.fields:
                    if value.obj_attr_is_set(name):
                        walk(getattr(value, name))
            elif isinstance(value, dict):
                for item in value.values():
                    walk(item)
            elif isinstance(value, (list, tuple, set, frozenset)):
                for item in value:
                    walk(item)

        walk(self.root)
        read = object.__getattribute__

        def guarded(obj, name):
            if id(obj) in trapped:
                raise AssertionError('%s.%s read after the Request was built'
                                     % (type(obj).__name__, name))
            return read(obj, name)

        # Set on the class and deleted after, so GanttObject goes back to
        # the plain lookup it inherits (restoring a copy would slow every
        # later attribute read).
        cls = obj_base.GanttObject
        if '__getattribute__' in vars(cls):
            raise RuntimeError('GanttObject already defines __getattribute__')
        cls.__getattribute__ = guarded
        self.addCleanup(delattr, cls, '__getattribute__')


def _versioned_values(value, seen=None):
    """Versioned objects anywhere inside `value` (a Request)."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, ovo_base.VersionedObject):
        return [value]
    if isinstance(value, request_mod.Request):
        children = [v for name, v in zip(value._fields, value)
                    if name != 'conf']
    elif isinstance(value, dict):
        children = list(value.keys()) + list(value.values())
    elif isinstance(value, (list, tuple, set, frozenset)):
        children = list(value)
    elif isinstance(value, request_mod.Placing):
        children = [value.instance_uuid, value.picked_rows]
    else:
        children = [getattr(value, name) for name in
                    getattr(type(value), '__slots__', ())
                    if hasattr(value, name)]
        children += list(getattr(value, '__dict__', {}).values())
    found = []
    for child in children:
        found += _versioned_values(child, seen)
    return found


def rich_spec(**fields):
    """A RequestSpec that sets every part the engine reads."""
    values = dict(
        instance_uuid=test_scheduler.uuid_of(999),
        project_id='p1', user_id='u1', num_instances=2,
        availability_zone='nova',
        flavor=objects.Flavor(
            name='m1.small', flavorid='2', memory_mb=1024, vcpus=1,
            root_gb=10, ephemeral_gb=1, swap=512,
            extra_specs={'resources:CUSTOM_NIC': '0',
                         'trait:CUSTOM_FAST': 'forbidden'}),
        image=objects.ImageMeta(
            id='6e2a4c77-3d5b-4f0e-9a8e-1b7c2d3e4f50', name='cirros',
            properties=objects.ImageMetaProps(
                hw_architecture='x86_64', os_distro='cirros',
                extra={'custom': 'yes'})),
        scheduler_hints={'different_host': [test_scheduler.uuid_of(77)],
                         'build_near_host_ip': ['10.0.0.1'],
                         'cidr': ['/8']},
        instance_group=objects.InstanceGroup(
            uuid='3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b', name='g',
            policy='anti-affinity', members=[MEMBER], hosts=['h1'],
            rules={'max_server_per_host': '1'}),
        ignore_hosts=['h9'],
        retry=objects.SchedulerRetries(num_attempts=1,
                                       hosts=[['h8', 'h8']]),
        requested_destination=objects.Destination(
            cell_uuid=CELL, allow_cross_cell_move=True,
            forbidden_aggregates={'agg-off'}),
        limits=objects.SchedulerLimits(vcpu=8),
        request_level_params=objects.RequestLevelParams())
    values.update(fields)
    return objects.RequestSpec(**values)


class TestFromSpec(testtools.TestCase):

    def test_reads_every_part_into_plain_values(self):
        spec = rich_spec()
        request = request_mod.from_spec(spec, None, now=12.0)
        self.assertEqual(
            {'VCPU': 1, 'MEMORY_MB': 1024, 'DISK_GB': 12, 'CUSTOM_NIC': 0},
            request.resources)
        self.assertEqual('m1.small', request.flavor.name)
        self.assertEqual('6e2a4c77-3d5b-4f0e-9a8e-1b7c2d3e4f50',
                         request.image.id)
        self.assertEqual('x86_64', request.image_props.get('hw_architecture'))
        self.assertEqual('yes', request.image_props.get('custom'))
        self.assertIsNone(request.image_props.get('hw_vm_mode'))
        self.assertEqual(('anti-affinity', (MEMBER,), ('h1',)),
                         (request.instance_group.policy,
                          request.instance_group.members,
                          request.instance_group.hosts))
        self.assertEqual((('h8', 'h8'),), request.retry_hosts)
        self.assertEqual(CELL, request.requested_destination.cell_uuid)
        self.assertEqual(frozenset({'agg-off'}),
                         request.requested_destination.forbidden_aggregates)
        self.assertEqual({'vcpu': 8}, request.limits)
        self.assertEqual({'CUSTOM_FAST'},
                         request.groups.unnumbered.forbidden)
        self.assertEqual(('nova', 2, 'u1', 12.0),
                         (request.availability_zone, request.num_instances,
                          request.user_id, request.now))
        self.assertEqual('10.0.0.1', request.hint('build_near_host_ip'))
        self.assertEqual([], _versioned_values(request))

    def test_an_empty_spec_reads_as_no_constraints(self):
        request = request_mod.from_spec(objects.RequestSpec(), None, 1.0)
        self.assertEqual({}, request.resources)
        self.assertIsNone(request.flavor.name)
        self.assertIsNone(request.image.id)
        self.assertIsNone(request.instance_group)
        self.assertIsNone(request.requested_destination)
        self.assertIsNone(request.availability_zone)
        self.assertEqual(((), (), (), ()),
                         (request.ignore_hosts, request.force_hosts,
                          request.force_nodes, request.retry_hosts))

    def test_request_is_frozen(self):
        request = request_mod.from_spec(rich_spec(), None, 1.0)
        self.assertRaises(AttributeError, setattr,
                          request, 'project_id', 'other')
        self.assertRaises(AttributeError, setattr,
                          request.flavor, 'name', 'other')

    def test_placing_starts_each_decision_afresh(self):
        request = request_mod.from_spec(rich_spec(), None, 1.0)
        request.placing.picked_rows.append(3)
        request.placing.instance_uuid = 'someone-else'
        placing = request.start(plan='a plan')
        self.assertIs(request.placing, placing)
        self.assertEqual(([], request.instance_uuid, 'a plan'),
                         (placing.picked_rows, placing.instance_uuid,
                          placing.plan))

    def test_the_read_trap_catches_a_read(self):
        # The trap the tests below rely on does fire.
        spec = rich_spec()
        self.useFixture(ReadTrap(spec))
        self.assertRaises(AssertionError, getattr, spec, 'flavor')
        self.assertRaises(AssertionError, obj_base.field, spec, 'flavor')


class TestDecisionReadsNoVersionedObject(test_scheduler.SchedulerTestCase):
    """With every filter and weigher enabled, a decision and an explanation
    read only the Request once it is built."""

    weighers = ALL_WEIGHERS
    overrides = {'filter_scheduler': {'enabled_filters': ALL_FILTERS}}

    def setUp(self):
        super().setUp()
        arch = [['x86_64', 'kvm', 'hvm']]
        hosts = [test_scheduler.host(name, ram=8192, cell=CELL,
                                     host_ip='10.0.0.%d' % i,
                                     supported_instances=arch)
                 for i, name in enumerate(('h1', 'h2', 'h3', 'h4'), 1)]
        self.make(hosts, instances=[(MEMBER, 'h2')])
        self.sched.clock = test_hosts.now

    def test_select_destinations(self):
        spec = rich_spec()
        request = request_mod.from_spec(spec, self.conf, test_hosts.now())
        self.useFixture(ReadTrap(spec))
        uuids = [test_scheduler.uuid_of(1), test_scheduler.uuid_of(2)]
        result = self.sched.select_destinations(self.ctxt, request, uuids)
        primaries = sorted(sels[0].service_host for sels in result)
        # h1 is a group host and h2 runs a member: one instance per host.
        self.assertEqual(['h3', 'h4'], primaries)
        self.assertEqual(set(uuids), set(self.store.claims))
        # Handing the engine the spec itself trips the trap.
        self.assertRaises(AssertionError, self.sched.select_destinations,
                          self.ctxt, spec, [test_scheduler.uuid_of(3)])

    def test_explain(self):
        spec = rich_spec()
        request = request_mod.from_spec(spec, self.conf, test_hosts.now())
        self.useFixture(ReadTrap(spec))
        answer = self.sched.explain(self.ctxt, request)
        self.assertEqual(['h3', 'h4'],
                         sorted(h['host'] for h in answer['hosts']))


class TestCandidatesReadNoVersionedObject(db_base.StoreTestCase):
    """The allocation candidate path, with the store, reads only the
    Request once it is built."""

    def test_gpu_group_claims_the_child(self):
        self.conf.set_override('enabled_filters',
                               ['ComputeFilter', 'RamFilter', 'CoreFilter'],
                               group='filter_scheduler')
        sched = scheduler.Scheduler(
            self.conf, self.db, host_manager.HostManager(self.conf, self.db),
            rng=random.Random(0))
        node = trees_db.tree_node(host='gpu', vgpus=2)
        self.db.save_compute_node(node)
        spec = trees.spec(extra_specs={'resources1:VGPU': '1'})
        spec.project_id, spec.user_id = db_base.PROJECT, db_base.USER
        request = request_mod.from_spec(spec, self.conf, sched.clock())
        self.useFixture(ReadTrap(spec))
        uuid = str(uuid_lib.uuid4())
        [[primary, *_]] = sched.select_destinations(
            context.get_admin_context(), request, [uuid])
        gpu = node.provider_tree[2].uuid
        alloc = json.loads(primary.allocation_request)
        self.assertEqual({'VGPU': 1}, alloc['allocations'][gpu]['resources'])
