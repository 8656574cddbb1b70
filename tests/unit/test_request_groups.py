"""Reading a RequestSpec as request groups."""

import testtools

from gantt import exception
from gantt import objects
from tests.unit import trees


class TestFromSpec(testtools.TestCase):

    def test_flavor_only_is_root_only(self):
        groups = trees.groups()
        self.assertTrue(groups.is_root_only())
        self.assertEqual({'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1},
                         groups.unnumbered.resources)
        self.assertEqual([], groups.numbered)

    def test_numbered_and_named_groups_and_traits(self):
        groups = trees.groups(extra_specs={
            'resources1:VGPU': '1', 'trait1:CUSTOM_GPU_A100': 'required',
            'resources_NET:SRIOV_NET_VF': '2',
            'trait:HW_CPU_X86_SGX': 'forbidden', 'group_policy': 'isolate',
            'hw:cpu_policy': 'dedicated'})
        self.assertFalse(groups.is_root_only())
        self.assertEqual(['1', '_NET'], [g.suffix for g in groups.numbered])
        self.assertEqual({'VGPU': 1}, groups.numbered[0].resources)
        self.assertEqual({'CUSTOM_GPU_A100'}, groups.numbered[0].required)
        self.assertEqual({'HW_CPU_X86_SGX'}, groups.unnumbered.forbidden)
        self.assertEqual('isolate', groups.group_policy)

    def test_zero_overrides_drop_standard_resources(self):
        groups = trees.groups(extra_specs={
            'resources:CUSTOM_BAREMETAL_GOLD': '1', 'resources:VCPU': '0',
            'resources:MEMORY_MB': '0', 'resources:DISK_GB': '0'})
        self.assertEqual({'CUSTOM_BAREMETAL_GOLD': 1},
                         groups.unnumbered.resources)

    def test_image_traits_and_request_level_params(self):
        groups = trees.groups(image_traits=['HW_CPU_X86_AVX2'],
                              root_required=['COMPUTE_STATUS_DISABLED'],
                              root_forbidden=['CUSTOM_MAINTENANCE'])
        self.assertEqual({'HW_CPU_X86_AVX2'}, groups.unnumbered.required)
        self.assertEqual({'COMPUTE_STATUS_DISABLED'}, groups.root_required)
        self.assertEqual({'CUSTOM_MAINTENANCE'}, groups.root_forbidden)

    def test_requested_resources_use_requester_as_suffix(self):
        objects.register_all()
        port = objects.RequestGroup(
            requester_id='b8a1c6f2-port', resources={'SRIOV_NET_VF': 1},
            required_traits={'CUSTOM_PHYSNET_A'}, aggregates=[['a1', 'a2']])
        spread = objects.RequestGroup(use_same_provider=False,
                                      resources={'IPV4_ADDRESS': 1})
        groups = trees.groups(requested_resources=[port, spread])
        [group] = groups.numbered
        self.assertEqual('b8a1c6f2-port', group.suffix)
        self.assertEqual([frozenset({'a1', 'a2'})], group.member_of)
        self.assertEqual(1, groups.unnumbered.resources['IPV4_ADDRESS'])

    def test_rejections(self):
        self.assertRaises(exception.InvalidTrait, trees.groups,
                          extra_specs={'trait:NOT_A_TRAIT': 'required'})
        self.assertRaises(exception.InvalidResourceClass, trees.groups,
                          extra_specs={'resources1:GPUS': '1'})
        self.assertRaises(exception.InvalidResourceClass, trees.groups,
                          extra_specs={'resources:CUSTOM_bad': '1'})
        self.assertRaises(exception.InvalidRequest, trees.groups,
                          extra_specs={'trait:HW_CPU_X86_SGX': 'maybe'})
        self.assertRaises(exception.InvalidRequest, trees.groups,
                          extra_specs={'resources1:VGPU': '1',
                                       'group_policy': 'spread'})
        self.assertRaises(exception.InvalidRequest, trees.groups,
                          extra_specs={'resources1:VGPU': '1'},
                          same_subtree=[('1', '2')])
