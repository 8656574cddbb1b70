"""Allocation candidates over hosts with nested and sharing providers."""

import numpy as np
import testtools

from gantt import candidates
from tests.unit import trees


def _host(name, vcpus=16, ram=32768, disk=500, **kw):
    return dict(name=name, vcpus=vcpus, ram=ram, disk=disk, **kw)


def _rows(hosts, mask):
    return sorted(hosts.hosts[r] for r in np.flatnonzero(mask))


def _finder(hosts, **spec_kw):
    return candidates.Finder(hosts, trees.groups(**spec_kw))


def _candidates(finder, name):
    return [c.allocation_request()
            for c in finder.for_row(finder.hosts.index['uuid-' + name])]


GPU_TREES = {
    'gpu-host': [trees.child('gpu0', 'uuid-gpu-host',
                             {'VGPU': trees.inv(4)},
                             traits=['CUSTOM_GPU_A100'])],
}


class TestChildProviders(testtools.TestCase):

    def world(self):
        return trees.make_world([_host('plain'), _host('gpu-host')],
                                GPU_TREES)

    def test_gpu_group_only_a_child_can_meet(self):
        finder = _finder(self.world(), extra_specs={'resources1:VGPU': '1'})
        self.assertEqual(['gpu-host'], _rows(finder.hosts, finder.mask()))
        self.assertEqual([], finder.for_row(finder.hosts.index['uuid-plain']))
        self.assertEqual(
            [{'allocations': {
                'gpu0': {'resources': {'VGPU': 1}},
                'uuid-gpu-host': {'resources': {
                    'DISK_GB': 1, 'MEMORY_MB': 512, 'VCPU': 1}}},
              'mappings': {'': ['uuid-gpu-host'], '1': ['gpu0']}}],
            _candidates(finder, 'gpu-host'))

    def test_unnumbered_gpu_may_come_from_a_child(self):
        finder = _finder(self.world(), extra_specs={'resources:VGPU': '2'})
        self.assertEqual(['gpu-host'], _rows(finder.hosts, finder.mask()))
        [cand] = _candidates(finder, 'gpu-host')
        self.assertEqual({'VGPU': 2}, cand['allocations']['gpu0']['resources'])
        self.assertEqual(['uuid-gpu-host', 'gpu0'], cand['mappings'][''])

    def test_required_trait_on_the_child_group(self):
        finder = _finder(self.world(), extra_specs={
            'resources1:VGPU': '1', 'trait1:CUSTOM_GPU_A100': 'required'})
        self.assertEqual(1, len(_candidates(finder, 'gpu-host')))
        finder = _finder(self.world(), extra_specs={
            'resources1:VGPU': '1', 'trait1:CUSTOM_GPU_A100': 'forbidden'})
        self.assertEqual([], _rows(finder.hosts, finder.mask()))
        self.assertEqual([], _candidates(finder, 'gpu-host'))

    def test_child_capacity_exhausted(self):
        world = trees.make_world([_host('gpu-host')], {
            'gpu-host': [trees.child('gpu0', 'uuid-gpu-host',
                                     {'VGPU': trees.inv(4, used=3)})]})
        finder = _finder(world, extra_specs={'resources1:VGPU': '2'})
        self.assertEqual([], _rows(finder.hosts, finder.mask()))


NUMA_TREES = {
    'two-numa': [
        trees.child('numa0', 'uuid-two-numa', {'PCPU': trees.inv(8)}),
        trees.child('numa1', 'uuid-two-numa', {'PCPU': trees.inv(8)})],
    'one-numa': [trees.child('numaX', 'uuid-one-numa',
                             {'PCPU': trees.inv(8)})],
}


class TestGroupPolicy(testtools.TestCase):

    def finder(self, policy):
        world = trees.make_world([_host('two-numa'), _host('one-numa')],
                                 NUMA_TREES)
        return _finder(world, extra_specs={
            'resources1:PCPU': '4', 'resources2:PCPU': '4',
            'group_policy': policy})

    def test_isolate_puts_groups_on_different_children(self):
        finder = self.finder('isolate')
        cands = _candidates(finder, 'two-numa')
        self.assertTrue(cands)
        for cand in cands:
            self.assertNotEqual(cand['mappings']['1'], cand['mappings']['2'])
            self.assertEqual({'numa0', 'numa1'},
                             set(cand['mappings']['1'] +
                                 cand['mappings']['2']))
        self.assertEqual([], _candidates(finder, 'one-numa'))

    def test_none_lets_groups_share_a_child(self):
        finder = self.finder('none')
        [cand] = _candidates(finder, 'one-numa')
        self.assertEqual({'PCPU': 8},
                         cand['allocations']['numaX']['resources'])

    def test_same_subtree(self):
        tree = [trees.child('numa0', 'uuid-h', {'PCPU': trees.inv(8)}),
                trees.child('nic0', 'numa0', {'SRIOV_NET_VF': trees.inv(4)}),
                trees.child('numa1', 'uuid-h', {'PCPU': trees.inv(8)}),
                trees.child('nic1', 'numa1', {'SRIOV_NET_VF': trees.inv(4)})]
        world = trees.make_world([_host('h')], {'h': tree})
        finder = _finder(world, extra_specs={
            'resources_CPU:PCPU': '2', 'resources_NET:SRIOV_NET_VF': '1',
            'group_policy': 'none'}, same_subtree=[('_CPU', '_NET')])
        cands = _candidates(finder, 'h')
        self.assertEqual(2, len(cands))
        for cand in cands:
            cpu = cand['mappings']['_CPU'][0]
            self.assertEqual('nic' + cpu[-1], cand['mappings']['_NET'][0])


