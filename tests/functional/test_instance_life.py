"""An instance's whole life through a real daemon, as a conductor drives it.

A 2-worker gantt-scheduler on RabbitMQ, on SQLite and PostgreSQL. Members
of an anti-affinity group are built; one is migrated with nothing but its
uuid and a migration uuid, and the group it was built with keeps it off
its sibling's host although that host is the best weighed. The source
stays held by the migration until the move is confirmed. A resize stores
the new flavor in the spec, and a revert gives the old one, the source
host and its allocation back. An unshelve places a shelved instance from
its stored spec. Deleting the instance drops its spec, allocations and
group membership together.
"""

import os
import subprocess
import uuid

from gantt import exception
from gantt import objects
from tests.functional import claims_base
from tests.functional import fixtures as gantt_fixtures

SMALL = claims_base.flavor_resources(vcpus=1, memory_mb=512, root_gb=1)
LARGE = claims_base.flavor_resources(vcpus=2, memory_mb=1024, root_gb=2)


def _flavor(resources, name):
    return objects.Flavor(name=name, vcpus=resources['VCPU'],
                          memory_mb=resources['MEMORY_MB'],
                          root_gb=resources['DISK_GB'], ephemeral_gb=0,
                          swap=0, extra_specs={})


class _Life(claims_base.ClaimsTestCase):
    """Three hosts; instances built onto them, in a group if asked."""

    # Free RAM outweighs every other weigher: compute-b is the best host
    # wherever it is allowed.
    default_conf = (claims_base.ClaimsTestCase.default_conf +
                    '[filter_scheduler]\nram_weight_multiplier = 10.0\n')

    def setUp(self):
        super().setUp()
        # compute-b has by far the most free RAM: the RAM weigher puts it
        # first for any request it may take.
        self.rps = self.save_nodes([
            claims_base.node('compute-a', 8, 16384, 100),
            claims_base.node('compute-b', 8, 262144, 100),
            claims_base.node('compute-c', 8, 16384, 100)])
        self.wait_for_workers()

    def build(self, host, group=None, resources=SMALL):
        """An instance forced onto ``host`` (as a boot may be), in
        ``group`` if given; its uuid."""
        instance = str(uuid.uuid4())
        spec = self.spec(vcpus=resources['VCPU'],
                         memory_mb=resources['MEMORY_MB'],
                         root_gb=resources['DISK_GB'])
        spec.force_hosts = [host]
        spec.scheduler_hints = {'purpose': ['web']}
        if group:
            spec.instance_group = objects.InstanceGroup(
                uuid=group, policy='anti-affinity', rules={}, members=[],
                hosts=[])
        (sel,), = self.scheduler.select_destinations(self.ctxt, spec,
                                                     [instance])
        self.assertEqual(host, sel.service_host)
        return instance

    def manage(self, *args):
        """gantt-manage against the daemon: (exit code, stdout and
        stderr)."""
        done = subprocess.run(
            [os.path.join(gantt_fixtures.BIN, 'gantt-manage'),
             '--config-file', self.daemon.config_file] + list(args),
            capture_output=True, text=True, timeout=120,
            cwd=gantt_fixtures.ROOT)
        return done.returncode, done.stdout + done.stderr

    def stored(self, instance):
        """What Gantt holds of the instance, and its RequestSpec."""
        shown = self.scheduler.get_instance(self.ctxt, instance)
        return shown, shown['request_spec']

    def spread_group(self):
        """An anti-affinity group with one member on each host: the
        member on compute-a."""
        group = str(uuid.uuid4())
        member = self.build('compute-a', group)
        self.build('compute-b', group)
        self.build('compute-c', group)
        return group, member


