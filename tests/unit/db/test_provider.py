"""Provider trees and sharing providers in the store."""

import threading
import uuid as uuid_lib

from gantt import exception
from gantt import objects
from tests.unit.db import base

GPU = 'CUSTOM_GPU_A100'


def _uuid():
    return str(uuid_lib.uuid4())


def tree_node(numa=None, gpu=None, vgpus=4, root_traits=(), **kwargs):
    """A report whose tree has a NUMA child and a GPU child under it."""
    objects.register_all()
    node = base.make_node(**kwargs)
    numa, gpu = numa or _uuid(), gpu or _uuid()
    node.provider_tree = [
        objects.ResourceProvider(uuid=node.uuid, traits=list(root_traits),
                                 aggregates=['agg-r'], inventories=[
                                     objects.Inventory(
                                         resource_class='CUSTOM_LICENSE',
                                         total=2)]),
        objects.ResourceProvider(
            uuid=numa, name='numa0', parent_provider_uuid=node.uuid,
            inventories=[objects.Inventory(resource_class='PCPU',
                                           total=8)]),
        objects.ResourceProvider(
            uuid=gpu, name='gpu0', parent_provider_uuid=numa, traits=[GPU],
            inventories=[objects.Inventory(resource_class='VGPU',
                                           total=vgpus)]),
    ]
    return node


class TestTreeReports(base.StoreTestCase):

    def test_tree_reaches_the_change_feed(self):
        node = tree_node(root_traits=['HW_CPU_X86_AVX2'])
        self.assertTrue(self.db.save_compute_node(node))
        changes = self.db.get_changes(0)
        by_uuid = {p['uuid']: p for p in changes.providers}
        root, numa, gpu = (by_uuid[rp.uuid] for rp in node.provider_tree)
        self.assertEqual(['HW_CPU_X86_AVX2'], root['traits'])
        self.assertEqual(['agg-r'], root['aggregates'])
        self.assertEqual(2, root['inventories']['CUSTOM_LICENSE']['total'])
        self.assertEqual(node.uuid, gpu['root_provider_uuid'])
        self.assertEqual(numa['uuid'], gpu['parent_provider_uuid'])
        self.assertEqual([GPU], gpu['traits'])
        self.assertEqual(4, gpu['inventories']['VGPU']['capacity'])
        # Nothing changed since: no tree in the next feed.
        later = self.db.get_changes(changes.seq)
        self.assertEqual([], later.providers)

    def test_trait_change_resends_the_tree(self):
        node = tree_node()
        self.db.save_compute_node(node)
        seq = self.db.current_seq()
        node.report_seq = 2
        node.provider_tree[2].traits = []
        self.db.save_compute_node(node)
        changes = self.db.get_changes(seq)
        gpu = [p for p in changes.providers
               if p['uuid'] == node.provider_tree[2].uuid]
        self.assertEqual([[]], [p['traits'] for p in gpu])

    def test_shrinking_below_allocations_keeps_the_previous_report(self):
        node = tree_node(vgpus=4)
        self.db.save_compute_node(node)
        gpu = node.provider_tree[2].uuid
        self.db.claim(_uuid(), base.alloc_req(gpu, VGPU=3),
                      base.PROJECT, base.USER)
        shrunk = tree_node(uuid=node.uuid, numa=node.provider_tree[1].uuid,
                           gpu=gpu, vgpus=2, report_seq=2)
        self.assertRaises(exception.InvalidInventory,
                          self.db.save_compute_node, shrunk)
        self.assertEqual(4, self.inventory(gpu, 'VGPU')['total'])
        self.assertEqual(3, self.used(gpu, 'VGPU'))
        # The refused report did not advance the node either.
        newer = tree_node(uuid=node.uuid, numa=node.provider_tree[1].uuid,
                          gpu=gpu, vgpus=8, report_seq=2)
        self.assertTrue(self.db.save_compute_node(newer))
        self.assertEqual(8, self.inventory(gpu, 'VGPU')['total'])

    def test_custom_resource_classes_are_recorded(self):
        self.db.save_compute_node(tree_node())
        self.assertEqual(1, self.count('resource_classes'))


class TestSharingProviders(base.StoreTestCase):

    def make_sharing(self, disk=100):
        uuid = _uuid()
        self.db.create_provider(uuid, 'nfs')
        self.db.set_provider_inventory(uuid,
                                       {'DISK_GB': {'total': disk}})
        self.db.set_provider_traits(uuid,
                                    ['MISC_SHARES_VIA_AGGREGATE'])
        self.db.set_provider_aggregates(uuid, ['agg1'])
        return uuid

    def test_create_show_list_delete(self):
        uuid = self.make_sharing()
        shown = self.db.get_provider(uuid)
        self.assertEqual(['MISC_SHARES_VIA_AGGREGATE'], shown['traits'])
        self.assertEqual(['agg1'], shown['aggregates'])
        self.assertEqual(100, shown['inventories']['DISK_GB']['capacity'])
        self.add_node()
        self.assertEqual([uuid], [p['uuid'] for p in
                                  self.db.list_sharing_providers()])
        seq = self.db.current_seq()
        self.assertTrue(self.db.delete_provider(uuid))
        self.assertEqual([uuid], self.db.get_changes(
            seq).removed_providers)
        self.assertRaises(exception.ResourceProviderNotFound,
                          self.db.get_provider, uuid)

    def test_delete_refused_while_allocated(self):
        uuid = self.make_sharing()
        self.db.claim(_uuid(), base.alloc_req(uuid, DISK_GB=10),
                      base.PROJECT, base.USER)
        self.assertRaises(exception.InvalidInventory,
                          self.db.delete_provider, uuid)

    def test_rejects_bad_names(self):
        uuid = self.make_sharing()
        self.assertRaises(exception.InvalidTrait,
                          self.db.set_provider_traits, uuid,
                          ['NOT_A_TRAIT'])
        self.assertRaises(exception.InvalidResourceClass,
                          self.db.set_provider_inventory, uuid,
                          {'DISKS': {'total': 1}})


class TestNestedAndSharedClaimsUnderThreads(base.StoreTestCase):
    """Claims spanning root, child and sharing providers never over-commit
    and are all-or-nothing, whatever the interleaving."""

    def test_threads_never_overcommit(self):
        node = tree_node(vgpus=6, vcpus=100, memory_mb=100000)
        self.db.save_compute_node(node)
        gpu = node.provider_tree[2].uuid
        nfs = _uuid()
        self.db.create_provider(nfs, 'nfs')
        self.db.set_provider_inventory(nfs,
                                       {'DISK_GB': {'total': 50}})
        request = {'allocations': {
            node.uuid: {'resources': {'VCPU': 1}},
            gpu: {'resources': {'VGPU': 1}},
            nfs: {'resources': {'DISK_GB': 10}}}}
        won, lost, errors = [], [], []

        def worker():
            for _ in range(3):
                consumer = _uuid()
                try:
                    self.db.claim(consumer, request,
                                  base.PROJECT, base.USER)
                    won.append(consumer)
                except exception.ClaimConflict:
                    lost.append(consumer)
                except Exception as e:  # reported below
                    errors.append(e)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([], errors)
        # DISK_GB 50 / 10 = 5 claims fit before the VGPU (6) runs out.
        self.assertEqual(5, len(won))
        self.assertEqual(19, len(lost))
        self.assertEqual(5, self.used(node.uuid, 'VCPU'))
        self.assertEqual(5, self.used(gpu, 'VGPU'))
        self.assertEqual(50, self.used(nfs, 'DISK_GB'))
        self.assertEqual([], self.db.overcommitted_providers())
