"""HostManager applies the store's change feed to the columnar HostState."""

import threading

import testtools

from gantt import conf as gantt_conf
from gantt import host_manager
from gantt import objects

objects.register_all()

NOW = 1_800_000_000.0


class FakeChanges(object):
    def __init__(self, seq, **lists):
        self.seq = seq
        for name in ('compute_nodes', 'inventories', 'aggregates',
                     'instances'):
            setattr(self, name, lists.get(name, []))


class FakeDatabase(object):
    """The change feed of the store, in memory: each write bumps the seq."""

    def __init__(self):
        self.seq = 0
        self.log = []  # (seq, kind, change)
        self.calls = []

    def get_changes(self, since, numa_holding=None):
        self.calls.append(since)
        lists = {}
        for seq, kind, change in self.log:
            if seq > since:
                lists.setdefault(kind, []).append(change)
        return FakeChanges(self.seq, **lists)

    def write(self, kind, change):
        self.seq += 1
        self.log.append((self.seq, kind, change))

    def add_node(self, name, uuid=None, ram=4096, vcpus=4, disk=100,
                 cell=None, disabled=False, deleted=False, **stats):
        uuid = uuid or 'uuid-' + name
        node = objects.ComputeNode(
            uuid='6a3e1e6c-0000-4000-8000-%012d' % len(self.log),
            host=name, hypervisor_hostname=name,
            service=objects.ServiceStatus(disabled=disabled),
            stats=objects.ComputeStats(**stats),
            hypervisor=objects.HypervisorInfo(hypervisor_type='QEMU',
                                              hypervisor_version=8002000))
        self.write('compute_nodes', {
            'uuid': uuid, 'host': name, 'hypervisor_hostname': name,
            'cell_uuid': cell, 'last_seen_up': NOW, 'deleted': deleted,
            'node': node})
        if deleted:
            return uuid
        for rc, total in (('VCPU', vcpus), ('MEMORY_MB', ram),
                          ('DISK_GB', disk)):
            self.add_inventory(uuid, rc, total)
        return uuid

    def add_inventory(self, uuid, rc, total, used=0, root=None, ratio=1.0):
        self.write('inventories', {
            'provider_uuid': uuid, 'root_provider_uuid': root or uuid,
            'resource_class': rc, 'total': total, 'reserved': 0,
            'min_unit': 1, 'max_unit': total, 'step_size': 1,
            'allocation_ratio': ratio, 'used': used})


