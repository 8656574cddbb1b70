"""Traits beyond the compute controller's flavors: any-of required traits,
aggregates per request group, and soft (preferred/avoided) traits."""

import numpy as np
import testtools

from gantt import candidates
from gantt import exception
from gantt import objects
from tests.unit import trees


def _host(name, vcpus=16, ram=32768, disk=500):
    return dict(name=name, vcpus=vcpus, ram=ram, disk=disk)


def _rows(hosts, mask):
    return sorted(hosts.hosts[r] for r in np.flatnonzero(mask))


def _placeable(hosts, **spec_kw):
    """Hosts the mask keeps that also have a candidate."""
    finder = candidates.Finder(hosts, trees.groups(**spec_kw))
    return [name for name in _rows(hosts, finder.mask())
            if finder.for_row(hosts.index['uuid-' + name])]


class TestParsing(testtools.TestCase):

    def test_required_in_is_one_any_of_entry(self):
        groups = trees.groups(extra_specs={
            'required': 'in:HW_CPU_X86_AVX2,HW_CPU_X86_AVX512F'})
        self.assertEqual([frozenset({'HW_CPU_X86_AVX2',
                                     'HW_CPU_X86_AVX512F'})],
                         groups.unnumbered.required_any)
        self.assertFalse(groups.is_root_only())

    def test_required_list_requires_and_forbids(self):
        groups = trees.groups(extra_specs={
            'resources1:VGPU': '1', 'required1': 'CUSTOM_A,!CUSTOM_B'})
        [group] = groups.numbered
        self.assertEqual({'CUSTOM_A'}, group.required)
        self.assertEqual({'CUSTOM_B'}, group.forbidden)

    def test_member_of_forms(self):
        groups = trees.groups(extra_specs={
            'resources1:VGPU': '1', 'member_of1': 'in:agg1,agg2',
            'member_of': '!in:agg3,agg4'})
        self.assertEqual([frozenset({'agg1', 'agg2'})],
                         groups.numbered[0].member_of)
        self.assertEqual({'agg3', 'agg4'}, groups.unnumbered.forbidden_aggs)
        groups = trees.groups(extra_specs={'member_of_X': '!agg5',
                                           'resources_X:VGPU': '1'})
        self.assertEqual({'agg5'}, groups.numbered[0].forbidden_aggs)

    def test_request_group_in_entries_are_any_of(self):
        objects.register_all()
        rg = objects.RequestGroup(
            requester_id='port1', resources={'SRIOV_NET_VF': 1},
            required_traits={'in:CUSTOM_PHYSNET_A,CUSTOM_PHYSNET_B',
                             'CUSTOM_VNIC_DIRECT'})
        [group] = trees.groups(requested_resources=[rg]).numbered
        self.assertEqual({'CUSTOM_VNIC_DIRECT'}, group.required)
        self.assertEqual([frozenset({'CUSTOM_PHYSNET_A',
                                     'CUSTOM_PHYSNET_B'})],
                         group.required_any)

    def test_soft_traits(self):
        groups = trees.groups(extra_specs={
            'trait:CUSTOM_SSD': 'preferred',
            'trait:CUSTOM_NOISY': 'avoided'})
        self.assertEqual({'CUSTOM_SSD'}, groups.preferred)
        self.assertEqual({'CUSTOM_NOISY'}, groups.avoided)
        # Soft traits never remove a host: the request stays plain.
        self.assertTrue(groups.is_root_only())

    scenarios_bad = [
        ({'trait:CUSTOM_X': 'wanted'}, '"preferred" or "avoided"'),
        ({'trait1:CUSTOM_X': 'preferred'}, 'without a group suffix'),
        ({'required': 'in:CUSTOM_A,'}, 'names an empty item'),
        ({'required': 'CUSTOM_A,in:CUSTOM_B'}, 'does not mix'),
        ({'member_of': 'agg1,agg2'}, '"in:a,b"'),
        ({'required': 'in:NOT_A_TRAIT,CUSTOM_A'}, 'NOT_A_TRAIT'),
    ]

    def test_bad_syntax_is_refused_with_the_reason(self):
        for extra_specs, words in self.scenarios_bad:
            error = self.assertRaises(
                (exception.InvalidRequest, exception.InvalidTrait),
                trees.groups, extra_specs=extra_specs)
            self.assertIn(words, str(error), extra_specs)

    def test_preferred_and_avoided_at_once_is_refused(self):
        from gantt import request_groups
        error = self.assertRaises(
            exception.InvalidRequest, request_groups.RequestGroups,
            request_groups.Group(''), preferred=['CUSTOM_A'],
            avoided=['CUSTOM_A'])
        self.assertIn('both preferred and avoided: CUSTOM_A', str(error))


class TestAnyOfOnProviders(testtools.TestCase):

    def world(self):
        return trees.make_world(
            [_host('avx2'), _host('avx512'), _host('plain'),
             _host('gpu-b')],
            {'avx2': [{'uuid': 'uuid-avx2', 'traits': ['HW_CPU_X86_AVX2']}],
             'avx512': [{'uuid': 'uuid-avx512',
                         'traits': ['HW_CPU_X86_AVX512F']}],
             'gpu-b': [trees.child('gpu0', 'uuid-gpu-b',
                                   {'VGPU': trees.inv(2)},
                                   traits=['CUSTOM_GPU_B'])]})

    def test_unnumbered_any_of_takes_hosts_with_either_trait(self):
        self.assertEqual(['avx2', 'avx512'], _placeable(
            self.world(), extra_specs={
                'required': 'in:HW_CPU_X86_AVX2,HW_CPU_X86_AVX512F'}))

    def test_numbered_any_of_on_one_provider(self):
        self.assertEqual(['gpu-b'], _placeable(self.world(), extra_specs={
            'resources1:VGPU': '1',
            'required1': 'in:CUSTOM_GPU_A,CUSTOM_GPU_B'}))
        self.assertEqual([], _placeable(self.world(), extra_specs={
            'resources1:VGPU': '1',
            'required1': 'in:CUSTOM_GPU_A,CUSTOM_GPU_C'}))

    def test_any_of_and_forbidden_together(self):
        self.assertEqual(['avx512'], _placeable(self.world(), extra_specs={
            'required': 'in:HW_CPU_X86_AVX2,HW_CPU_X86_AVX512F',
            'trait:HW_CPU_X86_AVX2': 'forbidden'}))


class TestForbiddenAggregatesInGroups(testtools.TestCase):

    def world(self):
        return trees.make_world(
            [_host('a'), _host('b')], {
                'a': [trees.child('gpuA', 'uuid-a', {'VGPU': trees.inv(2)})],
                'b': [trees.child('gpuB', 'uuid-b', {'VGPU': trees.inv(2)},
                                  aggregates=['agg-gpu-b'])]},
            aggregates=[{'name': 'agg-a', 'hosts': ['a']}])

    def test_group_out_of_aggregates(self):
        self.assertEqual(['b'], _placeable(self.world(), extra_specs={
            'resources1:VGPU': '1', 'member_of1': '!in:agg-a,agg-x'}))
        self.assertEqual(['a'], _placeable(self.world(), extra_specs={
            'resources1:VGPU': '1', 'member_of1': '!agg-gpu-b'}))

    def test_group_in_one_of_aggregates(self):
        self.assertEqual(['b'], _placeable(self.world(), extra_specs={
            'resources1:VGPU': '1', 'member_of1': 'in:agg-gpu-b,agg-x'}))

    def test_unnumbered_group_out_of_an_aggregate(self):
        self.assertEqual(['b'], _placeable(self.world(), extra_specs={
            'member_of': '!agg-a'}))
