"""A move's RequestSpec, built from the stored one as the compute
controller's conductor builds it for each operation."""

import uuid as uuid_lib

import testtools

from gantt import conf as gantt_conf
from gantt import move
from gantt import objects
from gantt import stored_spec
from tests.unit.db import test_changes

INSTANCE = str(uuid_lib.uuid4())
MIGRATION = str(uuid_lib.uuid4())
CELL = str(uuid_lib.uuid4())
GROUP = str(uuid_lib.uuid4())
SOURCE = move.Source(host='src', node='src.node', cell_uuid=CELL)


def _flavor(vcpus):
    return objects.Flavor(name='f%d' % vcpus, vcpus=vcpus, memory_mb=512,
                          root_gb=1, ephemeral_gb=0, swap=0, extra_specs={})


def _plain(text):
    """A stored spec's primitive without its change lists."""
    return test_changes.plain(stored_spec.load(text))


def _stored():
    """A boot spec as a conductor sent it: forced, retried, targeted."""
    spec = objects.RequestSpec(
        project_id='p', user_id='u', num_instances=3,
        availability_zone='az1', flavor=_flavor(1),
        scheduler_hints={'different_host': ['x']},
        force_hosts=['boot-host'], ignore_hosts=['bad'],
        requested_destination=objects.Destination(host='boot-host'),
        instance_group=objects.InstanceGroup(
            uuid=GROUP, policy='anti-affinity', members=['m1'],
            hosts=['h1']))
    return stored_spec.per_instance(spec, [INSTANCE])[INSTANCE]


class TestStoredSpec(testtools.TestCase):

    def test_per_request_fields_and_group_members_are_not_kept(self):
        spec = stored_spec.load(_stored())
        self.assertEqual((INSTANCE, 1, 'az1', {'different_host': ['x']}),
                         (spec.instance_uuid, spec.num_instances,
                          spec.availability_zone, spec.scheduler_hints))
        for name in stored_spec.PER_REQUEST:
            self.assertFalse(getattr(spec, name), name)
        self.assertEqual(GROUP, spec.instance_group.uuid)
        self.assertFalse(spec.instance_group.members)
        self.assertFalse(spec.instance_group.hosts)

    def test_reservation_hint_is_not_kept(self):
        spec = objects.RequestSpec(
            project_id='p', user_id='u', num_instances=1, flavor=_flavor(1),
            scheduler_hints={'reservation': ['r'], 'group': ['g']})
        kept = stored_spec.load(
            stored_spec.per_instance(spec, [INSTANCE])[INSTANCE])
        self.assertEqual({'group': ['g']}, kept.scheduler_hints)