class TestSharingProviders(testtools.TestCase):

    def world(self, used=0):
        return trees.make_world(
            [dict(name='in-agg', vcpus=16, ram=32768),
             dict(name='outside', vcpus=16, ram=32768)],
            sharing=[{'uuid': 'nfs', 'aggregates': ['agg1'],
                      'inventories': {'DISK_GB': trees.inv(100, used=used)}}],
            aggregates=[{'name': 'agg1', 'hosts': ['in-agg']}])

    def test_shared_disk_reached_through_an_aggregate(self):
        finder = _finder(self.world(), disk=60)
        self.assertEqual(['in-agg'], _rows(finder.hosts, finder.mask()))
        [cand] = _candidates(finder, 'in-agg')
        self.assertEqual({'DISK_GB': 60},
                         cand['allocations']['nfs']['resources'])
        self.assertEqual(['uuid-in-agg', 'nfs'], cand['mappings'][''])
        self.assertEqual([], _candidates(finder, 'outside'))

    def test_shared_disk_exhausted_after_consumption(self):
        hosts = self.world()
        finder = _finder(hosts, disk=60)
        [cand] = finder.for_row(hosts.index['uuid-in-agg'])
        hosts.consume(cand.allocations)
        finder = _finder(hosts, disk=60)
        self.assertEqual([], _rows(hosts, finder.mask()))
        self.assertEqual([], _candidates(finder, 'in-agg'))

    def test_summaries_name_the_sharing_provider_as_its_own_root(self):
        finder = _finder(self.world(used=10), disk=60)
        row = finder.hosts.index['uuid-in-agg']
        summaries = candidates.provider_summaries(finder, row,
                                                  finder.for_row(row))
        self.assertEqual({'DISK_GB': {'capacity': 100, 'used': 10}},
                         summaries['nfs']['resources'])
        self.assertEqual('nfs', summaries['nfs']['root_provider_uuid'])
        self.assertIsNone(summaries['nfs']['parent_provider_uuid'])


class TestTraitsOnTheRoot(testtools.TestCase):

    def world(self):
        return trees.make_world(
            [_host('sgx'), _host('plain')],
            {'sgx': [{'uuid': 'uuid-sgx', 'traits': ['HW_CPU_X86_SGX']}]})

    def test_forbidden_trait_on_the_root(self):
        finder = _finder(self.world(),
                         extra_specs={'trait:HW_CPU_X86_SGX': 'forbidden'})
        self.assertEqual(['plain'], _rows(finder.hosts, finder.mask()))
        self.assertEqual([], _candidates(finder, 'sgx'))

    def test_root_forbidden_request_level(self):
        finder = _finder(self.world(), root_forbidden=['HW_CPU_X86_SGX'])
        self.assertEqual(['plain'], _rows(finder.hosts, finder.mask()))

    def test_required_trait_from_the_image(self):
        finder = _finder(self.world(), image_traits=['HW_CPU_X86_SGX'])
        self.assertEqual(['sgx'], _rows(finder.hosts, finder.mask()))
        self.assertEqual(1, len(_candidates(finder, 'sgx')))
        self.assertEqual([], _candidates(finder, 'plain'))


class TestBareMetal(testtools.TestCase):

    CLASSES = ('CUSTOM_BAREMETAL_GOLD', 'CUSTOM_BAREMETAL_SILVER',
               'CUSTOM_BAREMETAL_BRONZE')

    def world(self):
        hosts = [dict(name='bm%03d' % i, vcpus=0, ram=0, disk=0)
                 for i in range(100)]
        tree = {h['name']: [{'uuid': 'uuid-' + h['name'], 'inventories': {
            self.CLASSES[i % 3]: trees.inv(1)}}]
            for i, h in enumerate(hosts)}
        return trees.make_world(hosts, tree)

    def flavor(self, rc):
        return {'resources:%s' % rc: '1', 'resources:VCPU': '0',
                'resources:MEMORY_MB': '0', 'resources:DISK_GB': '0'}

    def test_node_consumed_whole_by_its_class(self):
        hosts = self.world()
        finder = _finder(hosts,
                         extra_specs=self.flavor('CUSTOM_BAREMETAL_GOLD'))
        gold = _rows(hosts, finder.mask())
        self.assertEqual(34, len(gold))
        self.assertEqual(['bm%03d' % i for i in range(0, 100, 3)], gold)
        [cand] = _candidates(finder, 'bm000')
        self.assertEqual({'uuid-bm000': {'resources': {
            'CUSTOM_BAREMETAL_GOLD': 1}}}, cand['allocations'])
        hosts.consume({'uuid-bm000': {'CUSTOM_BAREMETAL_GOLD': 1}})
        finder = _finder(hosts,
                         extra_specs=self.flavor('CUSTOM_BAREMETAL_GOLD'))
        self.assertEqual(33, int(finder.mask().sum()))
        self.assertNotIn('bm000', _rows(hosts, finder.mask()))

    def test_each_class_finds_its_nodes(self):
        hosts = self.world()
        counts = [int(_finder(hosts,
                              extra_specs=self.flavor(rc)).mask().sum())
                  for rc in self.CLASSES]
        self.assertEqual([34, 33, 33], counts)


