"""Pinned guests ask the store for PCPU, shared ones for VCPU, as the
scheduler Gantt replaces asks placement; computes offer PCPU from the
dedicated CPUs of their NUMA cells."""

import testscenarios
import testtools

from gantt import cpu_resources
from gantt import exception
from gantt import objects
from gantt import request as rq
from tests.unit.objects import test_numa

load_tests = testscenarios.load_tests_apply_scenarios
objects.register_all()


def asked(vcpus=4, image_props=None, **specs):
    """The root resources a RequestSpec of such a flavor asks for."""
    spec = objects.RequestSpec(
        flavor=objects.Flavor(
            vcpus=vcpus, memory_mb=4096, root_gb=10, ephemeral_gb=0, swap=0,
            extra_specs={k.replace('__', ':'): v for k, v in specs.items()}),
        image=objects.ImageMeta(properties=objects.ImageMetaProps(
            **(image_props or {}))))
    return rq.from_spec(spec).resources


class TestCpuClasses(testtools.TestCase):

    scenarios = [
        ('shared flavor asks VCPU',
         dict(specs={}, cpus={'VCPU': 4})),
        ('hw:cpu_policy=shared asks VCPU',
         dict(specs={'hw__cpu_policy': 'shared'}, cpus={'VCPU': 4})),
        ('a huge-page guest without pinning asks VCPU',
         dict(specs={'hw__mem_page_size': 'large'}, cpus={'VCPU': 4})),
        ('dedicated asks PCPU for every vCPU and no VCPU',
         dict(specs={'hw__cpu_policy': 'dedicated'},
              cpus={'VCPU': 0, 'PCPU': 4})),
        ('dedicated with isolated emulator threads asks one PCPU more',
         dict(specs={'hw__cpu_policy': 'dedicated',
                     'hw__emulator_threads_policy': 'isolate'},
              cpus={'VCPU': 0, 'PCPU': 5})),
        ('dedicated on two NUMA nodes asks the same PCPU',
         dict(specs={'hw__cpu_policy': 'dedicated', 'hw__numa_nodes': '2'},
              cpus={'VCPU': 0, 'PCPU': 4})),
        ('mixed asks PCPU for the mask and VCPU for the rest',
         dict(specs={'hw__cpu_policy': 'mixed',
                     'hw__cpu_dedicated_mask': '^0'},
              cpus={'VCPU': 1, 'PCPU': 3})),
        ('mixed with isolated emulator threads',
         dict(specs={'hw__cpu_policy': 'mixed',
                     'hw__cpu_dedicated_mask': '2-3',
                     'hw__emulator_threads_policy': 'isolate'},
              cpus={'VCPU': 2, 'PCPU': 3})),
        ('resources:PCPU is asked as given, without VCPU',
         dict(specs={'resources__PCPU': '4'}, cpus={'PCPU': 4})),
        ('resources:PCPU with isolated emulator threads',
         dict(specs={'resources__PCPU': '5',
                     'hw__emulator_threads_policy': 'isolate'},
              cpus={'PCPU': 5})),
        ('resources:VCPU overrides the flavor\'s vCPUs',
         dict(specs={'resources__VCPU': '2'}, cpus={'VCPU': 2})),
        ('a numbered group naming PCPU leaves the unnumbered one no VCPU',
         dict(specs={'resources1:PCPU': '2', 'resources2:PCPU': '2'},
              cpus={})),
    ]

    def test_cpu_classes_asked(self):
        got = asked(**self.specs)
        self.assertEqual(self.cpus, {rc: n for rc, n in got.items()
                                     if rc in ('VCPU', 'PCPU')})
        self.assertEqual(4096, got['MEMORY_MB'])


class TestImage(testtools.TestCase):

    def test_image_dedicated_policy_asks_pcpu(self):
        got = asked(image_props={'hw_cpu_policy': 'dedicated'})
        self.assertEqual((0, 4), (got['VCPU'], got['PCPU']))

    def test_pcpu_with_a_cpu_policy_is_refused_naming_both(self):
        exc = self.assertRaises(exception.InvalidRequest, asked,
                                hw__cpu_policy='dedicated',
                                resources__PCPU='4')
        self.assertIn('resources:PCPU', str(exc))
        self.assertIn('hw:cpu_policy', str(exc))


class TestFlavorResources(testtools.TestCase):

    def test_flavor_resources_of_a_pinned_spec_ask_pcpu(self):
        spec = objects.RequestSpec(flavor=objects.Flavor(
            vcpus=2, memory_mb=1024, root_gb=1, ephemeral_gb=0, swap=0,
            extra_specs={'hw:cpu_policy': 'dedicated'}))
        self.assertEqual({'VCPU': 0, 'PCPU': 2, 'MEMORY_MB': 1024,
                          'DISK_GB': 1}, rq.flavor_resources(spec))


class TestDedicatedCount(testtools.TestCase):

    def test_counts_the_dedicated_cpus_of_every_cell(self):
        numa = objects.NUMATopology(cells=[
            test_numa.cell(0, cpuset=(0, 1), pcpuset=(2, 3)),
            test_numa.cell(1, cpuset=(4,), pcpuset=(5, 6, 7))])
        self.assertEqual(5, cpu_resources.dedicated_count(numa))

    def test_no_topology_offers_no_pcpu(self):
        self.assertEqual(0, cpu_resources.dedicated_count(None))
        self.assertEqual(0, cpu_resources.dedicated_count(
            objects.NUMATopology(cells=[
                test_numa.cell(0, cpuset=(0, 1), pcpuset=())])))
