"""NUMA topology and PCI devices in a ComputeNode report: validation and
the backport for schedulers that predate them."""

import testtools

from gantt import exception
from gantt import host_state
from gantt import objects
from gantt.objects import compute_node
from tests.unit.objects import test_compute_node

objects.register_all()


def cell(cell_id=0, cpuset=(0, 1), pcpuset=(2, 3), pinned=(), pages=()):
    return objects.NUMACell(
        id=cell_id, cpuset=list(cpuset), pcpuset=list(pcpuset),
        siblings=[[2, 3]], memory=4096, pinned_cpus=list(pinned),
        mempages=[objects.NUMAPagesTopology(size_kb=s, total=t)
                  for s, t in pages])


def vf(address='0000:81:00.1', parent='0000:81:00.0'):
    return objects.PciDevice(address=address, vendor_id='8086',
                             product_id='154c', dev_type='type-VF',
                             parent_addr=parent, numa_node=0)


def node_with(numa=None, devices=()):
    node = test_compute_node.good_node()
    node.numa = numa
    node.pci_devices = list(devices)
    return node


class TestValidate(testtools.TestCase):

    def _refused(self, node, field):
        exc = self.assertRaises(exception.InvalidReport, node.validate)
        self.assertIn(field, str(exc))

    def test_accepts_cells_pages_and_devices(self):
        node_with(objects.NUMATopology(cells=[
            cell(0, pages=[(4, 1000), (2048, 16)]),
            cell(1, (4, 5), (6, 7))]), [vf()]).validate()

    def test_rejects_cpus_both_shared_and_dedicated(self):
        self._refused(node_with(objects.NUMATopology(
            cells=[cell(cpuset=(0, 1, 2), pcpuset=(2, 3))])),
            'numa.cells[0].pcpuset')

    def test_rejects_pinned_cpus_outside_the_dedicated_set(self):
        self._refused(node_with(objects.NUMATopology(
            cells=[cell(pinned=(1,))])), 'numa.cells[0].pinned_cpus')

    def test_rejects_a_cell_id_given_twice(self):
        self._refused(node_with(objects.NUMATopology(
            cells=[cell(0), cell(0, (4,), (5,))])), 'numa.cells[1].id')

    def test_rejects_a_negative_page_count(self):
        self._refused(node_with(objects.NUMATopology(
            cells=[cell(pages=[(2048, -1)])])),
            'numa.cells[0].mempages[0].total')

    def test_rejects_a_vf_without_its_pf(self):
        self._refused(node_with(devices=[vf(parent=None)]),
                      'pci_devices[0].parent_addr')

    def test_rejects_an_unknown_device_type(self):
        dev = vf()
        dev.dev_type = 'type-GPU'
        self._refused(node_with(devices=[dev]), 'pci_devices[0].dev_type')

    def test_rejects_a_device_address_given_twice(self):
        self._refused(node_with(devices=[vf(), vf()]),
                      'pci_devices[1].address')


class TestBackport(testtools.TestCase):

    def test_a_1_1_peer_gets_neither_numa_nor_devices(self):
        node = node_with(objects.NUMATopology(cells=[cell()]), [vf()])
        data = node.obj_to_primitive(
            target_version='1.1')['versioned_object.data']
        self.assertNotIn('numa', data)
        self.assertNotIn('pci_devices', data)
        self.assertIn('resources', data)

    def test_a_report_without_them_offers_no_numa_placement(self):
        node = compute_node.ComputeNode.obj_from_primitive(
            test_compute_node.good_node().obj_to_primitive(
                target_version='1.1'))
        node.validate()
        facts = host_state.node_facts(node)
        self.assertEqual((), facts['numa_cells'])
        self.assertEqual((), facts['pci_pools'])
