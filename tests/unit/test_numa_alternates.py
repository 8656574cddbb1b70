"""Alternates carry the NUMA topology fitted for them, and claim_resources
claims it (pCPUs with the allocation, in one transaction) over a real
SQLite store."""

import json

import oslo_messaging

from gantt import manager
from gantt import numa_given
from gantt import objects
from tests.unit import test_numa_claims

uuid_of = test_numa_claims.uuid_of


class TestAlternatesClaimedWithTheirTopology(
        test_numa_claims.PinnedStoreTestCase):

    def setUp(self):
        super().setUp()
        # A second pinned node: the primary goes to one, the alternate is
        # the other.
        node = test_numa_claims.db_base.make_node(host='pinned-2', vcpus=16,
                                                  memory_mb=16384)
        node.numa = objects.NUMATopology(cells=[
            test_numa_claims.test_numa.cell(0, cpuset=(),
                                            pcpuset=(0, 1, 2, 3))])
        node.numa.cells[0].siblings = [[0], [1], [2], [3]]
        self.assertTrue(self.db.save_compute_node(node))
        self.sched = self.worker()
        self.manager = manager.SchedulerManager(self.conf, self.sched)
        [[self.primary, self.alternate]] = self.sched.select_destinations(
            self.ctxt, self.spec(), [uuid_of(1)], return_alternates=True)

    def refused(self, consumer, topology):
        """The InvalidRequest a claim of `topology` raises."""
        err = self.assertRaises(oslo_messaging.ExpectedException,
                                self.claim, consumer, topology)
        self.assertEqual('InvalidRequest', type(err.exc_info[1]).__name__)
        return str(err.exc_info[1])

    def claim(self, consumer, topology):
        return self.manager.claim_resources(
            self.ctxt, consumer, json.loads(self.alternate.allocation_request),
            'p1', 'u1', numa_topology=topology)

    def test_alternate_carries_the_topology_fitted_on_its_host(self):
        self.assertNotEqual(self.primary.service_host,
                            self.alternate.service_host)
        [cell] = self.alternate.numa_topology.cells
        self.assertEqual(0, cell.host_cell)
        self.assertEqual(2, len(cell.cpu_pinning))
        self.assertTrue(set(cell.cpu_pinning.values()) <= {0, 1, 2, 3})
        # Only the primary is claimed.
        self.assertEqual([uuid_of(1)], list(self.pinned()))

    def test_claiming_the_alternate_with_its_topology_pins_its_pcpus(self):
        self.assertTrue(self.claim(uuid_of(2), self.alternate.numa_topology))
        pinned = set(self.alternate.numa_topology.cells[0]
                     .cpu_pinning.values())
        self.assertEqual(pinned, self.pinned()[uuid_of(2)])
        self.assertIn(self.alternate.compute_node_uuid,
                      self.db.get_allocations(uuid_of(2))['allocations'])

    def test_a_second_claim_of_the_same_topology_claims_nothing(self):
        self.assertTrue(self.claim(uuid_of(2), self.alternate.numa_topology))
        self.assertFalse(self.claim(uuid_of(3), self.alternate.numa_topology))
        self.assertNotIn(uuid_of(3), self.pinned())
        self.assertEqual({}, self.db.get_allocations(uuid_of(3))
                         .get('allocations', {}))

    def test_a_claim_without_the_topology_pins_nothing(self):
        # What a caller older than 1.6 gets: the allocation alone.
        self.assertTrue(self.claim(uuid_of(2), None))
        self.assertNotIn(uuid_of(2), self.pinned())

    def test_refuses_pcpus_the_node_did_not_report(self):
        topology = self.alternate.numa_topology.obj_clone()
        topology.cells[0].cpu_pinning = {'0': 9, '1': 1}
        self.assertIn('pCPUs [9]', self.refused(uuid_of(2), topology))
        self.assertNotIn(uuid_of(2), self.pinned())

    def test_refuses_a_host_cell_the_node_did_not_report(self):
        topology = self.alternate.numa_topology.obj_clone()
        topology.cells[0].host_cell = 4
        self.assertIn('host cell 4', self.refused(uuid_of(2), topology))

    def test_refuses_a_topology_that_is_not_an_object(self):
        self.assertIn('numa_topology must be an InstanceNUMATopology',
                      self.refused(uuid_of(2), {'cells': []}))


class TestFittedFromTheObject(test_numa_claims.PinnedStoreTestCase):

    def test_reads_back_what_the_selection_was_made_from(self):
        sched = self.worker()
        [[sel]] = sched.select_destinations(self.ctxt, self.spec(),
                                            [uuid_of(1)])
        fitted = numa_given.fitted(sel.numa_topology)
        [cell] = fitted.cells
        self.assertEqual({0: 0, 1: 1}, cell.pinning)
        self.assertEqual(0, cell.host_id)
        self.assertEqual(1024, cell.memory)
        self.assertEqual((), fitted.pci)
