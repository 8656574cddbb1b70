"""Root providers no compute report describes are hosts of the one store.

nova's computes write only placement (through gantt-api) and import-nova
brings providers without reports; the HostManager makes such a root, with
something offered in its tree, a host named for the provider.
"""

import testtools

from gantt import conf as gantt_conf
from gantt.db import changes as db_changes
from gantt import host_manager
from gantt import traits

NOW = 1_800_000_000.0
ROOT = '5b1f0c2e-0000-4000-8000-000000000001'


def _inv(total, used=0):
    return {'total': total, 'reserved': 0, 'min_unit': 1, 'max_unit': total,
            'step_size': 1, 'allocation_ratio': 1.0, 'used': used}


def _provider(uuid, name, root=None, parent=None, inventories=None,
              trait_names=(), aggregates=()):
    return {'uuid': uuid, 'name': name, 'root_provider_uuid': root or uuid,
            'parent_provider_uuid': parent, 'traits': list(trait_names),
            'aggregates': list(aggregates),
            'inventories': dict(inventories or {})}


class TestPlacementHosts(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.manager = host_manager.HostManager(gantt_conf.build_conf([]),
                                                None)
        self.seq = 0

    def apply(self, providers=(), removed=(), nodes=(), inventories=()):
        self.seq += 1
        self.manager.apply(db_changes.Changes(
            self.seq, list(nodes), list(inventories), [], [],
            providers, removed))
        return self.manager.state

    def test_root_with_inventory_becomes_host_named_for_provider(self):
        state = self.apply([_provider(
            ROOT, 'cmp1', inventories={'VCPU': _inv(8, used=2),
                                       'MEMORY_MB': _inv(4096)},
            trait_names=['HW_CPU_X86_AVX2'], aggregates=['agg-1'])])
        row = state.index[ROOT]
        view = state.view(row)
        self.assertEqual(('cmp1', 'cmp1'), (view.host, view.nodename))
        self.assertEqual(6, view.vcpus_total - view.vcpus_used)
        self.assertEqual(4096, view.free_ram_mb)
        self.assertTrue(view.placement_only)
        self.assertIn('HW_CPU_X86_AVX2', state.traits[row])
        self.assertEqual({'agg-1'}, state.root_aggregates(row))
        self.assertEqual([row], list(state.rows()))

    def test_root_without_inventory_is_no_host(self):
        state = self.apply([_provider(ROOT, 'empty')])
        self.assertNotIn(ROOT, state.index)
        self.assertEqual([], list(state.rows()))

    def test_retired_inventory_alone_is_no_host(self):
        state = self.apply([_provider(ROOT, 'gone',
                                      inventories={'VCPU': _inv(0)})])
        self.assertEqual([], list(state.rows()))

    def test_children_of_placement_root_are_its_tree(self):
        child = '5b1f0c2e-0000-4000-8000-000000000002'
        state = self.apply([
            _provider(ROOT, 'cmp1', inventories={'VCPU': _inv(4)}),
            _provider(child, 'cmp1_gpu', root=ROOT, parent=ROOT,
                      inventories={'VGPU': _inv(2)})])
        row = state.index[ROOT]
        self.assertEqual([row, state.index[child]], state.tree_slots(ROOT))

    def test_sharing_root_stays_a_sharing_provider(self):
        state = self.apply([_provider(
            ROOT, 'nfs', inventories={'DISK_GB': _inv(1000)},
            trait_names=[traits.SHARES_VIA_AGGREGATE])])
        self.assertEqual([], list(state.rows()))
        self.assertIn(state.index[ROOT], state.sharing)

    def test_removed_provider_is_no_longer_a_host(self):
        self.apply([_provider(ROOT, 'cmp1', inventories={'VCPU': _inv(4)})])
        state = self.apply(removed=[ROOT])
        self.assertNotIn(ROOT, state.index)
        self.assertNotIn('cmp1', state.host_rows)

    def test_tree_that_loses_all_inventory_is_no_longer_a_host(self):
        self.apply([_provider(ROOT, 'cmp1', inventories={'VCPU': _inv(4)})])
        state = self.apply([_provider(ROOT, 'cmp1',
                                      inventories={'VCPU': _inv(0)})])
        self.assertEqual([], list(state.rows()))

    def test_compute_report_keeps_the_same_host_row(self):
        state = self.apply([_provider(ROOT, 'cmp1',
                                      inventories={'VCPU': _inv(4)})])
        row = state.index[ROOT]
        state = self.apply(nodes=[{
            'uuid': ROOT, 'host': 'cmp1', 'hypervisor_hostname': 'cmp1',
            'cell_uuid': None, 'last_seen_up': NOW, 'deleted': False,
            'node': None}])
        self.assertEqual(row, state.index[ROOT])
        self.assertEqual([row], list(state.rows()))
        self.assertFalse(state.placement_only[row])
        # A later placement write of its tree does not undo the report.
        state = self.apply([_provider(ROOT, 'cmp1',
                                      inventories={'VCPU': _inv(8)})])
        self.assertFalse(state.placement_only[row])
        self.assertEqual(NOW, state.last_seen[row])

    def test_deleted_compute_node_does_not_return_from_its_provider(self):
        node = {'uuid': ROOT, 'host': 'cmp1', 'hypervisor_hostname': 'cmp1',
                'cell_uuid': None, 'last_seen_up': NOW, 'deleted': False,
                'node': None}
        self.apply(nodes=[node])
        # The service is deleted with its node; the provider stays, and a
        # worker reading everything again sees both.
        state = self.apply(
            nodes=[dict(node, deleted=True)],
            providers=[_provider(ROOT, 'cmp1',
                                 inventories={'VCPU': _inv(4)})])
        self.assertEqual([], list(state.rows()))
        state = self.apply([_provider(ROOT, 'cmp1',
                                      inventories={'VCPU': _inv(8)})])
        self.assertEqual([], list(state.rows()))
        # It reports again: a host once more.
        state = self.apply(nodes=[node])
        self.assertEqual([state.index[ROOT]], list(state.rows()))

    def test_renamed_provider_renames_its_host(self):
        self.apply([_provider(ROOT, 'cmp1', inventories={'VCPU': _inv(4)})])
        state = self.apply([_provider(ROOT, 'cmp2',
                                      inventories={'VCPU': _inv(4)})])
        self.assertEqual([state.index[ROOT]], state.host_rows['cmp2'])
        self.assertFalse(state.host_rows.get('cmp1'))
