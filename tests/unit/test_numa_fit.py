"""Fitting guest NUMA topologies onto host cells: pinning and thread
policies, huge pages, shared CPUs and memory within the ratios, and PCI
devices with their NUMA affinity."""

import testtools

from gantt import numa_fit as nf
from gantt import numa_request as nr
from gantt import pci_pools
from gantt import request as rq

ALIASES = [
    '{"name": "nic", "vendor_id": "8086", "product_id": "154c", '
    '"device_type": "type-VF"}',
    '{"name": "gpu", "vendor_id": "10de", "product_id": "1eb8"}',
]


def cell(cell_id=0, shared=(), dedicated=(), threads=1, memory=8192,
         memory_usage=0, cpu_usage=0, pinned=(), pages=(), socket=0):
    cpus = sorted(set(shared) | set(dedicated))
    siblings = [cpus[i:i + threads] for i in range(0, len(cpus), threads)]
    return {'id': cell_id, 'cpuset': list(shared),
            'pcpuset': list(dedicated), 'siblings': siblings,
            'memory': memory, 'memory_usage': memory_usage,
            'cpu_usage': cpu_usage, 'pinned_cpus': list(pinned),
            'mempages': [{'size_kb': s, 'total': t, 'used': u,
                          'reserved': 0} for s, t, u in pages],
            'socket': socket}


def ask(vcpus=2, memory_mb=2048, image=None, **specs):
    flavor = rq.Flavor('f', 'f', vcpus, memory_mb, 1, 0, 0,
                       {k.replace('__', ':').replace('_dot_', '.'): v
                        for k, v in specs.items()})
    return nr.constraints(flavor, image, ALIASES)


def fit(cells, constraints, devices=(), cpu_ratio=16.0, ram_ratio=1.0):
    return nf.fit(nf.host_cells_from_dicts(cells), constraints.topology,
                  cpu_ratio, ram_ratio, pci_pools.pools(devices),
                  constraints.pci)


def vf(address, numa, parent='0000:81:00.0'):
    return {'address': address, 'vendor_id': '8086', 'product_id': '154c',
            'dev_type': 'type-VF', 'parent_addr': parent, 'numa_node': numa}


class TestPinning(testtools.TestCase):

    def test_pins_each_vcpu_to_a_free_pcpu_of_one_cell(self):
        got = fit([cell(0, shared=[0, 1]),
                   cell(1, dedicated=[2, 3, 4, 5], pinned=[2])],
                  ask(hw__cpu_policy='dedicated'))
        self.assertEqual(1, got.cells[0].host_id)
        self.assertEqual({0, 1}, set(got.cells[0].pinning))
        self.assertFalse({2} & set(got.cells[0].pinning.values()))

    def test_refuses_when_free_pcpus_run_out(self):
        self.assertIsNone(fit([cell(0, dedicated=[0, 1, 2], pinned=[0, 1])],
                              ask(hw__cpu_policy='dedicated')))

    def test_require_refuses_a_host_without_threads(self):
        c = ask(hw__cpu_policy='dedicated', hw__cpu_thread_policy='require')
        self.assertIsNone(fit([cell(0, dedicated=range(8))], c))
        got = fit([cell(0, dedicated=range(8), threads=2)], c)
        self.assertEqual({0: 0, 1: 1}, got.cells[0].pinning)

    def test_isolate_pins_on_a_host_without_threads(self):
        c = ask(hw__cpu_policy='dedicated', hw__cpu_thread_policy='isolate')
        got = fit([cell(0, dedicated=range(4), pinned=[0])], c)
        self.assertEqual([1, 2], sorted(got.cells[0].pinning.values()))

    def test_isolate_refuses_a_host_with_threads(self):
        # As the controller: a dedicated set on SMT cores cannot give a
        # guest cores of its own.
        c = ask(hw__cpu_policy='dedicated', hw__cpu_thread_policy='isolate')
        self.assertIsNone(fit([cell(0, shared=[0, 1],
                                    dedicated=range(2, 10), threads=2)], c))

    def test_isolated_emulator_threads_need_one_more_pcpu(self):
        c = ask(hw__cpu_policy='dedicated',
                hw__emulator_threads_policy='isolate')
        self.assertIsNone(fit([cell(0, dedicated=[0, 1])], c))
        got = fit([cell(0, dedicated=[0, 1, 2])], c)
        self.assertEqual(frozenset({2}), got.cells[0].reserved)

    def test_mixed_pins_only_the_masked_vcpus(self):
        got = fit([cell(0, shared=[0, 1], dedicated=[2, 3])],
                  ask(vcpus=3, hw__cpu_policy='mixed',
                      hw__cpu_dedicated_mask='^0'))
        self.assertEqual({1, 2}, set(got.cells[0].pinning))


