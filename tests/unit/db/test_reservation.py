"""Reservations in the store: held until the deadline, free past it even
before a sweep, taken over by instances in one transaction."""

import datetime
import uuid as uuid_lib

from gantt.db import timestamps
from gantt import exception
from tests.unit.db import base


def _uuid():
    return str(uuid_lib.uuid4())


def _in(seconds):
    return timestamps.utcnow() + datetime.timedelta(seconds=seconds)


class _Reserving(base.StoreTestCase):
    """One host of 4 vCPUs, and reservations of slots on it."""

    def setUp(self):
        super().setUp()
        self.node = self.add_node(host='a', vcpus=4).uuid

    def reserve(self, count, deadline, vcpus=1, group=None):
        uuid = _uuid()
        slots = [{'consumer': _uuid(), 'host': 'a', 'node': 'a',
                  'node_uuid': self.node} for _ in range(count)]
        claims = [(s['consumer'], base.alloc_req(self.node, VCPU=vcpus),
                   base.PROJECT, base.USER, 'a', 'a') for s in slots]
        self.db.claim_instances(claims, group=group, reservation={
            'uuid': uuid, 'project_id': base.PROJECT, 'user_id': base.USER,
            'flavor': 'small', 'slots': slots, 'deadline': deadline})
        return uuid, slots

    def claim(self, vcpus):
        self.db.claim_instances([(_uuid(), base.alloc_req(
            self.node, VCPU=vcpus), base.PROJECT, base.USER, 'a', 'a')])


