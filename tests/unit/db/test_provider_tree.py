"""A report's provider tree: child providers, their inventories, retiring."""

import uuid as uuid_lib

from gantt import exception
from gantt import host_manager
from gantt.objects import resource_provider
from tests.unit.db import base


def tree(node, children, root_classes=('CUSTOM_LICENSE',)):
    """The node's provider tree: its root, with 2 of each of
    ``root_classes``, plus ``children`` {uuid: {rc: n}}.
    """
    rps = [resource_provider.ResourceProvider(
        uuid=node.uuid, name=node.hypervisor_hostname,
        parent_provider_uuid=None, inventories=[
            resource_provider.Inventory(resource_class=rc, total=2)
            for rc in root_classes])]
    for uuid, inventories in children.items():
        rps.append(resource_provider.ResourceProvider(
            uuid=uuid, name='gpu-%s' % uuid[:4],
            parent_provider_uuid=node.uuid, inventories=[
                resource_provider.Inventory(resource_class=rc, total=n,
                                            max_unit=1)
                for rc, n in inventories.items()]))
    return rps


class TestProviderTree(base.StoreTestCase):

    def setUp(self):
        super().setUp()
        self.gpu = str(uuid_lib.uuid4())
        self.node = base.make_node(report_seq=1)
        self.node.provider_tree = tree(self.node, {self.gpu: {'VGPU': 2}})
        self.assertTrue(self.db.save_compute_node(self.node))

    def report(self, children):
        self.node.report_seq += 1
        self.node.provider_tree = tree(self.node, children)
        return self.db.save_compute_node(self.node)

    def test_children_and_extra_root_classes_reach_the_feed(self):
        inventories = {(i['provider_uuid'], i['resource_class']): i
                       for i in self.db.get_changes(0).inventories}
        self.assertEqual(
            {(self.node.uuid, 'VCPU'), (self.node.uuid, 'MEMORY_MB'),
             (self.node.uuid, 'DISK_GB'), (self.node.uuid, 'CUSTOM_LICENSE'),
             (self.gpu, 'VGPU')}, set(inventories))
        vgpu = inventories[(self.gpu, 'VGPU')]
        self.assertEqual((self.node.uuid, 2, 1, 2),
                         (vgpu['root_provider_uuid'], vgpu['total'],
                          vgpu['max_unit'], vgpu['capacity']))

    def test_claim_on_a_child_provider(self):
        consumer = str(uuid_lib.uuid4())
        request = {'allocations': {
            self.node.uuid: {'resources': {'VCPU': 1}},
            self.gpu: {'resources': {'VGPU': 1}}}}
        self.db.claim(consumer, request, base.PROJECT, base.USER)
        self.assertEqual(1, self.used(self.gpu, 'VGPU'))
        self.assertRaises(exception.InvalidClaim, self.db.claim,
                          str(uuid_lib.uuid4()),
                          base.alloc_req(self.gpu, VGPU=2), base.PROJECT,
                          base.USER)   # above max_unit 1

    def test_dropped_child_offers_nothing_once_released(self):
        consumer = str(uuid_lib.uuid4())
        self.db.claim(consumer, base.alloc_req(self.gpu, VGPU=1),
                      base.PROJECT, base.USER)
        err = self.assertRaises(exception.InvalidInventory, self.report, {})
        self.assertIn(self.gpu, str(err))
        self.assertEqual(2, self.inventory(self.gpu, 'VGPU')['total'])
        self.db.delete_allocations(consumer)
        seq = self.db.current_seq()
        self.assertTrue(self.report({}))
        [retired] = [i for i in self.db.get_changes(seq).inventories
                     if i['provider_uuid'] == self.gpu]
        self.assertEqual((0, 0), (retired['total'], retired['capacity']))

    def test_a_root_class_no_longer_reported_leaves_the_host(self):
        hosts = host_manager.HostManager(self.conf, self.db)
        state = hosts.snapshot()
        row = state.index[self.node.uuid]
        self.assertEqual(2, state.res['CUSTOM_LICENSE'].free()[row])
        self.node.report_seq += 1
        self.node.provider_tree = tree(self.node, {self.gpu: {'VGPU': 2}},
                                       root_classes=())
        self.assertTrue(self.db.save_compute_node(self.node))
        state = hosts.snapshot()
        self.assertEqual(0, state.res['CUSTOM_LICENSE'].free()[row])
        self.assertEqual(8, state.res['VCPU'].free()[row])
