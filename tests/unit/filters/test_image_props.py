"""ImagePropertiesFilter: image arch / hypervisor / mode / version."""

import operator

from oslo_config import cfg
import testscenarios
import testtools

from gantt import exception
from gantt import objects
from gantt.filters import image_props
from tests.unit.filters import base
from tests.unit.filters import matchers

ALL = ['bare', 'kvm1', 'kvm2', 'qemu', 'xen']


def _case(props, expected):
    return {'props': props, 'expected': expected}


class ImagePropertiesFilterTestCase(testscenarios.WithScenarios,
                                    base.FilterTestCase):

    filter_class = image_props.ImagePropertiesFilter

    scenarios = [
        ('no_properties', _case({}, ALL)),
        ('unrelated_properties', _case({'os_distro': 'ubuntu'}, ALL)),
        ('version_alone_is_ignored',
         _case({'img_hv_requested_version': '>=9.0'}, ALL)),
        ('arch', _case({'hw_architecture': 'x86_64'},
                       ['kvm1', 'kvm2', 'xen'])),
        ('arch_alias', _case({'hw_architecture': 'AMD64'},
                             ['kvm1', 'kvm2', 'xen'])),
        ('arch_i386_is_i686', _case({'hw_architecture': 'i386'}, ['kvm1'])),
        ('arch_unsupported', _case({'hw_architecture': 's390x'}, [])),
        ('hv_type', _case({'img_hv_type': 'qemu'}, ['qemu'])),
        ('hv_type_alias', _case({'img_hv_type': 'xapi'}, ['xen'])),
        ('vm_mode', _case({'hw_vm_mode': 'hvm'}, ['kvm1', 'kvm2', 'qemu'])),
        ('vm_mode_alias', _case({'hw_vm_mode': 'pv'}, ['xen'])),
        # Each value is compared with its own position of a host entry.
        ('vm_mode_is_not_hv_type', _case({'hw_vm_mode': 'kvm'}, [])),
        ('all_three', _case({'hw_architecture': 'i686', 'img_hv_type': 'kvm',
                             'hw_vm_mode': 'hvm'}, ['kvm1'])),
        ('all_three_from_different_entries',
         _case({'hw_architecture': 'aarch64', 'img_hv_type': 'kvm'}, [])),
        ('version_at_least',
         _case({'img_hv_type': 'kvm', 'img_hv_requested_version': '>=6.0'},
               ['kvm1'])),
        ('version_range',
         _case({'img_hv_type': 'kvm',
                'img_hv_requested_version': '>=4.0, <5'}, ['kvm2'])),
        ('version_exact_micro',
         _case({'img_hv_type': 'kvm',
                'img_hv_requested_version': '==6.1.2'}, ['kvm1'])),
        ('version_not_equal',
         _case({'img_hv_type': 'kvm',
                'img_hv_requested_version': '!=6.1.2'}, ['kvm2'])),
        # qemu reports 2000, read as version 2.0.
        ('version_short_int',
         _case({'hw_architecture': 'aarch64',
                'img_hv_requested_version': '<3'}, ['qemu'])),
        # A host that reports no version passes the version check.
        ('version_unreported_host',
         _case({'hw_vm_mode': 'xen', 'img_hv_requested_version': '>=99'},
               ['xen'])),
        # kvm1 reports 46 address bits; kvm2 and xen report none and pass.
        ('maxphysaddr_bits_within_the_host',
         _case({'hw_architecture': 'x86_64', 'hw_maxphysaddr_bits': 46},
               ['kvm1', 'kvm2', 'xen'])),
        ('maxphysaddr_bits_beyond_the_host',
         _case({'hw_architecture': 'x86_64', 'hw_maxphysaddr_bits': 48},
               ['kvm2', 'xen'])),
        # qemu's cpu_info is not JSON: it reports no bits.
        ('maxphysaddr_bits_unreadable_host',
         _case({'hw_architecture': 'aarch64', 'hw_maxphysaddr_bits': 48},
               ['qemu'])),
        # As nova: the bits are checked only with an arch, hv_type or mode.
        ('maxphysaddr_bits_alone_is_ignored',
         _case({'hw_maxphysaddr_bits': 48}, ALL)),
        ('version_pre_release',
         _case({'img_hv_type': 'kvm',
                'img_hv_requested_version': '>=6.1.2a1'}, ['kvm1'])),
    ]

    def test_filter(self):
        request = self.request(image=matchers.image(**self.props))
        self.assert_filter(matchers.varied_state(), request, self.expected)
        matchers.assert_paths_agree(self, self.make_filter(),
                                    matchers.varied_state(), request)


