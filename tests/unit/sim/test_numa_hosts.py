"""The default scenario's hosts: NUMA cells, pinned CPU sets, huge pages
and PCI devices that the scenario's flavors and aliases can use."""

import testtools

from gantt import numa_fit
from gantt import numa_request
from gantt import objects
from gantt import pci_pools
from gantt.sim import computes
from gantt.sim import conductor
from gantt.sim import numa_hosts
from gantt.sim import scenario


def _constraints(flavor):
    return numa_request.constraints(flavor, objects.ImageMetaProps(),
                                    scenario.ALIASES)


_FLEET = []


def _fleet():
    """One fleet for every test here: building it is the slow part."""
    if not _FLEET:
        _FLEET.append(computes.Fleet(300, seed=4, numa=True))
    return _FLEET[0]


class TestNumaFleet(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.fleet = _fleet()

    def test_every_node_reports_two_valid_cells_covering_its_cpus(self):
        for node in self.fleet.nodes:
            node.validate()
            cells = node.numa.cells
            self.assertEqual([0, 1], [c.id for c in cells])
            cpus = [cpu for c in cells for cpu in c.cpuset + c.pcpuset]
            self.assertEqual(len(cpus), len(set(cpus)))
            self.assertLessEqual(len(cpus), node.resources.vcpus)
            self.assertEqual(node.resources.memory_mb,
                             sum(c.memory for c in cells))
            for cell in cells:
                self.assertEqual(
                    cell.memory * 1024,
                    sum(p.size_kb * p.total for p in cell.mempages))

    def test_nfv_hosts_have_dedicated_siblings_and_huge_pages(self):
        nfv = [n for n in self.fleet.nodes if n.numa.cells[0].pcpuset]
        self.assertTrue(0.08 < len(nfv) / 300.0 < 0.25, len(nfv))
        with_smt = 0
        for node in nfv:
            for cell in node.numa.cells:
                sizes = {p.size_kb for p in cell.mempages}
                self.assertEqual({4, numa_hosts.HUGE_PAGE_KB}, sizes)
                self.assertTrue(cell.cpuset)
                # Whole cores are dedicated: no sibling set is split.
                for sibs in cell.siblings:
                    self.assertIn(len(set(sibs) & set(cell.pcpuset)),
                                  (0, len(sibs)))
            with_smt += bool(node.numa.cells[0].siblings)
        self.assertTrue(0 < with_smt < len(nfv))
        others = [n for n in self.fleet.nodes if n not in nfv]
        for node in others:
            for cell in node.numa.cells:
                self.assertEqual([4], [p.size_kb for p in cell.mempages])
                self.assertFalse(cell.pcpuset)

    def test_devices_serve_the_scenario_aliases_on_some_hosts(self):
        served = {'gpu': 0, 'vf-physnet1': 0}
        aliases = numa_request.parse_aliases(scenario.ALIASES)
        for node in self.fleet.nodes:
            pools = pci_pools.pools(node.pci_devices)
            for name in served:
                request = numa_request.pci_requests(
                    {'pci_passthrough:alias': '%s:1' % name}, None,
                    aliases)
                served[name] += pci_pools.support(pools, request)
        self.assertTrue(5 < served['gpu'] < 40, served)
        self.assertTrue(15 < served['vf-physnet1'] < 80, served)

    def test_same_seed_same_topologies(self):
        again = computes.Fleet(300, seed=4, numa=True)
        self.assertEqual(
            [n.numa.obj_to_primitive() for n in self.fleet.nodes[:20]],
            [n.numa.obj_to_primitive() for n in again.nodes[:20]])
        self.assertEqual(
            [[d.address for d in n.pci_devices] for n in self.fleet.nodes],
            [[d.address for d in n.pci_devices] for n in again.nodes])

    def test_the_rest_of_each_node_is_the_plain_fleets(self):
        plain = computes.Fleet(300, seed=4)
        self.assertEqual([n.uuid for n in plain.nodes],
                         [n.uuid for n in self.fleet.nodes])
        self.assertEqual(
            [n.resources.obj_to_primitive() for n in plain.nodes],
            [n.resources.obj_to_primitive() for n in self.fleet.nodes])
        self.assertFalse(plain.nodes[0].obj_attr_is_set('numa') and
                         plain.nodes[0].numa)

    def test_every_scenario_flavor_fits_some_host_and_not_all(self):
        for flavor in [f for _w, f in conductor.make_flavors(numa=True)
                       if f.extra_specs]:
            wanted = _constraints(flavor)
            fits = sum(
                numa_fit.fit(numa_fit.host_cells(n.numa), wanted.topology,
                             4.0, 1.0, pci_pools.pools(n.pci_devices),
                             wanted.pci) is not None
                for n in self.fleet.nodes)
            self.assertTrue(0 < fits < 300, (flavor.name, fits))
