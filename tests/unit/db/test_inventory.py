"""Inventory records: from reports, from operators, and their capacity."""

import testtools

from gantt.db import inventory
from gantt import exception
from tests.unit.db import base


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
