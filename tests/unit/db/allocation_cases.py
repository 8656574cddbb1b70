"""Claim behaviour every backend must show, shared by every store.

Mixins only: tests/unit/db/test_allocation.py runs them on SQLite and
tests/functional/db/test_servers.py on PostgreSQL and MySQL.
"""

import uuid as uuid_lib

from gantt import exception
from tests.unit.db import base

alloc_req = base.alloc_req


def new_uuid():
    return str(uuid_lib.uuid4())


class ClaimCases:
    """Needs a base.StoreTestCase."""

    def setUp(self):
        super().setUp()
        self.node = self.add_node(vcpus=4, memory_mb=2048, local_gb=10)
        self.rp = self.node.uuid

    def test_claim_takes_capacity_and_records_allocations(self):
        consumer = new_uuid()
        self.db.claim(consumer,
                      alloc_req(self.rp, VCPU=2, MEMORY_MB=512),
                      base.PROJECT, base.USER)
        self.assertEqual(2, self.used(self.rp, 'VCPU'))
        self.assertEqual(512, self.used(self.rp, 'MEMORY_MB'))
        self.assertEqual(0, self.used(self.rp, 'DISK_GB'))
        allocs = self.db.get_allocations(consumer)
        self.assertEqual({'VCPU': 2, 'MEMORY_MB': 512},
                         allocs['allocations'][self.rp]['resources'])
        self.assertEqual(1, allocs['consumer_generation'])
        self.assertEqual(base.PROJECT, allocs['project_id'])
        self.assertEqual(base.USER, allocs['user_id'])
        self.assertIsInstance(allocs['allocations'][self.rp]['generation'],
                              int)

    def test_claim_stamps_inventory_so_readers_see_used(self):
        seq = self.db.current_seq()
        self.db.claim(new_uuid(), alloc_req(self.rp, VCPU=1),
                      base.PROJECT, base.USER)
        changes = self.db.get_changes(seq)
        self.assertEqual([('VCPU', 1)], [(i['resource_class'], i['used'])
                                         for i in changes.inventories])

    def test_claim_beyond_capacity_conflicts_and_writes_nothing(self):
        self.db.claim(new_uuid(), alloc_req(self.rp, VCPU=3),
                      base.PROJECT, base.USER)
        consumer = new_uuid()
        err = self.assertRaises(
            exception.ClaimConflict, self.db.claim, consumer,
            alloc_req(self.rp, MEMORY_MB=512, VCPU=2), base.PROJECT,
            base.USER)
        self.assertIn(self.rp, str(err))
        self.assertIn('VCPU', str(err))
        self.assertEqual(3, self.used(self.rp, 'VCPU'))
        self.assertEqual(0, self.used(self.rp, 'MEMORY_MB'))
        self.assertEqual({'allocations': {}},
                         self.db.get_allocations(consumer))

    def test_claim_exactly_to_capacity_succeeds(self):
        self.db.claim(new_uuid(), alloc_req(self.rp, VCPU=4),
                      base.PROJECT, base.USER)
        self.assertEqual(4, self.used(self.rp, 'VCPU'))

    def test_capacity_follows_reserved_and_ratio(self):
        node = self.add_node(vcpus=4, reserved_vcpus=1,
                             cpu_allocation_ratio=2.5, host='host2')
        self.db.claim(new_uuid(), alloc_req(node.uuid, VCPU=4),
                      base.PROJECT, base.USER)
        self.db.claim(new_uuid(), alloc_req(node.uuid, VCPU=3),
                      base.PROJECT, base.USER)   # 7 = floor(3 * 2.5)
        self.assertRaises(exception.ClaimConflict, self.db.claim,
                          new_uuid(),
                          alloc_req(node.uuid, VCPU=1), base.PROJECT,
                          base.USER)

    def test_claim_replaces_what_the_consumer_held(self):
        consumer = new_uuid()
        self.db.claim(consumer, alloc_req(self.rp, VCPU=3),
                      base.PROJECT, base.USER)
        self.db.claim(consumer, alloc_req(self.rp, VCPU=4),
                      base.PROJECT, base.USER)
        self.assertEqual(4, self.used(self.rp, 'VCPU'))
        self.assertEqual(
            2, self.db.get_allocations(consumer)['consumer_generation'])

    def test_consumer_generation_mismatch_conflicts(self):
        consumer = new_uuid()
        self.db.claim(consumer, alloc_req(self.rp, VCPU=1),
                      base.PROJECT, base.USER)
        err = self.assertRaises(
            exception.ConsumerGenerationConflict, self.db.claim,
            consumer, alloc_req(self.rp, VCPU=2), base.PROJECT, base.USER,
            consumer_generation=5)
        self.assertIn('expected 5, found 1', str(err))
        self.assertEqual(1, self.used(self.rp, 'VCPU'))
        self.db.claim(consumer, alloc_req(self.rp, VCPU=2),
                      base.PROJECT, base.USER, consumer_generation=1)
        self.assertEqual(2, self.used(self.rp, 'VCPU'))

    def test_generation_given_for_unknown_consumer_conflicts(self):
        self.assertRaises(
            exception.ConsumerGenerationConflict, self.db.claim,
            new_uuid(), alloc_req(self.rp, VCPU=1), base.PROJECT, base.USER,
            consumer_generation=0)
        self.assertEqual(0, self.used(self.rp, 'VCPU'))

    def test_claim_records_the_instance_in_the_same_transaction(self):
        seq = self.db.current_seq()
        consumer = new_uuid()
        self.db.claim(consumer, alloc_req(self.rp, VCPU=1),
                      base.PROJECT, base.USER, instance=('host1', 'node1'))
        self.assertEqual(seq + 1, self.db.current_seq())
        changes = self.db.get_changes(seq)
        self.assertEqual([(consumer, 'host1', 'node1')],
                         [(i['instance_uuid'], i['host'], i['node'])
                          for i in changes.instances])
        self.assertEqual(1, self.used(self.rp, 'VCPU'))

    def test_lost_claim_records_no_instance(self):
        self.db.claim(new_uuid(), alloc_req(self.rp, VCPU=4),
                      base.PROJECT, base.USER, instance=('host1', 'node1'))
        seq = self.db.current_seq()
        self.assertRaises(
            exception.ClaimConflict, self.db.claim, new_uuid(),
            alloc_req(self.rp, VCPU=1), base.PROJECT, base.USER,
            instance=('host1', 'node1'))
        self.assertFalse(self.db.get_changes(seq))
        self.assertEqual(1, self.count('instances'))

    def test_claim_all_is_all_or_nothing(self):
        other = self.add_node(vcpus=2, host='host2')
        self.db.claim(new_uuid(), alloc_req(other.uuid, VCPU=1),
                      base.PROJECT, base.USER)
        first, second = new_uuid(), new_uuid()
        self.assertRaises(
            exception.ClaimConflict, self.db.claim_all,
            [(first, alloc_req(self.rp, VCPU=2), base.PROJECT, base.USER),
             (second, alloc_req(other.uuid, VCPU=2), base.PROJECT,
              base.USER)])
        self.assertEqual(0, self.used(self.rp, 'VCPU'))
        self.assertEqual({'allocations': {}},
                         self.db.get_allocations(first))
        self.db.claim_all(
            [(first, alloc_req(self.rp, VCPU=2), base.PROJECT, base.USER),
             (second, alloc_req(other.uuid, VCPU=1), base.PROJECT,
              base.USER)])
        self.assertEqual(2, self.used(self.rp, 'VCPU'))
        self.assertEqual(2, self.used(other.uuid, 'VCPU'))

    def test_each_claim_moves_its_providers_generation_on_once(self):
        other = self.add_node(vcpus=2, host='host2')
        first = new_uuid()
        self.db.claim(first, alloc_req(self.rp, VCPU=1), base.PROJECT,
                      base.USER)

        def generation(rp):
            return self.db.get_allocations(first)['allocations'].get(
                rp, {}).get('generation')

        before = generation(self.rp)
        # Two consumers and two amounts on one provider: one more each.
        self.db.claim_all(
            [(new_uuid(), alloc_req(self.rp, VCPU=1, MEMORY_MB=256),
              base.PROJECT, base.USER),
             (new_uuid(), alloc_req(self.rp, VCPU=2), base.PROJECT,
              base.USER)])
        self.assertEqual(before + 1, generation(self.rp))
        # A lost claim moves nothing on, not even a provider that had room.
        self.assertRaises(
            exception.ClaimConflict, self.db.claim_all,
            [(new_uuid(), alloc_req(self.rp, VCPU=1), base.PROJECT,
              base.USER),
             (new_uuid(), alloc_req(other.uuid, VCPU=2), base.PROJECT,
              base.USER),
             (new_uuid(), alloc_req(other.uuid, VCPU=1), base.PROJECT,
              base.USER)])
        self.assertEqual(before + 1, generation(self.rp))
        # Replacing a claim moves on both the provider given back and
        # the one taken from, once each.
        self.db.claim(first, alloc_req(other.uuid, VCPU=1), base.PROJECT,
                      base.USER)
        self.assertEqual(None, generation(self.rp))
        moved = generation(other.uuid)
        self.db.claim(first, alloc_req(self.rp, VCPU=1), base.PROJECT,
                      base.USER)
        self.assertEqual(before + 3, generation(self.rp))
        self.db.claim(first, alloc_req(other.uuid, VCPU=1), base.PROJECT,
                      base.USER)
        self.assertEqual(moved + 2, generation(other.uuid))

    def test_claim_all_refuses_a_consumer_twice(self):
        consumer = new_uuid()
        err = self.assertRaises(
            exception.InvalidClaim, self.db.claim_all,
            [(consumer, alloc_req(self.rp, VCPU=1), base.PROJECT, base.USER),
             (consumer, alloc_req(self.rp, VCPU=1), base.PROJECT,
              base.USER)])
        self.assertIn(consumer, str(err))
        self.assertEqual(0, self.used(self.rp, 'VCPU'))

    def test_delete_allocations_is_idempotent(self):
        consumer = new_uuid()
        self.db.claim(consumer,
                      alloc_req(self.rp, VCPU=2, DISK_GB=5),
                      base.PROJECT, base.USER)
        self.assertTrue(self.db.delete_allocations(consumer))
        self.assertEqual(0, self.used(self.rp, 'VCPU'))
        self.assertEqual(0, self.used(self.rp, 'DISK_GB'))
        self.assertFalse(self.db.delete_allocations(consumer))
        self.assertFalse(self.db.delete_allocations(new_uuid()))
        self.assertEqual(0, self.used(self.rp, 'VCPU'))
        self.assertEqual({'allocations': {}},
                         self.db.get_allocations(consumer))

    def test_move_gives_source_allocations_to_target(self):
        instance, migration = new_uuid(), new_uuid()
        self.db.claim(instance,
                      alloc_req(self.rp, VCPU=2, MEMORY_MB=1024),
                      base.PROJECT, base.USER)
        self.assertTrue(
            self.db.move_allocations(instance, migration))
        self.assertEqual({'allocations': {}},
                         self.db.get_allocations(instance))
        moved = self.db.get_allocations(migration)
        self.assertEqual({'VCPU': 2, 'MEMORY_MB': 1024},
                         moved['allocations'][self.rp]['resources'])
        self.assertEqual(base.PROJECT, moved['project_id'])
        self.assertEqual(2, self.used(self.rp, 'VCPU'))
        self.assertEqual(1024, self.used(self.rp, 'MEMORY_MB'))
        # The instance can now claim its destination.
        dest = self.add_node(host='host2')
        self.db.claim(instance, alloc_req(dest.uuid, VCPU=2),
                      base.PROJECT, base.USER)
        self.assertEqual(2, self.used(dest.uuid, 'VCPU'))
        self.assertEqual(2, self.used(self.rp, 'VCPU'))
        # Moving again finds nothing at the source.
        self.assertFalse(
            self.db.move_allocations(new_uuid(), migration))

    def test_a_write_keeps_the_owner_it_is_not_given(self):
        source, target = new_uuid(), new_uuid()
        self.db.claim(source, alloc_req(self.rp, VCPU=1),
                      base.PROJECT, base.USER)
        self.db.claim(target, alloc_req(self.rp, VCPU=1),
                      'project-b', 'user-b')
        # A move to an existing consumer names no owner: the target's stays.
        self.db.move_allocations(source, target)
        moved = self.db.get_allocations(target)
        self.assertEqual(('project-b', 'user-b', 2),
                         (moved['project_id'], moved['user_id'],
                          moved['consumer_generation']))
        # A claim names one, and replaces it.
        self.db.claim(target, alloc_req(self.rp, VCPU=1),
                      'project-c', 'user-c')
        again = self.db.get_allocations(target)
        self.assertEqual(('project-c', 'user-c', 3),
                         (again['project_id'], again['user_id'],
                          again['consumer_generation']))

    def test_move_adds_to_what_the_target_holds(self):
        source, target = new_uuid(), new_uuid()
        self.db.claim(source, alloc_req(self.rp, VCPU=1),
                      base.PROJECT, base.USER)
        self.db.claim(target, alloc_req(self.rp, VCPU=2),
                      base.PROJECT, base.USER)
        self.db.move_allocations(source, target)
        self.assertEqual(
            {'VCPU': 3}, self.db.get_allocations(
                target)['allocations'][self.rp]['resources'])
        self.assertEqual(3, self.used(self.rp, 'VCPU'))

    def test_report_never_overwrites_used(self):
        self.db.claim(new_uuid(), alloc_req(self.rp, VCPU=2),
                      base.PROJECT, base.USER)
        node = base.make_node(uuid=self.rp, vcpus=6, memory_mb=2048,
                              local_gb=10, report_seq=2)
        self.assertTrue(self.db.save_compute_node(node))
        inv = self.inventory(self.rp, 'VCPU')
        self.assertEqual((6, 2), (inv['total'], inv['used']))

    def test_inventory_below_allocated_is_refused(self):
        self.db.claim(new_uuid(), alloc_req(self.rp, VCPU=3),
                      base.PROJECT, base.USER)
        seq = self.db.current_seq()
        node = base.make_node(uuid=self.rp, vcpus=2, memory_mb=4096,
                              local_gb=10, report_seq=2)
        err = self.assertRaises(exception.InvalidInventory,
                                self.db.save_compute_node, node)
        self.assertIn('VCPU capacity 2', str(err))
        self.assertIn('3 already allocated', str(err))
        self.assertFalse(self.db.get_changes(seq))
        inv = self.inventory(self.rp, 'VCPU')
        self.assertEqual((4, 3), (inv['total'], inv['used']))
        self.assertEqual(2048, self.inventory(self.rp, 'MEMORY_MB')['total'])
        [row] = self.db.get_changes(0).compute_nodes
        self.assertEqual(1, row['report_seq'])

    def test_overcommitted_providers_lists_used_above_capacity(self):
        self.db.claim(new_uuid(), alloc_req(self.rp, VCPU=3),
                      base.PROJECT, base.USER)
        self.assertEqual([], self.db.overcommitted_providers())
        self.set_inventory(self.rp, 'VCPU', capacity=2)
        self.assertEqual([(self.rp, 'VCPU', 3, 2)],
                         self.db.overcommitted_providers())


