"""NUMA claims on the embedded SQLite store: a pCPU, device or huge page
is never given twice, release and move follow the consumer."""

from gantt.db import numa_claim
from gantt import exception
from gantt import numa_fit
from tests.unit.db import base

NODE = '11111111-1111-4111-8111-111111111111'


def fitted(pins, reserved=(), pagesize=None, memory=2048, devices=(),
           cell=0):
    return numa_fit.Fitted(
        (numa_fit.FittedCell(0, cell, dict(enumerate(pins)),
                             frozenset(reserved), pagesize, memory),),
        (list(devices),) if devices else ())


class TestNumaClaims(base.StoreTestCase):

    def claim(self, consumer, placement, page_limits=None):
        with self.db.claim_writer() as (conn, seq):
            numa_claim.claim(conn, seq, consumer, NODE, placement,
                             page_limits or {})

    def held(self):
        with self.db.claim_writer() as (conn, seq):
            return numa_claim.held(conn, NODE)

    def test_pins_devices_and_pages_are_recorded(self):
        self.claim('c1', fitted([2, 3], reserved=[4], pagesize=2048,
                                devices=['0000:81:00.1']),
                   {(0, 2048): 1024})
        got = self.held()
        self.assertEqual({0: {2, 3, 4}}, got['pcpu'])
        self.assertEqual({'0000:81:00.1'}, got['pci'])
        self.assertEqual({(0, 2048): 1024}, got['pages'])

    def test_a_pcpu_is_never_claimed_twice(self):
        self.claim('c1', fitted([2, 3]))
        err = self.assertRaises(exception.ClaimConflict, self.claim, 'c2',
                                fitted([3, 5]))
        self.assertIn('pcpu 3', str(err))
        self.assertEqual({0: {2, 3}}, self.held()['pcpu'])

    def test_a_device_is_never_claimed_twice(self):
        self.claim('c1', fitted([], devices=['0000:81:00.1']))
        err = self.assertRaises(exception.ClaimConflict, self.claim, 'c2',
                                fitted([], devices=['0000:81:00.1']))
        self.assertIn('pci 0000:81:00.1', str(err))

    def test_pages_stay_within_what_the_pool_has_free(self):
        free = {(0, 2048): 1536}
        self.claim('c1', fitted([], pagesize=2048, memory=2048), free)
        err = self.assertRaises(exception.ClaimConflict, self.claim, 'c2',
                                fitted([], pagesize=2048, memory=2048), free)
        self.assertIn('2048 KiB pages of NUMA cell 0', str(err))
        self.claim('c3', fitted([], pagesize=2048, memory=1024), free)
        self.assertEqual({(0, 2048): 1536}, self.held()['pages'])

    def test_a_refused_claim_leaves_nothing_behind(self):
        self.claim('c1', fitted([], pagesize=2048, memory=2048),
                   {(0, 2048): 1024})
        self.assertRaises(exception.ClaimConflict, self.claim, 'c2',
                          fitted([7], pagesize=2048, memory=2048),
                          {(0, 2048): 1024})
        self.assertEqual({}, self.held()['pcpu'])

    def test_a_retried_claim_replaces_its_own_rows(self):
        self.claim('c1', fitted([2, 3]))
        self.claim('c1', fitted([2, 3]))
        self.assertEqual({0: {2, 3}}, self.held()['pcpu'])

    def test_release_frees_and_move_hands_over(self):
        self.claim('c1', fitted([2]))
        with self.db.claim_writer() as (conn, seq):
            self.assertEqual(1, numa_claim.move(conn, seq, 'c1', 'm1'))
            self.assertEqual(0, numa_claim.release(conn, seq, 'c1'))
            self.assertEqual(1, numa_claim.release(conn, seq, 'm1'))
        self.claim('c2', fitted([2]))


class TestNumaClaimFeed(base.StoreTestCase):
    """The change feed reads a node's NUMA claims again only where they
    may have changed for the reader."""

    def setUp(self):
        super().setUp()
        self.node = self.add_node(uuid=NODE, vcpus=8)

    def claim(self, consumer, pins):
        self.db.claim_instances([(consumer, base.alloc_req(NODE, VCPU=1),
                                  'p', 'u', 'host1', 'host1',
                                  (NODE, fitted(pins), {}))])

    def test_release_of_held_claims_shows_the_node_emptied(self):
        self.claim('c1', [2])
        since = self.db.current_seq()
        self.db.delete_allocations('c1')
        changes = self.db.get_changes(since, numa_holding={NODE})
        self.assertEqual({}, changes.numa_claims[NODE]['pcpu'])

    def test_node_the_reader_holds_nothing_on_is_not_read_again(self):
        self.claim('c1', [2])
        since = self.db.current_seq()
        self.db.delete_allocations('c1')
        changes = self.db.get_changes(since, numa_holding=set())
        self.assertEqual({}, changes.numa_claims)
        self.assertTrue(changes.inventories)

    def test_new_claim_is_read_whatever_the_reader_holds(self):
        since = self.db.current_seq()
        self.claim('c1', [3])
        changes = self.db.get_changes(since, numa_holding=set())
        self.assertEqual({0: {3}}, changes.numa_claims[NODE]['pcpu'])
