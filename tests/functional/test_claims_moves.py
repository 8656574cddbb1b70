"""Releases and moves through the scheduler API, as a conductor uses them.

Deleting an instance's allocations frees the room for the next request
(and deleting again is harmless); a migration moves the instance's source
allocation to a migration consumer, so the source stays held while the
instance claims its destination, until the move is confirmed (the
migration's allocation is dropped) or reverted (given back to the
instance). On SQLite and on PostgreSQL, with two workers.
"""

import uuid

from gantt import exception
from tests.functional import claims_base

FLAVOR = claims_base.flavor_resources(vcpus=2, memory_mb=2048, root_gb=20)
# Room for exactly one instance of FLAVOR.
ONE = dict(vcpus=3, memory_mb=3072, local_gb=30)


class TestReleaseAndMove(claims_base.ClaimsTestCase):

    def _select(self, instance=None, **spec):
        instance = instance or str(uuid.uuid4())
        result = self.scheduler.select_destinations(
            self.ctxt, self.spec(**spec), [instance])
        return instance, result[0][0]

    def _no_room(self):
        self.assertRaises(exception.NoValidHost, self._select)

    def test_release_frees_capacity_for_the_next_request(self):
        rps = self.save_nodes([claims_base.node('compute-a', **ONE)])
        first, sel = self._select()
        self.assert_holds(first, rps['compute-a'], FLAVOR)
        self._no_room()

        self.assertTrue(self.scheduler.delete_allocations(self.ctxt, first))
        self.assertFalse(self.scheduler.delete_allocations(self.ctxt, first))
        self.assert_holds_nothing(first)
        second, sel = self._select()
        self.assertEqual('compute-a', sel.service_host)
        self.assert_holds(second, rps['compute-a'], FLAVOR)
        self._no_room()
        self.assert_books_balance()

    def test_claim_resources_refuses_a_full_host(self):
        rps = self.save_nodes([claims_base.node('compute-a', **ONE)])
        first, sel = self._select()
        # A conductor retrying on the alternate it was given, too late.
        other = str(uuid.uuid4())
        self.assertFalse(self.scheduler.claim_resources(
            self.ctxt, other, sel.allocation_request, claims_base.PROJECT,
            claims_base.USER))
        self.assert_holds_nothing(other)
        self.scheduler.delete_allocations(self.ctxt, first)
        self.assertTrue(self.scheduler.claim_resources(
            self.ctxt, other, sel.allocation_request, claims_base.PROJECT,
            claims_base.USER))
        self.assert_holds(other, rps['compute-a'], FLAVOR)
        self.assert_books_balance()

    def _migrate(self):
        """An instance on one of two one-place hosts, migrated to the
        other: (instance, migration, source rp, destination rp)."""
        rps = self.save_nodes([claims_base.node(h, **ONE)
                               for h in ('compute-a', 'compute-b')])
        instance, sel = self._select()
        source = sel.service_host
        migration = str(uuid.uuid4())
        self.assertTrue(self.scheduler.move_allocations(
            self.ctxt, instance, migration))
        self.assert_holds(migration, rps[source], FLAVOR)
        self.assert_holds_nothing(instance)
        # The source is still held (by the migration): the instance can
        # only go to the other host, and nothing else fits anywhere.
        _, dest = self._select(instance)
        self.assertNotEqual(source, dest.service_host)
        self.assert_holds(instance, rps[dest.service_host], FLAVOR)
        self.assert_holds(migration, rps[source], FLAVOR)
        self._no_room()
        self.assert_books_balance()
        return instance, migration, rps[source], rps[dest.service_host]

    def test_confirmed_move_frees_the_source(self):
        instance, migration, source, dest = self._migrate()
        self.assertTrue(self.scheduler.delete_allocations(self.ctxt,
                                                          migration))
        self.assert_holds(instance, dest, FLAVOR)
        other, sel = self._select()
        self.assertEqual(source, sel.compute_node_uuid)
        self._no_room()
        self.assert_books_balance()

    def test_reverted_move_gives_the_source_back(self):
        instance, migration, source, dest = self._migrate()
        self.assertTrue(self.scheduler.delete_allocations(self.ctxt,
                                                          instance))
        self.assertTrue(self.scheduler.move_allocations(
            self.ctxt, migration, instance))
        self.assertFalse(self.scheduler.move_allocations(
            self.ctxt, migration, instance))
        self.assert_holds(instance, source, FLAVOR)
        self.assert_holds_nothing(migration)
        other, sel = self._select()
        self.assertEqual(dest, sel.compute_node_uuid)
        self.assert_books_balance()