class InvalidClaimCases:
    """Each malformed claim names the bad value and writes nothing."""

    scenarios = [
        ('unknown_provider', dict(
            provider='00000000-0000-0000-0000-000000000000',
            resources={'VCPU': 1}, inv={},
            message='resource provider 00000000-0000-0000-0000-000000000000 '
                    'does not exist')),
        ('unknown_class', dict(
            provider=None, resources={'CUSTOM_GPU': 1}, inv={},
            message='has no inventory of CUSTOM_GPU')),
        ('malformed_class', dict(
            provider=None, resources={'vcpu': 1}, inv={},
            message="resource class 'vcpu'")),
        ('negative', dict(
            provider=None, resources={'VCPU': -2}, inv={},
            message='amount -2 of VCPU')),
        ('zero', dict(
            provider=None, resources={'VCPU': 0}, inv={},
            message='amount 0 of VCPU')),
        ('not_an_int', dict(
            provider=None, resources={'VCPU': 1.5}, inv={},
            message='amount 1.5 of VCPU')),
        ('boolean', dict(
            provider=None, resources={'VCPU': True}, inv={},
            message='amount True of VCPU')),
        ('step', dict(
            provider=None, resources={'MEMORY_MB': 300},
            inv={'MEMORY_MB': {'step_size': 256}},
            message='MEMORY_MB amount 300 on provider %(rp)s is not a '
                    'multiple of step_size 256')),
        ('min_unit', dict(
            provider=None, resources={'MEMORY_MB': 64},
            inv={'MEMORY_MB': {'min_unit': 128}},
            message='MEMORY_MB amount 64 on provider %(rp)s is below '
                    'min_unit 128')),
        ('max_unit', dict(
            provider=None, resources={'VCPU': 3},
            inv={'VCPU': {'max_unit': 2}},
            message='VCPU amount 3 on provider %(rp)s is above max_unit 2')),
        ('no_resources', dict(
            provider=None, resources={}, inv={},
            message='has no "resources" mapping')),
    ]

    def test_invalid_claim_names_the_value_and_writes_nothing(self):
        node = self.add_node(vcpus=4, memory_mb=2048, local_gb=10)
        for rc, values in self.inv.items():
            self.set_inventory(node.uuid, rc, **values)
        provider = self.provider or node.uuid
        consumer = new_uuid()
        # A valid item first, so a half-done claim would show.
        request = {'allocations': {
            node.uuid: {'resources': {'DISK_GB': 1}},
            provider: {'resources': dict(self.resources)}}}
        if provider == node.uuid:
            request['allocations'][provider]['resources']['DISK_GB'] = 1
            if not self.resources:
                request = {'allocations': {provider: {'resources': {}}}}
        seq = self.db.current_seq()
        err = self.assertRaises(exception.InvalidClaim, self.db.claim,
                                consumer, request, base.PROJECT,
                                base.USER)
        self.assertIn(self.message % {'rp': node.uuid}, str(err))
        self.assertFalse(self.db.get_changes(seq))
        self.assertEqual(0, self.used(node.uuid, 'DISK_GB'))
        self.assertEqual({'allocations': {}},
                         self.db.get_allocations(consumer))
        self.assertEqual(0, self.count('consumers'))
        self.assertEqual(0, self.count('allocations'))


