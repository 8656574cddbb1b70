"""AggregateImagePropertiesIsolation: image properties vs aggregates."""

import testscenarios

from gantt.filters import aggregate_image_properties_isolation as aipi
from tests.unit.filters import base
from tests.unit.filters import matchers

ALL = ['bare', 'kvm1', 'kvm2', 'qemu', 'xen']
GROUP = 'filter_scheduler'


def _case(props, expected, namespace=None, separator='.'):
    return {'props': props, 'expected': expected,
            'conf_overrides': {GROUP: {
                'aggregate_image_properties_isolation_namespace': namespace,
                'aggregate_image_properties_isolation_separator': separator,
            }}}


class AggregateImagePropertiesIsolationTestCase(testscenarios.WithScenarios,
                                                base.FilterTestCase):

    filter_class = aipi.AggregateImagePropertiesIsolation

    # ssd (kvm1, kvm2): os_distro=ubuntu, ssd=true; gpu (kvm1, qemu):
    # os_distro=fedora, isolation.tier=gold; slow (xen): ssd=false,
    # hw_numa_nodes=2; bare is in no aggregate.
    scenarios = [
        ('no_properties', _case({}, ALL)),
        ('property_no_aggregate_names', _case({'hw_architecture': 'x86_64'},
                                              ALL)),
        ('typed_property', _case({'os_distro': 'ubuntu'},
                                 ['bare', 'kvm1', 'kvm2', 'xen'])),
        ('any_aggregate_of_the_host', _case({'os_distro': 'fedora'},
                                            ['bare', 'kvm1', 'qemu', 'xen'])),
        ('value_nowhere', _case({'os_distro': 'debian'}, ['bare', 'xen'])),
        ('extra_property', _case({'ssd': 'true'},
                                 ['bare', 'kvm1', 'kvm2', 'qemu'])),
        ('integer_property', _case({'hw_numa_nodes': 2}, ALL)),
        ('integer_property_differs', _case({'hw_numa_nodes': 1},
                                           ['bare', 'kvm1', 'kvm2', 'qemu'])),
        ('every_property_must_match',
         _case({'os_distro': 'ubuntu', 'ssd': 'false'}, ['bare', 'xen'])),
        ('namespace_ignores_other_keys',
         _case({'os_distro': 'debian'}, ALL, namespace='isolation')),
        ('namespace_key_checked',
         _case({'isolation.tier': 'silver'}, ['bare', 'kvm2', 'xen'],
               namespace='isolation')),
        ('namespace_key_matches',
         _case({'isolation.tier': 'gold', 'os_distro': 'debian'}, ALL,
               namespace='isolation')),
        ('no_namespace_checks_namespaced_keys_too',
         _case({'isolation.tier': 'silver'}, ['bare', 'kvm2', 'xen'])),
        ('separator_must_follow_namespace',
         _case({'isolation.tier': 'silver'}, ALL, namespace='isolation',
               separator='_')),
    ]

    def test_filter(self):
        request = self.request(image=matchers.image(**self.props))
        self.assert_filter(matchers.varied_state(), request, self.expected)
        matchers.assert_paths_agree(self, self.make_filter(),
                                    matchers.varied_state(), request)


class AggregateImagePropertiesIsolationDetailsTestCase(base.FilterTestCase):

    filter_class = aipi.AggregateImagePropertiesIsolation

    def test_runs_once_per_request(self):
        self.assertTrue(self.filter_class.run_filter_once_per_request)

    def test_request_without_image_passes_all(self):
        self.assert_filter(matchers.varied_state(), self.request(), ALL)