class TestReservationStore(_Reserving):

    def test_reserved_capacity_is_taken_until_the_deadline(self):
        self.reserve(3, _in(60))
        self.assertEqual(3, self.used(self.node, 'VCPU'))
        self.assertRaises(exception.ClaimConflict, self.claim, 2)

    def test_expired_rows_are_free_before_any_sweep(self):
        uuid, _ = self.reserve(3, _in(-1))
        # The feed and the claim's condition both see them as free.
        self.assertEqual(0, self.used(self.node, 'VCPU'))
        self.claim(4)
        self.assertEqual([uuid], [r['uuid'] for r in
                                  self.db.list_reservations()])
        self.assertEqual([uuid], self.db.sweep_reservations())
        self.assertEqual(4, self.used(self.node, 'VCPU'))
        self.assertEqual([], self.db.list_reservations())
        self.assertEqual([], self.db.sweep_reservations())

    def test_consume_makes_the_slot_the_instance_claim(self):
        uuid, slots = self.reserve(2, _in(60))
        inst = _uuid()
        _seq, taken = self.db.consume_reservation(uuid, [inst], 'small')
        (slot, request), = taken
        self.assertEqual(slots[0]['consumer'], slot['consumer'])
        self.assertEqual({self.node: {'resources': {'VCPU': 1}}},
                         request['allocations'])
        self.assertEqual({'VCPU': 1}, self.db.get_allocations(inst)[
            'allocations'][self.node]['resources'])
        self.assertEqual({}, self.db.get_allocations(
            slots[0]['consumer'])['allocations'])
        held = self.db.get_reservation(uuid)
        self.assertEqual(1, held['held'])
        # Asked again, the instance gets the same slot back.
        _seq, again = self.db.consume_reservation(uuid, [inst], 'small')
        self.assertEqual(slot['consumer'], again[0][0]['consumer'])
        self.assertEqual(2, self.used(self.node, 'VCPU'))

    def test_consume_stores_the_instance_spec_with_the_claim(self):
        uuid, _ = self.reserve(1, _in(60))
        inst = _uuid()
        spec = {'versioned_object.name': 'RequestSpec',
                'versioned_object.data': {'instance_uuid': inst}}
        self.db.consume_reservation(uuid, [inst], 'small',
                                    specs={inst: spec})
        self.assertEqual(spec, self.db.get_request_spec(inst))

    def test_refused_consume_stores_no_spec(self):
        uuid, _ = self.reserve(1, _in(60))
        first, second = _uuid(), _uuid()
        self.assertRaises(exception.ReservationUnusable,
                          self.db.consume_reservation, uuid,
                          [first, second], 'small',
                          specs={first: '{}', second: '{}'})
        self.assertIsNone(self.db.get_request_spec(first))

    def test_consumed_slot_outlives_the_deadline(self):
        uuid, _ = self.reserve(2, _in(60))
        inst = _uuid()
        self.db.consume_reservation(uuid, [inst], 'small')
        self.db.release_reservation(uuid)
        self.assertEqual(1, self.used(self.node, 'VCPU'))
        self.assertEqual({'VCPU': 1}, self.db.get_allocations(inst)[
            'allocations'][self.node]['resources'])

    def test_consume_refusals_say_why(self):
        uuid, _ = self.reserve(1, _in(60))
        err = self.assertRaises(exception.ReservationUnusable,
                                self.db.consume_reservation, uuid,
                                [_uuid(), _uuid()], 'small')
        self.assertIn('2 instances ask for it, 1 of its 1 slots are left',
                      str(err))
        self.assertIsInstance(err, exception.NoValidHost)
        err = self.assertRaises(exception.ReservationUnusable,
                                self.db.consume_reservation, uuid,
                                [_uuid()], 'large')
        self.assertIn('holds flavor small', str(err))
        old, _ = self.reserve(1, _in(-1))
        err = self.assertRaises(exception.ReservationUnusable,
                                self.db.consume_reservation, old,
                                [_uuid()], 'small')
        self.assertIn('expired at', str(err))
        err = self.assertRaises(exception.ReservationUnusable,
                                self.db.consume_reservation, _uuid(),
                                [_uuid()], 'small')
        self.assertIn('not held', str(err))

    def test_release_frees_and_is_then_unknown(self):
        uuid, _ = self.reserve(2, _in(60))
        self.assertEqual(2, self.db.release_reservation(uuid))
        self.assertEqual(0, self.used(self.node, 'VCPU'))
        self.assertRaises(exception.ReservationNotFound,
                          self.db.release_reservation, uuid)

    def test_reservation_holds_its_group_members(self):
        g = _uuid()
        self.db.create_server_group(g, 'web', 'anti-affinity')
        group = {'uuid': g, 'policy': 'anti-affinity'}
        uuid, slots = self.reserve(1, _in(60), group=group)
        self.assertEqual([slots[0]['consumer']],
                         list(self.db.get_server_group(g)['members']))
        inst = _uuid()
        self.db.consume_reservation(uuid, [inst], 'small')
        self.assertEqual([inst],
                         list(self.db.get_server_group(g)['members']))

    def test_expired_inventories_and_next_deadline(self):
        self.assertIsNone(self.db.next_reservation_deadline())
        deadline = _in(60)
        self.reserve(1, deadline)
        self.assertEqual(deadline, self.db.next_reservation_deadline())
        self.assertEqual([], self.db.expired_reservation_inventories())
        self.reserve(2, _in(-1))
        freed = {(i['resource_class'], i['used'])
                 for i in self.db.expired_reservation_inventories()}
        self.assertIn(('VCPU', 1), freed)

    def test_expired_slot_holds_no_place_in_its_group(self):
        g = _uuid()
        self.db.create_server_group(g, 'web', 'anti-affinity')
        group = {'uuid': g, 'policy': 'anti-affinity'}
        self.reserve(1, _in(-1), group=group)
        self.assertEqual({}, self.db.get_server_group(g)['members'])
        inst = _uuid()
        self.db.claim_instances([(inst, base.alloc_req(self.node, VCPU=1),
                                  base.PROJECT, base.USER, 'a', 'a')],
                                group=group)
        self.assertEqual({inst: 'a'}, self.db.get_server_group(g)['members'])


class TestWorkerFreesAtTheDeadline(_Reserving):
    """A worker's HostState frees an expired reservation's rows at the
    deadline, though no row changed (no sweep runs here)."""

    def used_in_state(self, hm):
        state = hm.state
        return int(state.resource('VCPU').used[state.index[self.node]])

    def test_state_frees_the_rows_when_the_deadline_passes(self):
        import sqlalchemy as sa

        from gantt.db import models
        from gantt import host_manager
        hm = host_manager.HostManager(self.conf, self.db)
        hm.refresh()
        deadline = _in(60)
        self.reserve(3, deadline)
        hm.refresh()
        self.assertEqual(3, self.used_in_state(hm))
        self.assertEqual(deadline, hm.next_expiry)
        # The clock passes the deadline: moved back in the store (no
        # change stamp), and so seen by the worker.
        past = _in(-1)
        with self.db.writer() as session:
            for table in (models.Reservation.__table__,
                          models.Allocation.__table__):
                session.execute(sa.update(table)
                                .where(table.c.deadline.isnot(None))
                                .values(deadline=past))
        hm.next_expiry = past
        hm.refresh()
        self.assertEqual(0, self.used_in_state(hm))
        self.assertIsNone(hm.next_expiry)
