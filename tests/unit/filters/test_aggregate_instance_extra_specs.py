"""AggregateInstanceExtraSpecsFilter: flavor extra specs vs aggregates."""

import testscenarios

from gantt.filters import aggregate_instance_extra_specs as aies
from tests.unit.filters import base
from tests.unit.filters import matchers

ALL = ['bare', 'kvm1', 'kvm2', 'qemu', 'xen']
SCOPE = 'aggregate_instance_extra_specs:'


def _case(extra_specs, expected):
    return {'extra_specs': extra_specs, 'expected': expected}


class AggregateInstanceExtraSpecsFilterTestCase(testscenarios.WithScenarios,
                                                base.FilterTestCase):

    filter_class = aies.AggregateInstanceExtraSpecsFilter

    scenarios = [
        ('no_extra_specs', _case({}, ALL)),
        ('other_scopes_ignored',
         _case({'hw:cpu_policy': 'dedicated',
                'capabilities:hypervisor_type': 'kvm',
                'net:speed': '100'}, ALL)),
        ('scoped', _case({SCOPE + 'ssd': 'true'}, ['kvm1', 'kvm2'])),
        ('unscoped', _case({'ssd': 'false'}, ['xen'])),
        ('or_operator', _case({'ssd': '<or> true <or> false'},
                              ['kvm1', 'kvm2', 'xen'])),
        ('numeric_operator', _case({SCOPE + 'gpus': '>= 2'},
                                   ['kvm1', 'qemu'])),
        ('numeric_operator_too_few', _case({SCOPE + 'gpus': '>= 8'}, [])),
        ('numeric_operator_on_text', _case({'ssd': '= 1'}, [])),
        ('key_on_no_aggregate', _case({'nokey': 'x'}, [])),
        ('every_spec_must_match', _case({'ssd': 'true', 'gpus': '4'},
                                        ['kvm1'])),
        ('comma_separated_values', _case({'filter_tenant_id': 'p2'},
                                         ['kvm1', 'kvm2'])),
        ('any_aggregate_value', _case({'os_distro': 'fedora'},
                                      ['kvm1', 'qemu'])),
        ('scoped_key_with_colon', _case({SCOPE + 'net:speed': '>= 10'},
                                        ['xen'])),
        ('substring_operator', _case({'os_distro': '<in> ubu'},
                                     ['kvm1', 'kvm2'])),
    ]

    def test_filter(self):
        request = self.request(
            flavor=matchers.flavor(extra_specs=self.extra_specs))
        self.assert_filter(matchers.varied_state(), request, self.expected)
        matchers.assert_paths_agree(self, self.make_filter(),
                                    matchers.varied_state(), request)


class AggregateInstanceExtraSpecsDetailsTestCase(base.FilterTestCase):

    filter_class = aies.AggregateInstanceExtraSpecsFilter

    def test_runs_once_per_request(self):
        self.assertTrue(self.filter_class.run_filter_once_per_request)

    def test_request_without_flavor_passes_all(self):
        self.assert_filter(matchers.varied_state(), self.request(), ALL)

    def test_follows_aggregate_changes(self):
        state = matchers.varied_state()
        request = self.request(flavor=matchers.flavor(
            extra_specs={'ssd': 'true'}))
        state.set_aggregate('ssd', 'ssd', ['kvm2', 'qemu'], {'ssd': 'true'})
        self.assert_filter(state, request, ['kvm2', 'qemu'])
        state.remove_aggregate('ssd')
        self.assert_filter(state, request, [])
