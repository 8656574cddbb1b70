"""ComputeCapabilitiesFilter: flavor extra specs against host attributes."""

import testscenarios

from gantt.filters import compute_capabilities
from tests.unit.filters import base
from tests.unit.filters import matchers
from tests.unit import hosts as test_hosts

ALL = ['bare', 'kvm1', 'kvm2', 'qemu', 'xen']


def _case(extra_specs, expected):
    return {'extra_specs': extra_specs, 'expected': expected}


class ComputeCapabilitiesFilterTestCase(testscenarios.WithScenarios,
                                        base.FilterTestCase):

    filter_class = compute_capabilities.ComputeCapabilitiesFilter

    scenarios = [
        ('no_extra_specs', _case({}, ALL)),
        ('other_scopes_ignored',
         _case({'hw:numa_nodes': '1', 'resources:VCPU': '2',
                'aggregate_instance_extra_specs:ssd': 'true',
                'trait:HW_CPU_X86_AVX': 'required'}, ALL)),
        ('unscoped_attribute', _case({'hypervisor_type': 'kvm'},
                                     ['kvm1', 'kvm2'])),
        ('scoped_attribute', _case({'capabilities:hypervisor_type': 'qemu'},
                                   ['qemu'])),
        ('or_operator',
         _case({'capabilities:hypervisor_type': '<or> qemu <or> xen'},
               ['qemu', 'xen'])),
        ('s_ne_operator',
         _case({'capabilities:hypervisor_type': 's!= kvm'},
               ['bare', 'qemu', 'xen'])),
        # A host with no hypervisor type may report one in its stats.
        ('attribute_missing_falls_back_to_stats',
         _case({'hypervisor_type': 'ironic'}, ['bare'])),
        ('numeric_at_least', _case({'free_ram_mb': '= 2048'},
                                   ['kvm1', 'kvm2', 'xen'])),
        ('numeric_le', _case({'capabilities:vcpus_total': '<= 4'},
                             ['bare', 'kvm2', 'qemu'])),
        ('numeric_equal_int', _case({'num_instances': '== 10'}, ['kvm2'])),
        ('hypervisor_version', _case({'hypervisor_version': '>= 4002000'},
                                     ['kvm1', 'kvm2'])),
        ('numeric_op_on_text', _case({'hypervisor_type': '= 1'}, [])),
        ('boolean_attribute', _case({'disabled': 'True'}, ['xen'])),
        ('host_ip', _case({'host_ip': 's== 10.0.0.2'}, ['kvm2'])),
        ('stats_key_unscoped', _case({'gpu': 'tesla'}, ALL)),
        ('unscoped_key_judges_only_hosts_that_have_it',
         _case({'gpu': 'k80'}, ['bare', 'kvm2', 'qemu', 'xen'])),
        ('unscoped_key_no_host_has_keeps_every_host',
         _case({'group_policy': 'none'}, ALL)),
        ('scoped_key_no_host_has_removes_every_host',
         _case({'capabilities:group_policy': 'none'}, [])),
        ('plain_number_matches_a_count',
         _case({'capabilities:vcpus_total': '16'}, ['kvm1'])),
        ('unscoped_plain_number_matches_a_count',
         _case({'vcpus_total': '4'}, ['kvm2'])),
        ('string_equal_matches_a_count',
         _case({'capabilities:free_ram_mb': 's== 7168'}, ['kvm1'])),
        ('substring_of_a_count',
         _case({'capabilities:free_ram_mb': '<in> 716'}, ['kvm1'])),
        ('ratio_keeps_its_decimal_point',
         _case({'capabilities:ram_allocation_ratio': '1.0'},
               ['bare', 'kvm1', 'kvm2', 'qemu', 'xen'])),
        ('hypervisor_hostname_is_the_node',
         _case({'capabilities:hypervisor_hostname': 'kvm2'}, ['kvm2'])),
        ('maxphysaddr_bits_asks_for_at_least_that_many',
         _case({'hw:maxphysaddr_bits': '40'}, ['kvm1'])),
        ('maxphysaddr_bits_more_than_any_host_has',
         _case({'hw:maxphysaddr_bits': '48'}, [])),
        ('stats_nested', _case({'capabilities:stats:numa': '>= 1'},
                               ['kvm1', 'kvm2'])),
        ('stats_key_missing', _case({'capabilities:stats:nope': 'x'}, [])),
        ('unknown_attribute', _case({'capabilities:no_such': 'x'}, [])),
        ('json_nested_key', _case({'capabilities:cpu_info:arch': 'x86_64'},
                                  ['kvm1', 'kvm2'])),
        ('json_two_levels',
         _case({'capabilities:cpu_info:topology:cores': '>= 4'}, ['kvm1'])),
        ('json_list_in', _case({'capabilities:cpu_info:features': '<in> aes'},
                               ['kvm1'])),
        ('json_list_all_in',
         _case({'capabilities:cpu_info:features': '<all-in> aes sse4_2'},
               ['kvm1'])),
        ('json_list_all_in_missing',
         _case({'capabilities:cpu_info:features': '<all-in> aes avx'}, [])),
        ('json_not_parsable', _case({'capabilities:cpu_info:arch': '<in> '},
                                    [])),
        ('nested_into_number', _case({'capabilities:vcpus_total:x': '1'},
                                     [])),
        ('every_spec_must_match',
         _case({'hypervisor_type': 'kvm', 'free_ram_mb': '>= 4096'},
               ['kvm1'])),
        ('whole_cpu_info_substring',
         _case({'capabilities:cpu_info': '<in> Intel'}, ['kvm1'])),
    ]

    def test_filter(self):
        request = self.request(
            flavor=matchers.flavor(extra_specs=self.extra_specs))
        self.assert_filter(matchers.varied_state(), request, self.expected)
        matchers.assert_paths_agree(self, self.make_filter(),
                                    matchers.varied_state(), request)


class ComputeCapabilitiesDetailsTestCase(base.FilterTestCase):

    filter_class = compute_capabilities.ComputeCapabilitiesFilter

    def test_runs_once_per_request(self):
        self.assertTrue(self.filter_class.run_filter_once_per_request)

    def test_request_without_flavor_passes_all(self):
        self.assert_filter(matchers.varied_state(), self.request(), ALL)

    def test_removed_host_is_not_kept(self):
        state = matchers.varied_state()
        state.remove_node('uuid-kvm2')
        request = self.request(
            flavor=matchers.flavor(extra_specs={'hypervisor_type': 'kvm'}))
        self.assert_filter(state, request, ['kvm1'])

    def test_empty_state(self):
        state = test_hosts.make_state([])
        request = self.request(
            flavor=matchers.flavor(extra_specs={'hypervisor_type': 'kvm'}))
        self.assertEqual(0, len(self.make_filter().filter_mask(state,
                                                               request)))

    def test_specs_helper_strips_scope(self):
        specs = compute_capabilities.capability_specs(
            {'capabilities:a:b': '1', 'c': '2', 'x:y': '3'})
        self.assertEqual([(['c'], '2', False), (['a', 'b'], '1', True)],
                         list(specs))

    def test_specs_helper_reads_maxphysaddr_bits_as_cpu_info(self):
        specs = compute_capabilities.capability_specs(
            {'hw:maxphysaddr_bits': '42'})
        self.assertEqual([(['cpu_info', 'maxphysaddr', 'bits'], '>= 42',
                           True)], list(specs))
