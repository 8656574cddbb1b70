"""The provider store: trees, sharing providers, slots and masks."""

import numpy as np
import testtools

from gantt import host_state
from tests.unit import hosts as hosts_mod
from tests.unit import trees


class TestProviderTrees(testtools.TestCase):

    def test_set_tree_replaces_and_reuses_slots(self):
        state = hosts_mod.make_state([{'name': 'r', 'uuid': 'root'}])
        row = state.index['root']
        state.set_tree('root', [
            {'uuid': 'root', 'traits': ['HW_CPU_X86_AVX2']},
            trees.child('gpu', 'numa', {'VGPU': trees.inv(4)}),
            trees.child('numa', 'root', {'PCPU': trees.inv(8)})])
        self.assertEqual(3, len(state.tree_slots('root')))
        self.assertEqual(row, state.tree_slots('root')[0])
        gpu = state.index['gpu']
        self.assertEqual(state.index['numa'], state.parent[gpu])
        self.assertEqual(row, state.root[gpu])
        self.assertEqual(4, state.res['VGPU'].total[gpu])
        self.assertFalse(state.valid[gpu])
        state.set_tree('root', [{'uuid': 'root'}])
        self.assertNotIn('gpu', state.index)
        self.assertFalse(state.res['VGPU'].present[gpu])
        self.assertEqual(frozenset(), state.traits[row])
        self.assertFalse(state.trait_mask('HW_CPU_X86_AVX2').any())
        self.assertLessEqual(state.n, 3)

    def test_a_tree_needs_its_compute_node(self):
        state = host_state.HostState(capacity=2)
        self.assertFalse(state.set_tree('nobody', [{'uuid': 'nobody'}]))
        self.assertNotIn('nobody', state.index)

    def test_nested_rows_and_consume(self):
        state = hosts_mod.make_state([{'name': 'a', 'vcpus': 4},
                                      {'name': 'b', 'vcpus': 4}])
        state.set_tree('uuid-b', [trees.child('gpu', 'uuid-b',
                                              {'VGPU': trees.inv(4)})])
        np.testing.assert_array_equal([False, True],
                                      state.nested_rows())
        state.consume({'gpu': {'VGPU': 3}, 'uuid-b': {'VCPU': 1}})
        self.assertEqual(3, state.res['VGPU'].used[state.index['gpu']])
        self.assertEqual(1, state.res['VCPU'].used[state.index['uuid-b']])
        state.consume({'gpu': {'VGPU': 3}}, sign=-1)
        self.assertEqual(0, state.res['VGPU'].used[state.index['gpu']])

    def test_removing_a_node_removes_its_tree(self):
        state = hosts_mod.make_state([{'name': 'a', 'vcpus': 4}])
        state.set_tree('uuid-a', [trees.child('gpu', 'uuid-a',
                                              {'VGPU': trees.inv(4)})])
        gpu = state.index['gpu']
        state.remove_node('uuid-a')
        self.assertNotIn('gpu', state.index)
        self.assertFalse(state.res['VGPU'].present[gpu])
        self.assertFalse(state.live[:state.n].any())
        self.assertEqual(0, len(state.rows()))

    def test_sharing_reaches_hosts_through_aggregates(self):
        hosts = hosts_mod.make_state(
            [{'name': 'in', 'vcpus': 1}, {'name': 'out', 'vcpus': 1},
             {'name': 'tagged', 'vcpus': 1}],
            aggregates=[{'name': 'agg1', 'hosts': ['in']}])
        hosts.set_tree('uuid-tagged',
                       [{'uuid': 'uuid-tagged', 'aggregates': ['agg1']}])
        hosts.set_sharing('nfs', 'nfs', ['MISC_SHARES_VIA_AGGREGATE'],
                          ['agg1'], {'DISK_GB': trees.inv(100)})
        hosts.set_sharing('lonely', 'lonely', [], ['agg1'],
                          {'DISK_GB': trees.inv(100)})
        np.testing.assert_array_equal([True, False, True],
                                      hosts.sharing_rows())
        self.assertEqual([hosts.index['nfs']],
                         hosts.sharing_for(hosts.index['uuid-in']))
        self.assertEqual([], hosts.sharing_for(hosts.index['uuid-out']))
        self.assertFalse(hosts.valid[hosts.index['nfs']])
        hosts.remove_sharing('nfs')
        self.assertFalse(hosts.sharing_rows().any())

    def test_providers_keep_their_tree_when_the_host_rows_grow(self):
        state = host_state.HostState(capacity=2)
        state.upsert_node('uuid-a', 'a', 'a', None, 0.0, {})
        state.set_tree('uuid-a', [
            {'uuid': 'uuid-a', 'traits': ['HW_CPU_X86_AVX2']},
            trees.child('numa', 'uuid-a', {'PCPU': trees.inv(8, step=2)}),
            trees.child('gpu', 'numa', {'VGPU': trees.inv(4, used=1)},
                        traits=['CUSTOM_GPU'])])
        state.set_sharing('nfs', 'nfs', ['MISC_SHARES_VIA_AGGREGATE'],
                          ['agg1'], {'DISK_GB': trees.inv(100)})
        for i in range(200):
            state.upsert_node('uuid-%d' % i, 'h%d' % i, 'h%d' % i, None,
                              0.0, {})
        self.assertGreaterEqual(state.slot_start, 201)
        gpu, numa = state.index['gpu'], state.index['numa']
        row = state.index['uuid-a']
        self.assertEqual([row, numa, gpu], state.tree_slots('uuid-a'))
        self.assertEqual(numa, state.parent[gpu])
        self.assertEqual(row, state.root[gpu])
        self.assertEqual('gpu', state.uuids[gpu])
        self.assertEqual(1, state.res['VGPU'].used[gpu])
        self.assertTrue(state.trait_mask('CUSTOM_GPU')[gpu])
        self.assertEqual({state.index['nfs']}, state.sharing)
        pcpu = state.res['PCPU']
        np.testing.assert_array_equal(
            [False, True], [pcpu.fits_at(numa, 3), pcpu.fits_at(numa, 4)])
        self.assertEqual([row], np.flatnonzero(state.nested_rows()).tolist())
        ok = state.res['VGPU'].fits(3, state.slot_end)
        self.assertEqual([row], np.flatnonzero(state.tree_rows(ok)).tolist())
