"""ProviderState: trees, sharing providers, slots and masks."""

import numpy as np
import testtools

from gantt import providers
from tests.unit import hosts as hosts_mod
from tests.unit import trees


class TestProviderState(testtools.TestCase):

    def test_set_tree_replaces_and_reuses_slots(self):
        prov = providers.ProviderState(capacity=2)
        prov.set_tree(0, 'root', [
            {'uuid': 'root', 'traits': ['HW_CPU_X86_AVX2']},
            trees.child('gpu', 'numa', {'VGPU': trees.inv(4)}),
            trees.child('numa', 'root', {'PCPU': trees.inv(8)})])
        self.assertEqual(3, len(prov.tree_slots('root')))
        gpu = prov.index['gpu']
        self.assertEqual(prov.index['numa'], prov.parent[gpu])
        self.assertEqual(4, prov.res['VGPU'].total[gpu])
        prov.set_tree(0, 'root', [{'uuid': 'root'}])
        self.assertNotIn('gpu', prov.index)
        self.assertFalse(prov.res['VGPU'].present[gpu])
        self.assertEqual(frozenset(), prov.traits[prov.root_slot('root')])
        self.assertFalse(prov.trait_mask('HW_CPU_X86_AVX2').any())
        self.assertLessEqual(prov.n, 3)

    def test_nested_rows_and_consume(self):
        prov = providers.ProviderState()
        prov.set_tree(1, 'b', [trees.child('gpu', 'b',
                                           {'VGPU': trees.inv(4)})])
        prov.set_tree(0, 'a', [])
        np.testing.assert_array_equal([False, True, False],
                                      prov.nested_rows(3))
        prov.consume({'gpu': {'VGPU': 3}, 'b': {'VCPU': 1}})
        self.assertEqual(3, prov.res['VGPU'].used[prov.index['gpu']])
        self.assertNotIn('VCPU', prov.res)
        prov.consume({'gpu': {'VGPU': 3}}, sign=-1)
        self.assertEqual(0, prov.res['VGPU'].used[prov.index['gpu']])

    def test_sharing_reaches_hosts_through_aggregates(self):
        hosts = hosts_mod.make_state(
            [{'name': 'in', 'vcpus': 1}, {'name': 'out', 'vcpus': 1},
             {'name': 'tagged', 'vcpus': 1}],
            aggregates=[{'name': 'agg1', 'hosts': ['in']}])
        prov = providers.ProviderState()
        prov.set_tree(hosts.index['uuid-tagged'], 'uuid-tagged',
                      [{'uuid': 'uuid-tagged', 'aggregates': ['agg1']}])
        prov.set_sharing('nfs', 'nfs', ['MISC_SHARES_VIA_AGGREGATE'],
                         ['agg1'], {'DISK_GB': trees.inv(100)})
        prov.set_sharing('lonely', 'lonely', [], ['agg1'],
                         {'DISK_GB': trees.inv(100)})
        np.testing.assert_array_equal([True, False, True],
                                      prov.sharing_rows(hosts))
        self.assertEqual([prov.index['nfs']],
                         prov.sharing_for(hosts, hosts.index['uuid-in']))
        self.assertEqual([], prov.sharing_for(hosts,
                                              hosts.index['uuid-out']))
        prov.remove_sharing('nfs')
        self.assertFalse(prov.sharing_rows(hosts).any())