class TestInstanceLife(_Life):

    def test_resize_of_a_member_cannot_stay_unless_allowed(self):
        _group, member = self.spread_group()
        exc = self.assertRaises(
            exception.NoValidHost, self.scheduler.move_instance, self.ctxt,
            member, 'resize', migration_uuid=str(uuid.uuid4()),
            flavor=_flavor(LARGE, 'large'))
        self.assertIn('anti-affinity', str(exc))
        self.assert_holds(member, self.rps['compute-a'], SMALL)

    def test_migrated_member_keeps_its_anti_affinity(self):
        group = str(uuid.uuid4())
        member = self.build('compute-a', group)
        sibling = self.build('compute-b', group)
        shown, spec = self.stored(member)
        self.assertEqual(('compute-a', {'purpose': ['web']}, group, member),
                         (shown['host'], spec.scheduler_hints,
                          spec.instance_group.uuid, spec.instance_uuid))
        # The boot's forced host is not kept for the instance's life.
        self.assertEqual([], spec.force_hosts)

        migration = str(uuid.uuid4())
        sel, *alternates = self.scheduler.move_instance(
            self.ctxt, member, 'migrate', migration_uuid=migration,
            return_alternates=True)
        # Not the source, not the sibling's host however well weighed.
        self.assertEqual('compute-c', sel.service_host)
        self.assertEqual([], alternates)
        self.assert_holds(member, self.rps['compute-c'], SMALL)
        self.assert_holds(migration, self.rps['compute-a'], SMALL)
        self.assertEqual({member: 'compute-c', sibling: 'compute-b'},
                         self.scheduler.get_server_group(
                             self.ctxt, group)['members'])
        shown, _ = self.stored(member)
        self.assertEqual([(migration, 'migrate', 'compute-a', 'compute-c')],
                         [(m['migration_uuid'], m['operation'],
                           m['source_host'], m['dest_host'])
                          for m in shown['moves']])
        # One move at a time.
        exc = self.assertRaises(
            exception.MoveInProgress, self.scheduler.move_instance,
            self.ctxt, member, 'live_migrate',
            migration_uuid=str(uuid.uuid4()))
        self.assertIn(migration, str(exc))

        self.assertTrue(self.scheduler.confirm_move(self.ctxt, member,
                                                    migration))
        self.assert_holds_nothing(migration)
        self.assertFalse(self.scheduler.confirm_move(self.ctxt, member,
                                                     migration))
        # With every other host taken by the group, a further move fails
        # naming the policy, and nothing changes.
        exc = self.assertRaises(
            exception.NoValidHost, self.scheduler.move_instance, self.ctxt,
            member, 'live_migrate', migration_uuid=str(uuid.uuid4()),
            host='compute-b')
        self.assert_holds(member, self.rps['compute-c'], SMALL)
        self.assert_books_balance()

    def test_resize_updates_the_spec_and_revert_restores_it(self):
        instance = self.build('compute-a')
        migration = str(uuid.uuid4())
        sel, = self.scheduler.move_instance(
            self.ctxt, instance, 'resize', migration_uuid=migration,
            flavor=_flavor(LARGE, 'large'))
        self.assertNotEqual('compute-a', sel.service_host)
        dest = sel.service_host
        self.assert_holds(instance, self.rps[dest], LARGE)
        self.assert_holds(migration, self.rps['compute-a'], SMALL)
        shown, spec = self.stored(instance)
        self.assertEqual(('large', 2), (spec.flavor.name, spec.flavor.vcpus))
        self.assertEqual(dest, shown['host'])

        self.assertTrue(self.scheduler.revert_move(self.ctxt, instance,
                                                   migration))
        self.assert_holds(instance, self.rps['compute-a'], SMALL)
        self.assert_holds_nothing(migration)
        shown, spec = self.stored(instance)
        self.assertEqual(('m1.test', 'compute-a', []), (
            spec.flavor.name, shown['host'], shown['moves']))
        self.assertEqual('compute-a', self.instance_hosts()[instance])
        self.assert_books_balance()

    def test_requested_destination_and_unshelve(self):
        instance = self.build('compute-b')
        migration = str(uuid.uuid4())
        sel, = self.scheduler.move_instance(
            self.ctxt, instance, 'evacuate', migration_uuid=migration,
            host='compute-c')
        self.assertEqual('compute-c', sel.service_host)
        self.assertTrue(self.scheduler.confirm_move(self.ctxt, instance,
                                                    migration))
        # Shelve offload: the conductor releases the claim; the spec stays.
        self.assertTrue(self.scheduler.delete_allocations(self.ctxt,
                                                          instance))
        sel, = self.scheduler.move_instance(self.ctxt, instance, 'unshelve')
        # Best weighed again, the forced host of the boot long forgotten.
        self.assertEqual('compute-b', sel.service_host)
        self.assert_holds(instance, self.rps['compute-b'], SMALL)
        self.assert_books_balance()

    def test_delete_drops_spec_allocations_and_membership_together(self):
        group = str(uuid.uuid4())
        instance = self.build('compute-a', group)
        migration = str(uuid.uuid4())
        self.scheduler.move_instance(self.ctxt, instance, 'migrate',
                                     migration_uuid=migration)
        dropped = self.scheduler.delete_instance(self.ctxt, instance)
        self.assertEqual(
            {'allocations': True, 'groups': [group], 'request_spec': True,
             'host_record': True, 'migrations': [migration]},
            {k: v for k, v in dropped.items() if k != 'numa_claims'})
        self.assertIsNone(self.scheduler.get_instance(self.ctxt, instance))
        self.assert_holds_nothing(instance)
        self.assert_holds_nothing(migration)
        self.assertEqual({}, self.scheduler.get_server_group(
            self.ctxt, group)['members'])
        self.assertNotIn(instance, self.instance_hosts())
        exc = self.assertRaises(exception.InstanceNotFound,
                                self.scheduler.move_instance, self.ctxt,
                                instance, 'migrate',
                                migration_uuid=str(uuid.uuid4()))
        self.assertIn('no RequestSpec stored', str(exc))
        self.assert_books_balance()

    def test_manage_shows_and_migrates_an_instance(self):
        instance = self.build('compute-a')
        code, out = self.manage('instance', 'show', instance)
        self.assertEqual(0, code, out)
        self.assertIn('compute-a', out)
        self.assertIn('m1.test', out)
        code, out = self.manage('instance', 'migrate', instance,
                                '--host', 'compute-c')
        self.assertEqual(0, code, out)
        self.assertIn('compute-c', out)
        migration = [m['migration_uuid'] for m in self.scheduler.get_instance(
            self.ctxt, instance)['moves']]
        self.assertEqual(1, len(migration))
        self.assertIn(migration[0], out)
        self.assert_holds(migration[0], self.rps['compute-a'], SMALL)


class TestResizeInPlace(_Life):
    """allow_resize_to_same_host: a member resized in place does not count
    against itself on its own host, in the filters or in the claim."""

    default_conf = (_Life.default_conf +
                    '[scheduler]\nallow_resize_to_same_host = true\n')

    def test_anti_affinity_member_resizes_on_its_own_host(self):
        group, member = self.spread_group()
        migration = str(uuid.uuid4())
        sel, = self.scheduler.move_instance(
            self.ctxt, member, 'resize', migration_uuid=migration,
            flavor=_flavor(LARGE, 'large'))
        self.assertEqual('compute-a', sel.service_host)
        self.assert_holds(member, self.rps['compute-a'], LARGE)
        self.assert_holds(migration, self.rps['compute-a'], SMALL)
        self.assertTrue(self.scheduler.confirm_move(self.ctxt, member,
                                                    migration))
        held = self.scheduler.get_server_group(self.ctxt, group)
        self.assertEqual('compute-a', held['members'][member])
        self.assertEqual(3, len(held['members']))
        self.assert_books_balance()
