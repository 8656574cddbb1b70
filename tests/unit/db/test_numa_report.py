"""A report's NUMA topology and PCI devices go through the store into
every worker's host columns; a later report replaces them."""

from gantt import host_manager
from gantt import objects
from tests.unit.db import base
from tests.unit.objects import test_numa


class TestNumaReport(base.StoreTestCase):

    def _report(self, seq, pinned=(), devices=()):
        node = base.make_node(uuid='22222222-2222-4222-8222-222222222222',
                              report_seq=seq)
        node.numa = objects.NUMATopology(cells=[
            test_numa.cell(0, pinned=pinned, pages=[(4, 1000000),
                                                    (2048, 512)]),
            test_numa.cell(1, (4, 5), (6, 7))])
        node.pci_devices = list(devices)
        self.db.save_compute_node(node)
        return node.uuid

    def test_workers_see_cells_pcpus_pages_and_devices(self):
        uuid = self._report(1, devices=[test_numa.vf()])
        manager = host_manager.HostManager(self.conf, self.db)
        state = manager.snapshot()
        row = state.index[uuid]
        self.assertEqual(2, state.numa_cell_count[row])
        self.assertEqual(4, state.numa_free_pcpus[row])
        self.assertEqual(1, state.pci_free[row])
        self.assertEqual(2048, state.numa_cells[row][0].mempages[1].size_kb)
        self._report(2, pinned=(2, 3))
        state = manager.snapshot()
        self.assertEqual(2, state.numa_free_pcpus[row])
        self.assertEqual(0, state.pci_free[row])
