"""Resource class and trait names: standard, custom, malformed."""

import os_resource_classes
import testscenarios
import testtools

from gantt import exception
from gantt import resource_classes
from gantt import traits


class TestResourceClassNames(testscenarios.WithScenarios,
                             testtools.TestCase):

    scenarios = [
        ('standard', dict(name='VGPU_DISPLAY_HEAD', valid=True)),
        ('numa', dict(name='NUMA_MEMORY_MB', valid=True)),
        ('packet rate', dict(name='NET_PACKET_RATE_EGR_KILOPACKET_PER_SEC',
                             valid=True)),
        ('custom', dict(name='CUSTOM_BAREMETAL_GOLD', valid=True)),
        ('unknown standard', dict(name='VCPUS', valid=False)),
        ('lower-case custom', dict(name='CUSTOM_gold', valid=False)),
        ('bare prefix', dict(name='CUSTOM_', valid=False)),
        ('empty', dict(name='', valid=False)),
    ]

    def test_validate(self):
        if self.valid:
            self.assertEqual(self.name, resource_classes.validate(self.name))
            self.assertTrue(resource_classes.is_valid(self.name))
        else:
            e = self.assertRaises(exception.InvalidResourceClass,
                                  resource_classes.validate, self.name)
            self.assertIn(repr(self.name), str(e))
            self.assertFalse(resource_classes.is_valid(self.name))


class TestTraitNames(testscenarios.WithScenarios, testtools.TestCase):

    scenarios = [
        ('os-traits', dict(name='HW_CPU_X86_AVX2', valid=True)),
        ('sharing', dict(name='MISC_SHARES_VIA_AGGREGATE', valid=True)),
        ('custom', dict(name='CUSTOM_FAST_NIC', valid=True)),
        ('unknown', dict(name='HW_CPU_X86_WARP_DRIVE', valid=False)),
        ('bad custom', dict(name='CUSTOM_fast-nic', valid=False)),
    ]

    def test_validate(self):
        if self.valid:
            self.assertEqual(self.name, traits.validate(self.name))
        else:
            e = self.assertRaises(exception.InvalidTrait, traits.validate,
                                  self.name)
            self.assertIn(repr(self.name), str(e))


class TestNormalizeCustom(testtools.TestCase):

    def test_free_text_becomes_a_custom_class(self):
        self.assertEqual('CUSTOM_BAREMETAL_GOLD',
                         resource_classes.normalize_custom('baremetal-gold'))
        self.assertEqual('CUSTOM_X', resource_classes.normalize_custom(
            'CUSTOM_X'))

    def test_free_text_is_normalised_as_nova_does(self):
        # Runs of other characters become one underscore, as
        # os_resource_classes.normalize_name makes them for nova.
        self.assertEqual(
            'CUSTOM_BAREMETAL_GOLD_1',
            resource_classes.normalize_custom('baremetal.-gold 1'))


class TestStandardClasses(testtools.TestCase):

    def test_every_os_resource_classes_name_is_standard(self):
        for name in os_resource_classes.STANDARDS:
            self.assertEqual(name, resource_classes.validate(name))
