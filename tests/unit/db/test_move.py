"""An instance's life in the store: its spec stored with its first claim,
a move holding the source under the migration, confirm, revert, delete."""

import uuid as uuid_lib

from gantt import exception
from tests.unit.db import base


def _uuid():
    return str(uuid_lib.uuid4())


def _spec(vcpus):
    return {'versioned_object.name': 'RequestSpec',
            'versioned_object.data': {'flavor': {'vcpus': vcpus}}}


class TestInstanceLife(base.StoreTestCase):

    def setUp(self):
        super().setUp()
        self.nodes = {h: self.add_node(host=h, vcpus=8).uuid
                      for h in ('a', 'b')}
        self.group = _uuid()
        self.db.create_server_group(self.group, 'web', 'anti-affinity')

    def claim(self, instance, host, vcpus=2, moving=None):
        self.db.claim_instances(
            [(instance, base.alloc_req(self.nodes[host], VCPU=vcpus),
              base.PROJECT, base.USER, host, host)],
            group={'uuid': self.group, 'policy': 'anti-affinity'},
            specs={instance: _spec(vcpus)}, moving=moving)

    def held(self, consumer):
        return {rp: body['resources'] for rp, body in
                self.db.get_allocations(consumer)['allocations'].items()}

    def moving(self, instance, migration, host='a'):
        return {'instance_uuid': instance, 'migration_uuid': migration,
                'operation': 'resize', 'source_host': host,
                'source_node': host, 'old_spec': _spec(2)}

    def test_spec_is_stored_with_the_first_claim(self):
        instance = _uuid()
        self.claim(instance, 'a')
        shown = self.db.get_instance(instance)
        self.assertEqual(_spec(2), shown['request_spec'])
        self.assertEqual('a', shown['host'])
        self.assertEqual([self.group], [g['uuid'] for g in shown['groups']])

    def test_move_holds_source_under_the_migration_until_confirmed(self):
        instance, migration = _uuid(), _uuid()
        self.claim(instance, 'a')
        self.claim(instance, 'b', vcpus=4,
                   moving=self.moving(instance, migration))
        self.assertEqual({self.nodes['a']: {'VCPU': 2}}, self.held(migration))
        self.assertEqual({self.nodes['b']: {'VCPU': 4}}, self.held(instance))
        self.assertEqual(2, self.used(self.nodes['a'], 'VCPU'))
        shown = self.db.get_instance(instance)
        self.assertEqual(_spec(4), shown['request_spec'])
        self.assertEqual([(migration, 'a', 'b')],
                         [(m['migration_uuid'], m['source_host'],
                           m['dest_host']) for m in shown['moves']])
        self.assertEqual({instance: 'b'},
                         self.db.get_server_group(self.group)['members'])

        self.assertTrue(self.db.confirm_move(instance, migration))
        self.assertFalse(self.db.confirm_move(instance, migration))
        self.assertEqual({}, self.held(migration))
        self.assertEqual(0, self.used(self.nodes['a'], 'VCPU'))
        self.assertEqual([], self.db.get_instance(instance)['moves'])

    def test_revert_gives_the_source_spec_host_and_group_back(self):
        instance, migration = _uuid(), _uuid()
        self.claim(instance, 'a')
        self.claim(instance, 'b', vcpus=4,
                   moving=self.moving(instance, migration))
        self.assertTrue(self.db.revert_move(instance, migration))
        self.assertFalse(self.db.revert_move(instance, migration))
        self.assertEqual({self.nodes['a']: {'VCPU': 2}}, self.held(instance))
        self.assertEqual({}, self.held(migration))
        self.assertEqual(0, self.used(self.nodes['b'], 'VCPU'))
        shown = self.db.get_instance(instance)
        self.assertEqual((_spec(2), 'a', []),
                         (shown['request_spec'], shown['host'],
                          shown['moves']))
        self.assertEqual({instance: 'a'},
                         self.db.get_server_group(self.group)['members'])

    def test_a_second_move_waits_for_the_first(self):
        instance, migration = _uuid(), _uuid()
        self.claim(instance, 'a')
        self.claim(instance, 'b', moving=self.moving(instance, migration))
        exc = self.assertRaises(
            exception.MoveInProgress, self.claim, instance, 'a',
            moving=self.moving(instance, _uuid(), host='b'))
        self.assertIn(migration, str(exc))
        # Nothing of the refused move is left behind.
        self.assertEqual({self.nodes['b']: {'VCPU': 2}}, self.held(instance))

    def test_confirm_names_the_wrong_instance(self):
        instance, migration = _uuid(), _uuid()
        self.claim(instance, 'a')
        self.claim(instance, 'b', moving=self.moving(instance, migration))
        other = _uuid()
        exc = self.assertRaises(exception.InvalidRequest,
                                self.db.confirm_move, other, migration)
        self.assertIn(instance, str(exc))

    def test_delete_drops_everything_together(self):
        instance, migration = _uuid(), _uuid()
        self.claim(instance, 'a')
        self.claim(instance, 'b', moving=self.moving(instance, migration))
        dropped = self.db.forget_instance(instance)
        self.assertEqual(
            {'allocations': True, 'numa_claims': 0, 'groups': [self.group],
             'request_spec': True, 'host_record': True,
             'migrations': [migration]}, dropped)
        self.assertIsNone(self.db.get_instance(instance))
        self.assertEqual({}, self.held(migration))
        self.assertEqual({}, self.db.get_server_group(self.group)['members'])
        for host in ('a', 'b'):
            self.assertEqual(0, self.used(self.nodes[host], 'VCPU'))
        self.assertIsNone(self.db.get_request_spec(instance))
        self.assertEqual({'allocations': False, 'numa_claims': 0,
                          'groups': [], 'request_spec': False,
                          'host_record': False, 'migrations': []},
                         self.db.forget_instance(instance))