class InstanceClaimCases:
    """A request's instances claimed in one transaction (needs a
    base.StoreTestCase)."""

    def setUp(self):
        super().setUp()
        self.a = self.add_node(host='a', vcpus=4, memory_mb=4096,
                               local_gb=10).uuid
        self.b = self.add_node(host='b', vcpus=4, memory_mb=4096,
                               local_gb=10).uuid

    def claims(self, *placements):
        return [(new_uuid(), alloc_req(rp, **resources), base.PROJECT,
                 base.USER, host, host)
                for rp, host, resources in placements]

    def test_instances_on_one_host_share_one_conditional_update(self):
        claims = self.claims((self.a, 'a', {'VCPU': 2}),
                             (self.a, 'a', {'VCPU': 2}),
                             (self.b, 'b', {'VCPU': 1}))
        self.db.claim_instances(claims)
        self.assertEqual(4, self.used(self.a, 'VCPU'))
        self.assertEqual(1, self.used(self.b, 'VCPU'))
        for consumer, request, _p, _u, _h, _n in claims:
            self.assertEqual(
                request['allocations'],
                {rp: {'resources': body['resources']} for rp, body in
                 self.db.get_allocations(consumer)['allocations'].items()})

    def test_instances_with_different_amounts_on_one_host(self):
        self.db.claim_instances(self.claims(
            (self.a, 'a', {'VCPU': 1, 'MEMORY_MB': 1024}),
            (self.a, 'a', {'VCPU': 3, 'MEMORY_MB': 1024})))
        self.assertEqual(4, self.used(self.a, 'VCPU'))
        self.assertEqual(2048, self.used(self.a, 'MEMORY_MB'))

    def test_one_instance_without_room_claims_none_and_names_it(self):
        claims = self.claims((self.b, 'b', {'VCPU': 1}),
                             (self.a, 'a', {'VCPU': 3}),
                             (self.a, 'a', {'VCPU': 3}))
        err = self.assertRaises(exception.ClaimConflict,
                                self.db.claim_instances, claims)
        self.assertIn(err.kwargs['consumer'], [c[0] for c in claims[1:]])
        self.assertEqual(0, self.used(self.a, 'VCPU'))
        self.assertEqual(0, self.used(self.b, 'VCPU'))
        for claim in claims:
            self.assertEqual({}, self.db.get_allocations(
                claim[0])['allocations'])

    def test_different_amounts_refused_in_a_later_statement_undo_all(self):
        claims = self.claims((self.a, 'a', {'VCPU': 1}),
                             (self.a, 'a', {'VCPU': 4}))
        self.assertRaises(exception.ClaimConflict,
                          self.db.claim_instances, claims)
        self.assertEqual(0, self.used(self.a, 'VCPU'))

    def test_instances_are_recorded_on_their_hosts(self):
        claims = self.claims((self.a, 'a', {'VCPU': 1}),
                             (self.b, 'b', {'VCPU': 1}))
        self.db.claim_instances(claims)
        hosts = {i['instance_uuid']: i['host']
                 for i in self.db.get_changes(0).instances}
        self.assertEqual({claims[0][0]: 'a', claims[1][0]: 'b'}, hosts)
