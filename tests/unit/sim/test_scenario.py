"""The default scenario's scheduler configuration and flavors."""

import os

import fixtures
import testtools

from gantt import conf as gantt_conf
from gantt import exception
from gantt import numa_request
from gantt import objects
from gantt.sim import conductor
from gantt.sim import scenario


class TestConfText(testtools.TestCase):

    def _conf(self, text):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'gantt.conf')
        with open(path, 'w') as f:
            f.write(text)
        return gantt_conf.build_conf(['--config-file', path])

    def test_a_scheduler_reading_it_has_the_aliases_filters_and_weigher(self):
        conf = self._conf(scenario.conf_text())
        self.assertEqual(list(scenario.ALIASES), conf.pci.alias)
        filters = conf.filter_scheduler.enabled_filters
        self.assertIn('NUMATopologyFilter', filters)
        self.assertIn('PciPassthroughFilter', filters)
        self.assertIn('RamFilter', filters)
        self.assertIn('PCIWeigher', conf.filter_scheduler.enabled_weighers)
        self.assertEqual(['gpu', 'vf-physnet1'], sorted(
            numa_request.parse_aliases(conf.pci.alias)))

    def test_without_it_the_pci_flavors_are_refused_by_name(self):
        gpu = [f for _w, f in conductor.make_flavors(numa=True)
               if f.name == 'sim.gpu'][0]
        err = self.assertRaises(
            exception.InvalidRequest, numa_request.constraints, gpu,
            objects.ImageMetaProps(), ())
        self.assertIn('gpu', str(err))


class TestFlavors(testtools.TestCase):

    def setUp(self):
        super().setUp()
        objects.register_all()

    def test_every_kind_is_asked_and_each_flavor_is_a_valid_request(self):
        kinds = set()
        for row in scenario.FLAVORS:
            _w, name, vcpus, ram, disk, kind, specs = row
            kinds.add(kind)
            flavor = objects.Flavor(name=name, vcpus=vcpus, memory_mb=ram,
                                    root_gb=disk, extra_specs=dict(specs))
            wanted = numa_request.constraints(
                flavor, objects.ImageMetaProps(), scenario.ALIASES)
            self.assertIsNotNone(wanted.topology, name)
            if kind == scenario.PINNED:
                self.assertTrue(wanted.topology.pinned, name)
            if kind == scenario.HUGEPAGES:
                self.assertTrue(wanted.topology.pagesize, name)
            if kind == scenario.PCI:
                self.assertTrue(wanted.pci, name)
        self.assertEqual(set(scenario.KINDS) - {scenario.PLAIN}, kinds)

    def test_about_one_request_in_ten_asks_numa_or_pci(self):
        plain = sum(row[0] for row in conductor.FLAVORS)
        numa = sum(row[0] for row in scenario.FLAVORS)
        self.assertTrue(0.05 < numa / float(plain + numa) < 0.2)
