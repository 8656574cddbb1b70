"""ComputeNode.provider_tree: validation and backport to 1.0."""

import testtools

from gantt import exception
from gantt import objects

ROOT = '11111111-1111-4111-8111-111111111111'
NUMA0 = '22222222-2222-4222-8222-222222222222'
GPU0 = '33333333-3333-4333-8333-333333333333'
OTHER = '44444444-4444-4444-8444-444444444444'


def _rp(uuid, parent=None, inventories=(), traits=()):
    objects.register_all()
    return objects.ResourceProvider(
        uuid=uuid, name=uuid[:4], parent_provider_uuid=parent,
        inventories=[objects.Inventory(resource_class=rc, total=total)
                     for rc, total in inventories],
        traits=list(traits), aggregates=[])


def _node(tree):
    objects.register_all()
    return objects.ComputeNode(
        uuid=ROOT, host='h1', hypervisor_hostname='h1',
        resources=objects.ComputeResources(vcpus=8, memory_mb=1024,
                                           local_gb=10),
        provider_tree=tree)


GOOD = [_rp(ROOT, traits=['HW_CPU_X86_AVX2']),
        _rp(NUMA0, ROOT, [('PCPU', 8)]),
        _rp(GPU0, NUMA0, [('VGPU', 4)], ['CUSTOM_GPU_A100'])]


class TestProviderTree(testtools.TestCase):

    def test_a_good_tree_validates(self):
        _node(GOOD).validate()

    def _rejects(self, tree, text):
        e = self.assertRaises(exception.InvalidReport, _node(tree).validate)
        self.assertIn(text, str(e))

    def test_rejects_two_roots(self):
        self._rejects([_rp(ROOT), _rp(NUMA0)], '2 roots')

    def test_rejects_an_orphan_parent(self):
        self._rejects([_rp(ROOT), _rp(NUMA0, OTHER)], 'not in the tree')

    def test_rejects_a_cycle(self):
        self._rejects([_rp(ROOT), _rp(NUMA0, GPU0), _rp(GPU0, NUMA0)],
                      'cycle')

    def test_rejects_a_root_that_is_not_the_node(self):
        self._rejects([_rp(OTHER)], 'is not the node')

    def test_rejects_an_unknown_resource_class(self):
        self._rejects([_rp(ROOT), _rp(NUMA0, ROOT, [('GPUS', 1)])], 'GPUS')

    def test_rejects_a_bad_trait(self):
        self._rejects([_rp(ROOT, traits=['FAST'])], 'FAST')

    def test_rejects_reserved_above_total(self):
        rp = _rp(ROOT)
        rp.inventories = [objects.Inventory(resource_class='VGPU', total=1,
                                            reserved=2)]
        self._rejects([rp], 'reserved')

    def test_backport_to_1_0_drops_the_tree(self):
        primitive = _node(GOOD).obj_to_primitive(target_version='1.0')
        self.assertNotIn('provider_tree', primitive['versioned_object.data'])
        self.assertEqual('1.0', primitive['versioned_object.version'])
        full = _node(GOOD).obj_to_primitive()
        self.assertEqual(3, len(full['versioned_object.data'][
            'provider_tree']))