class ImagePropertiesDetailsTestCase(base.FilterTestCase):

    filter_class = image_props.ImagePropertiesFilter

    def test_runs_once_per_request(self):
        self.assertTrue(self.filter_class.run_filter_once_per_request)

    def test_request_without_image_passes_all(self):
        self.assert_filter(matchers.varied_state(), self.request(), ALL)

    def test_image_without_properties_passes_all(self):
        request = self.request(image=objects.ImageMeta(properties=None))
        self.assert_filter(matchers.varied_state(), request, ALL)

    def test_host_without_supported_instances_fails(self):
        request = self.request(image=matchers.image(hw_architecture='x86_64'))
        mask = matchers.assert_paths_agree(
            self, self.make_filter(), matchers.varied_state(), request)
        state = matchers.varied_state()
        self.assertFalse(mask[state.index['uuid-bare']])

    def test_a_node_is_judged_by_its_latest_report(self):
        # The state codes supported_instances lists as nodes report; a
        # changed list, and a row reused by another node, take new codes.
        state = matchers.varied_state()
        arm = {'supported_instances': [('aarch64', 'qemu', 'hvm')]}
        state.upsert_node('uuid-kvm1', 'kvm1', 'kvm1', None, 0.0, arm)
        state.remove_node('uuid-kvm2')
        state.upsert_node('uuid-arm2', 'arm2', 'arm2', None, 0.0, arm)
        state.upsert_node('uuid-xen', 'xen', 'xen', None, 0.0, {})
        request = self.request(image=matchers.image(hw_architecture='aarch64'))
        self.assert_filter(state, request, ['qemu', 'kvm1', 'arm2'])
        request = self.request(image=matchers.image(hw_architecture='x86_64'))
        self.assert_filter(state, request, [])

    def test_default_architecture_when_registered(self):
        self.conf.register_opt(
            cfg.StrOpt('image_properties_default_architecture'),
            group='filter_scheduler')
        self.conf.set_override('image_properties_default_architecture',
                               'aarch64', group='filter_scheduler')
        self.assert_filter(matchers.varied_state(), self.request(),
                           ['qemu'])
        request = self.request(image=matchers.image(hw_architecture='i686'))
        self.assert_filter(matchers.varied_state(), request, ['kvm1'])

    def test_image_maxphysaddr_bits_do_not_relax_the_flavor_ones(self):
        # Both are checked, each by its filter: the flavor's 40 bits do
        # not let a host short of the image's 48 through.
        request = self.request(
            flavor=matchers.flavor(extra_specs={'hw:maxphysaddr_bits': '40'}),
            image=matchers.image(hw_architecture='x86_64',
                                 hw_maxphysaddr_bits=48))
        self.assert_filter(matchers.varied_state(), request, ['kvm2', 'xen'])

    def test_maxphysaddr_bits_that_are_no_number_are_invalid_request(self):
        request = self.request(image=matchers.image(
            hw_architecture='x86_64', hw_maxphysaddr_bits='many'))
        error = self.assertRaises(
            exception.InvalidRequest, self.make_filter().filter_mask,
            matchers.varied_state(), request)
        self.assertIn('hw_maxphysaddr_bits', str(error))

    def test_bad_predicate_is_invalid_request(self):
        self.assertRaises(exception.InvalidRequest,
                          image_props.parse_predicate, '>>6')
        self.assertRaises(exception.InvalidRequest,
                          image_props.parse_predicate, 'six')


class VersionTestCase(testtools.TestCase):

    def test_version_tuple_groups_of_three_digits(self):
        self.assertEqual((6, 1, 2), image_props.version_tuple(6001002))
        self.assertEqual((1, 0), image_props.version_tuple(1000))
        self.assertEqual((), image_props.version_tuple(0))

    def test_parse_predicate(self):
        self.assertEqual([(operator.ge, (6, 0), False),
                          (operator.lt, (7,), False)],
                         image_props.parse_predicate('>= 6.0, <7'))
        self.assertEqual([(operator.eq, (6, 1), False)],
                         image_props.parse_predicate('6.1'))

    def test_version_ok(self):
        clauses = image_props.parse_predicate('>=6.0,<7')
        self.assertTrue(image_props.version_ok(6000000, clauses))
        self.assertTrue(image_props.version_ok(6999999, clauses))
        self.assertFalse(image_props.version_ok(7000000, clauses))
        self.assertFalse(image_props.version_ok(5999999, clauses))
        self.assertTrue(image_props.version_ok(0, clauses))
        self.assertTrue(image_props.version_ok(5, []))