class TestHostManager(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = gantt_conf.build_conf([])
        self.db = FakeDatabase()
        self.manager = host_manager.HostManager(self.conf, self.db)

    def row(self, uuid):
        return self.manager.state.index[uuid]

    def test_refresh_adds_reported_nodes_with_inventories(self):
        uuid = self.db.add_node('host1', ram=8192, vcpus=8, num_io_ops=3)
        state = self.manager.snapshot()
        row = state.index[uuid]
        view = state.view(row)
        self.assertEqual('host1', view.host)
        self.assertEqual(8192, view.total_usable_ram_mb)
        self.assertEqual(8, view.vcpus_total)
        self.assertEqual(3, view.num_io_ops)
        self.assertEqual('QEMU', view.hypervisor_type)
        self.assertEqual(self.db.seq, self.manager.watermark)

    def test_refresh_with_nothing_new_applies_nothing(self):
        self.db.add_node('host1')
        self.manager.refresh()
        seen = self.manager.watermark
        self.assertEqual(0, self.manager.refresh())
        self.assertEqual([0, seen], self.db.calls)
        self.assertEqual(seen, self.manager.watermark)

    def test_refresh_reads_only_changes_past_the_watermark(self):
        self.db.add_node('host1')
        self.manager.refresh()
        seen = self.manager.watermark
        self.db.add_node('host2')
        applied = self.manager.refresh()
        self.assertEqual([0, seen], self.db.calls)
        # One node row and its three inventories.
        self.assertEqual(4, applied)

    def test_own_write_moves_the_watermark_only_when_next(self):
        self.db.add_node('host1')
        self.manager.refresh()
        seen = self.manager.watermark
        # Another writer came first: the write must be read back.
        self.assertFalse(self.manager.wrote(seen + 2))
        self.assertEqual(seen, self.manager.watermark)
        self.assertTrue(self.manager.wrote(seen + 1))
        self.assertEqual(seen + 1, self.manager.watermark)

    def test_store_that_went_backwards_is_reloaded_whole(self):
        self.db.add_node('host1')
        self.db.add_node('host2')
        self.manager.refresh()
        # The store is recreated: only host3 exists, at a lower sequence.
        self.db.seq = 0
        self.db.log = []
        uuid = self.db.add_node('host3')
        self.manager.refresh()
        self.assertEqual([uuid], list(self.manager.state.index))
        self.assertEqual(self.db.seq, self.manager.watermark)

    def test_inventory_change_updates_usage(self):
        uuid = self.db.add_node('host1', ram=4096)
        self.manager.refresh()
        self.db.add_inventory(uuid, 'MEMORY_MB', 4096, used=1024)
        self.manager.refresh()
        self.assertEqual(3072, self.manager.state.view(self.row(uuid))
                         .free_ram_mb)

    def test_nested_provider_inventory_is_not_a_host_column(self):
        uuid = self.db.add_node('host1')
        self.db.add_inventory('child-uuid', 'VGPU', 4, root=uuid)
        self.manager.refresh()
        self.assertNotIn('VGPU', self.manager.state.res)

    def test_node_update_changes_facts(self):
        uuid = self.db.add_node('host1')
        self.manager.refresh()
        self.db.add_node('host1', disabled=True)
        self.manager.refresh()
        self.assertTrue(self.manager.state.disabled[self.row(uuid)])
        self.assertEqual(1, len(self.manager.state.rows()))

    def test_deleted_node_is_removed(self):
        uuid = self.db.add_node('host1')
        self.db.add_node('host2')
        self.manager.refresh()
        self.db.add_node('host1', deleted=True)
        self.manager.refresh()
        state = self.manager.state
        self.assertNotIn(uuid, state.index)
        self.assertEqual(['host2'], [state.hosts[r] for r in state.rows()])

    def test_aggregate_sets_and_clears_availability_zone(self):
        uuid = self.db.add_node('host1')
        self.db.write('aggregates', {'uuid': 'agg1', 'name': 'agg1',
                                     'hosts': ['host1'],
                                     'metadata': {'availability_zone': 'z1'},
                                     'deleted': False})
        self.manager.refresh()
        view = self.manager.state.view(self.row(uuid))
        self.assertEqual('z1', view.availability_zone)
        self.db.write('aggregates', {'uuid': 'agg1', 'deleted': True})
        self.manager.refresh()
        self.assertEqual('nova', view.availability_zone)
        self.assertEqual([], view.aggregates)

    def test_aggregate_known_before_its_host_reports(self):
        self.db.write('aggregates', {'uuid': 'agg1', 'name': 'agg1',
                                     'hosts': ['host1'], 'metadata': {}})
        self.manager.refresh()
        uuid = self.db.add_node('host1')
        self.manager.refresh()
        self.assertEqual(['agg1'], [a.uuid for a in self.manager.state.view(
            self.row(uuid)).aggregates])

    def test_instances_are_added_and_removed(self):
        uuid = self.db.add_node('host1')
        self.db.write('instances', {'instance_uuid': 'i1', 'host': 'host1',
                                    'node': 'host1', 'deleted': False})
        self.manager.refresh()
        view = self.manager.state.view(self.row(uuid))
        self.assertEqual({'i1': None}, view.instances)
        self.db.write('instances', {'instance_uuid': 'i1', 'host': 'host1',
                                    'node': 'host1', 'deleted': True})
        self.manager.refresh()
        self.assertEqual({}, view.instances)

    def test_without_a_store_refresh_does_nothing(self):
        manager = host_manager.HostManager(self.conf, None)
        self.assertEqual(0, manager.refresh())
        self.assertEqual(0, len(manager.snapshot().rows()))

    def test_concurrent_refreshes_read_each_change_once(self):
        for i in range(20):
            self.db.add_node('host%d' % i)
        threads = [threading.Thread(target=self.manager.refresh)
                   for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        # One read of the whole feed; the other seven find nothing new.
        self.assertEqual([0] + [self.db.seq] * 7, self.db.calls)
        self.assertEqual(20, len(self.manager.state.rows()))
