"""Inventory records: from reports, from operators, and their capacity."""

import testtools

from gantt.db import inventory
from gantt import exception
from gantt import objects
from tests.unit.db import base
from tests.unit.db import test_provider
from tests.unit.objects import test_numa


class TestInventoryRecords(testtools.TestCase):

    def test_report_resources_become_root_inventories(self):
        node = base.make_node(vcpus=8, reserved_vcpus=2,
                              cpu_allocation_ratio=0.57, memory_mb=1000,
                              local_gb=10)
        invs = inventory.inventories_from(node)
        self.assertEqual({'VCPU', 'MEMORY_MB', 'DISK_GB'}, set(invs))
        self.assertEqual(
            {'total': 8, 'reserved': 2, 'min_unit': 1, 'max_unit': 8,
             'step_size': 1, 'allocation_ratio': 0.57, 'capacity': 3},
            invs['VCPU'])

    def test_dedicated_cpus_of_the_numa_cells_become_pcpu(self):
        node = base.make_node(vcpus=4, cpu_allocation_ratio=4.0)
        node.numa = objects.NUMATopology(cells=[
            test_numa.cell(0, cpuset=(0, 1), pcpuset=(2, 3)),
            test_numa.cell(1, cpuset=(4, 5), pcpuset=(6, 7, 8))])
        invs = inventory.inventories_from(node)
        self.assertEqual(
            {'total': 5, 'reserved': 0, 'min_unit': 1, 'max_unit': 5,
             'step_size': 1, 'allocation_ratio': 1.0, 'capacity': 5},
            invs['PCPU'])
        self.assertEqual(16, invs['VCPU']['capacity'])

    def test_no_dedicated_cpus_no_pcpu(self):
        node = base.make_node()
        node.numa = objects.NUMATopology(cells=[
            test_numa.cell(0, cpuset=(0, 1), pcpuset=())])
        self.assertNotIn('PCPU', inventory.inventories_from(node))

    def test_partial_record_gets_defaults_and_capacity(self):
        self.assertEqual(
            {'total': 100, 'reserved': 0, 'min_unit': 1, 'max_unit': 100,
             'step_size': 1, 'allocation_ratio': 0.29, 'capacity': 29},
            inventory.inventory_record({'total': 100,
                                        'allocation_ratio': 0.29}))

    def test_capacity_is_never_negative(self):
        record = inventory.inventory_record({'total': 2, 'reserved': 5})
        self.assertEqual(0, record['capacity'])


class TestSetInventories(base.StoreTestCase):

    def test_shrink_below_allocated_is_refused_naming_the_class(self):
        node = self.add_node(vcpus=4)
        self.db.claim('c1', base.alloc_req(node.uuid, VCPU=3),
                      base.PROJECT, base.USER)
        err = self.assertRaises(
            exception.InvalidInventory, self.db.set_provider_inventory,
            node.uuid, {'VCPU': {'total': 2}})
        self.assertIn('VCPU capacity 2', str(err))
        self.assertEqual(4, self.inventory(node.uuid, 'VCPU')['total'])

    def test_reported_numa_node_offers_pcpu_on_its_root(self):
        node = base.make_node()
        node.numa = objects.NUMATopology(cells=[
            test_numa.cell(0, cpuset=(0, 1), pcpuset=(2, 3))])
        self.assertTrue(self.db.save_compute_node(node))
        self.assertEqual(2, self.inventory(node.uuid, 'PCPU')['capacity'])

    def test_pcpu_of_numa_children_is_not_offered_again_by_the_root(self):
        node = test_provider.tree_node()
        node.numa = objects.NUMATopology(cells=[
            test_numa.cell(0, cpuset=(0, 1), pcpuset=(2, 3))])
        self.assertTrue(self.db.save_compute_node(node))
        self.assertIsNone(self.inventory(node.uuid, 'PCPU'))
        self.assertEqual(8, self.inventory(node.provider_tree[1].uuid,
                                           'PCPU')['total'])