class TestMemory(testtools.TestCase):

    def test_large_pages_use_the_huge_page_pool(self):
        got = fit([cell(0, shared=[0, 1], pages=[(4, 2097152, 0),
                                                 (2048, 1024, 0)])],
                  ask(hw__mem_page_size='large'))
        self.assertEqual(2048, got.cells[0].pagesize)

    def test_refuses_when_the_pool_lacks_free_pages(self):
        self.assertIsNone(fit([cell(0, shared=[0, 1],
                                    pages=[(4, 2097152, 0),
                                           (2048, 1024, 1000)])],
                              ask(hw__mem_page_size='2048')))

    def test_refuses_a_size_the_cell_has_no_pool_of(self):
        self.assertIsNone(fit([cell(0, shared=[0, 1],
                                    pages=[(4, 2097152, 0)])],
                              ask(hw__mem_page_size='1GB')))

    def test_pinned_memory_is_never_overcommitted(self):
        c = ask(hw__cpu_policy='dedicated')
        busy = cell(0, dedicated=[0, 1], memory=4096, memory_usage=3000)
        self.assertIsNone(fit([busy], c, ram_ratio=2.0))

    def test_shared_memory_within_the_ram_ratio(self):
        busy = cell(0, shared=[0, 1], memory=4096, memory_usage=3000)
        c = ask(hw__numa_nodes='1')
        self.assertIsNone(fit([busy], c, ram_ratio=1.0))
        self.assertIsNotNone(fit([busy], c, ram_ratio=1.5))


class TestCells(testtools.TestCase):

    def test_two_guest_nodes_go_to_two_host_cells(self):
        got = fit([cell(0, dedicated=[0, 1]), cell(1, dedicated=[2, 3])],
                  ask(hw__cpu_policy='dedicated', hw__numa_nodes='2'))
        self.assertEqual({0, 1}, {c.host_id for c in got.cells})

    def test_refuses_more_guest_nodes_than_host_cells(self):
        self.assertIsNone(fit([cell(0, shared=range(8))],
                              ask(hw__numa_nodes='2')))

    def test_shared_vcpus_within_the_cpu_ratio(self):
        c = ask(vcpus=2, hw__numa_nodes='1')
        full = cell(0, shared=[0, 1], cpu_usage=3)
        self.assertIsNone(fit([full], c, cpu_ratio=2.0))
        self.assertIsNotNone(fit([full], c, cpu_ratio=4.0))


class TestDevices(testtools.TestCase):

    def _cells(self):
        return [cell(0, dedicated=[0, 1]), cell(1, dedicated=[2, 3])]

    def test_legacy_affinity_takes_a_device_of_the_guest_cell(self):
        got = fit(self._cells(), ask(hw__cpu_policy='dedicated',
                                     pci_passthrough__alias='nic:1'),
                  [vf('0000:81:00.1', 1)])
        self.assertEqual(1, got.cells[0].host_id)
        self.assertEqual((['0000:81:00.1'],), got.pci)

    def test_required_affinity_refuses_a_device_elsewhere(self):
        c = ask(hw__cpu_policy='dedicated', pci_passthrough__alias='nic:1',
                hw__pci_numa_affinity_policy='required')
        cells = [cell(0, dedicated=[0, 1]), cell(1, shared=[2, 3])]
        self.assertIsNone(fit(cells, c, [vf('0000:81:00.1', 1)]))

    def test_preferred_affinity_falls_back_to_another_cell(self):
        c = ask(hw__cpu_policy='dedicated', pci_passthrough__alias='nic:1',
                hw__pci_numa_affinity_policy='preferred')
        cells = [cell(0, dedicated=[0, 1]), cell(1, shared=[2, 3])]
        got = fit(cells, c, [vf('0000:81:00.1', 1)])
        self.assertEqual(0, got.cells[0].host_id)

    def test_socket_affinity_accepts_a_cell_of_the_same_socket(self):
        c = ask(hw__cpu_policy='dedicated', pci_passthrough__alias='nic:1',
                hw__pci_numa_affinity_policy='socket')
        cells = [cell(0, dedicated=[0, 1], socket=0),
                 cell(1, shared=[2, 3], socket=0),
                 cell(2, shared=[4, 5], socket=1)]
        self.assertIsNotNone(fit(cells, c, [vf('0000:81:00.1', 1)]))
        self.assertIsNone(fit(cells, c, [vf('0000:81:00.1', 2)]))
