"""Releasing a claim gives back everything it holds, whichever path
releases it: deleting allocations, releasing a reservation slot, the
audit fixing an orphan."""

import datetime
import uuid as uuid_lib

from gantt.db import claim_release
from gantt.db import numa_claim
from gantt.db import timestamps
from tests.unit.db import base
from tests.unit.db import test_numa_claim


def _uuid():
    return str(uuid_lib.uuid4())


GROUP = {'uuid': '22222222-2222-4222-8222-222222222222', 'name': 'web',
         'policy': 'anti-affinity', 'rules': {}, 'members': [],
         'project_id': base.PROJECT, 'user_id': base.USER}


class TestClaimRelease(base.StoreTestCase):

    def setUp(self):
        super().setUp()
        self.node = self.add_node(host='a', vcpus=4).uuid

    def claim(self, consumer, deadline=None):
        """A claim of 1 vCPU joining GROUP, with a pinned pCPU."""
        reservation = None
        if deadline is not None:
            reservation = {'uuid': _uuid(), 'project_id': base.PROJECT,
                           'user_id': base.USER, 'flavor': 'small',
                           'deadline': deadline,
                           'slots': [{'consumer': consumer, 'host': 'a',
                                      'node': 'a', 'node_uuid': self.node}]}
        self.db.claim_instances(
            [(consumer, base.alloc_req(self.node, VCPU=1), base.PROJECT,
              base.USER, 'a', 'a')], group=GROUP, reservation=reservation)
        with self.db.claim_writer() as (conn, seq):
            numa_claim.claim(conn, seq, consumer, self.node,
                             test_numa_claim.fitted([1]), {})
        return reservation and reservation['uuid']

    def holds(self, consumer):
        """(vCPUs used on the node, in the group, NUMA claim rows)."""
        with self.db.claim_writer() as (conn, _seq):
            pinned = numa_claim.held(conn, self.node)['pcpu']
        return (self.used(self.node, 'VCPU'),
                consumer in self.db.get_server_group(GROUP['uuid'])[
                    'members'],
                bool(pinned))

    def test_release_gives_back_allocations_group_and_numa(self):
        consumer = _uuid()
        self.claim(consumer)
        self.assertEqual((1, True, True), self.holds(consumer))
        with self.db.claim_writer() as (conn, seq):
            released = claim_release.release(conn, seq, consumer)
        self.assertEqual((True, 1), tuple(released))
        self.assertEqual((0, False, False), self.holds(consumer))
        with self.db.claim_writer() as (conn, seq):
            again = claim_release.release(conn, seq, consumer)
        self.assertEqual((False, 0), tuple(again))

    def test_every_release_path_gives_back_the_same(self):
        deleted, slot = _uuid(), _uuid()
        self.claim(deleted)
        self.db.delete_allocations(deleted)
        self.assertEqual((0, False, False), self.holds(deleted))
        later = timestamps.utcnow() + datetime.timedelta(seconds=60)
        reservation = self.claim(slot, deadline=later)
        self.db.release_reservation(reservation)
        self.assertEqual((0, False, False), self.holds(slot))

    def test_audit_fix_releases_an_orphan_numa_claims_too(self):
        orphan = _uuid()
        self.claim(orphan)
        self.db.delete_instance('a', orphan)
        fixed = self.db.audit_allocations(-1, fix=True)
        self.assertEqual([orphan], [o['consumer_uuid'] for o in fixed])
        self.assertEqual((0, False, False), self.holds(orphan))