class TestBuild(testtools.TestCase):

    def setUp(self):
        super().setUp()
        objects.register_all()
        self.conf = gantt_conf.build_conf()

    def build(self, operation, source=SOURCE, **changes):
        migration = MIGRATION if operation in move.WITH_SOURCE else None
        return move.build(self.conf, _stored(), operation, INSTANCE, source,
                          move.Changes(**changes), migration)

    def test_migrate_ignores_the_source_and_stays_in_its_cell(self):
        spec, after, moving = self.build(move.MIGRATE)
        self.assertEqual(['src'], spec.ignore_hosts)
        self.assertEqual(([], []), (spec.force_hosts, spec.force_nodes))
        self.assertIsNone(spec.retry)
        dest = spec.requested_destination
        self.assertEqual((None, CELL, False),
                         (dest.host, dest.cell_uuid,
                          dest.allow_cross_cell_move))
        self.assertEqual(['x'], spec.scheduler_hints['different_host'])
        self.assertEqual(GROUP, spec.instance_group.uuid)
        self.assertEqual(_plain(_stored()), _plain(after))
        self.assertEqual(_plain(_stored()), _plain(moving.pop('old_spec')))
        self.assertEqual(
            {'instance_uuid': INSTANCE, 'migration_uuid': MIGRATION,
             'operation': 'migrate', 'source_host': 'src',
             'source_node': 'src.node'}, moving)

    def test_cold_migrate_to_same_host_only_with_the_trait(self):
        source = SOURCE._replace(
            traits=frozenset([move.SAME_HOST_COLD_MIGRATE]))
        self.assertEqual([], self.build(move.MIGRATE, source)[0].ignore_hosts)

    def test_resize_stores_the_new_flavor_and_may_stay_when_allowed(self):
        spec, after, _ = self.build(move.RESIZE, flavor=_flavor(4))
        self.assertEqual(4, spec.flavor.vcpus)
        self.assertEqual(4, stored_spec.load(after).flavor.vcpus)
        self.assertEqual(['src'], spec.ignore_hosts)
        self.conf.set_override('allow_resize_to_same_host', True,
                               group='scheduler')
        spec, _, _ = self.build(move.RESIZE, flavor=_flavor(4))
        self.assertEqual([], spec.ignore_hosts)

    def test_live_migrate_and_evacuate_always_leave_the_source(self):
        self.conf.set_override('allow_resize_to_same_host', True,
                               group='scheduler')
        for operation in (move.LIVE_MIGRATE, move.EVACUATE):
            spec, _, _ = self.build(operation, ignore_hosts=('other',))
            self.assertEqual(['other', 'src'], spec.ignore_hosts)

    def test_requested_host_in_the_instance_cell(self):
        spec, _, _ = self.build(move.LIVE_MIGRATE, host='dst', node='dn')
        dest = spec.requested_destination
        self.assertEqual(('dst', 'dn', CELL),
                         (dest.host, dest.node, dest.cell_uuid))

    def test_cross_cell_targeted_drops_the_cell_untargeted_prefers_it(self):
        spec, _, _ = self.build(move.RESIZE, flavor=_flavor(2), host='dst',
                                allow_cross_cell_move=True)
        dest = spec.requested_destination
        self.assertEqual(('dst', None, True),
                         (dest.host, dest.cell_uuid,
                          dest.allow_cross_cell_move))
        spec, _, _ = self.build(move.MIGRATE, allow_cross_cell_move=True)
        self.assertEqual((CELL, True),
                         (spec.requested_destination.cell_uuid,
                          spec.requested_destination.allow_cross_cell_move))

    def test_unshelve_holds_no_source_and_may_change_zone(self):
        spec, after, moving = self.build(move.UNSHELVE, move.Source(),
                                         availability_zone='az2')
        self.assertEqual([], spec.ignore_hosts)
        self.assertIsNone(spec.requested_destination)
        self.assertEqual('az2', stored_spec.load(after).availability_zone)
        self.assertIsNone(moving['migration_uuid'])

    def test_force_hosts_given_with_the_move_apply(self):
        spec, _, _ = self.build(move.EVACUATE, force_hosts=('f1',),
                                force_nodes=('n1',))
        self.assertEqual((['f1'], ['n1']),
                         (spec.force_hosts, spec.force_nodes))


class TestProblem(testtools.TestCase):

    def test_refusals_name_what_was_wrong(self):
        objects.register_all()
        cases = [
            ('teleport', MIGRATION, {}, 'operation must be one of'),
            ('migrate', None, {}, 'migrate needs migration_uuid'),
            ('unshelve', MIGRATION, {}, 'unshelve holds no source'),
            ('resize', MIGRATION, {}, 'resize needs flavor'),
            ('migrate', MIGRATION, {'flavor': _flavor(1)},
             'only resize takes one'),
            ('evacuate', MIGRATION, {'availability_zone': 'az'},
             'only unshelve takes one'),
            ('live_migrate', MIGRATION, {'allow_cross_cell_move': True},
             'only migrate and resize may cross cells'),
            ('migrate', MIGRATION, {'ignore_hosts': 'h1'},
             'ignore_hosts must be a list'),
            ('migrate', MIGRATION, {'host': ''}, 'host must be'),
        ]
        for operation, migration, changes, expected in cases:
            found = move.problem(operation, migration,
                                 move.Changes(**changes))
            self.assertIn(expected, found or '', (operation, changes))
        self.assertIsNone(move.problem('resize', MIGRATION,
                                       move.Changes(flavor=_flavor(2))))