class TestAggregatesOnGroups(testtools.TestCase):

    def test_member_of_and_forbidden_aggregates(self):
        from gantt import objects
        objects.register_all()
        world = trees.make_world(
            [_host('a'), _host('b')], {
                'a': [trees.child('gpuA', 'uuid-a', {'VGPU': trees.inv(2)})],
                'b': [trees.child('gpuB', 'uuid-b', {'VGPU': trees.inv(2)})]},
            aggregates=[{'name': 'agg-a', 'hosts': ['a']}])
        rg = objects.RequestGroup(requester_id='port1', resources={'VGPU': 1},
                                  aggregates=[['agg-a']])
        finder = _finder(world, requested_resources=[rg])
        self.assertEqual(1, len(_candidates(finder, 'a')))
        self.assertEqual([], _candidates(finder, 'b'))
        self.assertEqual(['gpuA'], _candidates(finder, 'a')[0][
            'mappings']['port1'])
        rg = objects.RequestGroup(requester_id='port1', resources={'VGPU': 1},
                                  forbidden_aggregates={'agg-a'})
        finder = _finder(world, requested_resources=[rg])
        self.assertEqual([], _candidates(finder, 'a'))
        self.assertEqual(1, len(_candidates(finder, 'b')))


class TestProviderAggregates(testtools.TestCase):
    """Aggregates placement sets on providers (not the host's)."""

    def world(self):
        # h1's root is in agg-root, its numa0 in agg-numa; a sharing disk
        # is in agg-numa only.
        return trees.make_world(
            [_host('h1', disk=0), _host('h2', disk=0)], {
                'h1': [trees.child('uuid-h1', None, aggregates=['agg-root']),
                       trees.child('numa0', 'uuid-h1',
                                   {'CUSTOM_PCPU': trees.inv(4)},
                                   aggregates=['agg-numa']),
                       trees.child('numa1', 'uuid-h1',
                                   {'CUSTOM_PCPU': trees.inv(4)})]},
            sharing=[{'uuid': 'disk', 'aggregates': ['agg-numa'],
                      'inventories': {'DISK_GB': trees.inv(100)}}])

    def test_numbered_group_reads_the_providers_own_aggregates(self):
        finder = _finder(self.world(), extra_specs={
            'resources1:CUSTOM_PCPU': '1', 'member_of1': 'agg-root'})
        self.assertEqual([], _candidates(finder, 'h1'))
        finder = _finder(self.world(), extra_specs={
            'resources1:CUSTOM_PCPU': '1', 'member_of1': 'agg-numa'})
        self.assertEqual([['numa0']], [c['mappings']['1']
                                       for c in _candidates(finder, 'h1')])

    def test_unnumbered_group_reads_the_roots_aggregates_too(self):
        finder = _finder(self.world(), disk=0, extra_specs={
            'resources:CUSTOM_PCPU': '1', 'member_of': 'agg-root'})
        self.assertEqual({'numa0', 'numa1'}, {
            rp for c in _candidates(finder, 'h1') for rp in c['allocations']
            if rp.startswith('numa')})

    def test_sharing_provider_serves_a_tree_through_a_child(self):
        finder = _finder(self.world(), disk=10)
        self.assertEqual(['h1'], _rows(finder.hosts, finder.mask()))
        self.assertTrue(all(
            c['allocations']['disk'] == {'resources': {'DISK_GB': 10}}
            for c in _candidates(finder, 'h1')))


class TestUnits(testtools.TestCase):

    def test_step_size_and_min_unit_of_a_child(self):
        world = trees.make_world([_host('h')], {'h': [trees.child(
            'gpu', 'uuid-h', {'VGPU': trees.inv(8, step=2, min_unit=2)})]})
        for amount, found in (('1', []), ('3', []), ('2', ['h']),
                              ('4', ['h'])):
            finder = _finder(world, extra_specs={'resources1:VGPU': amount})
            self.assertEqual(found, _rows(finder.hosts, finder.mask()),
                             amount)
            self.assertEqual(len(found), len(_candidates(finder, 'h')))
