"""AggregateTypeAffinityFilter: aggregates that admit only some flavors."""

import testscenarios

from gantt import objects
from gantt.filters import type_affinity
from tests.unit.filters import base
from tests.unit.filters import matchers
from tests.unit import hosts as test_hosts

ALL = ['bare', 'kvm1', 'kvm2', 'qemu', 'xen']


class AggregateTypeAffinityFilterTestCase(testscenarios.WithScenarios,
                                          base.FilterTestCase):

    filter_class = type_affinity.AggregateTypeAffinityFilter

    # Only ssd (kvm1, kvm2) sets instance_type_name: "m1.small,m1.large".
    scenarios = [
        ('first_listed', {'name': 'm1.small', 'expected': ALL}),
        ('second_listed', {'name': 'm1.large', 'expected': ALL}),
        ('unlisted', {'name': 'm1.tiny',
                      'expected': ['bare', 'qemu', 'xen']}),
        ('prefix_of_listed', {'name': 'm1',
                              'expected': ['bare', 'qemu', 'xen']}),
        ('whole_list_is_not_a_name', {'name': 'm1.small,m1.large',
                                      'expected': ['bare', 'qemu', 'xen']}),
        ('no_name', {'name': None, 'expected': ['bare', 'qemu', 'xen']}),
    ]

    def test_filter(self):
        request = self.request(flavor=matchers.flavor(name=self.name))
        self.assert_filter(matchers.varied_state(), request, self.expected)
        matchers.assert_paths_agree(self, self.make_filter(),
                                    matchers.varied_state(), request)


class AggregateTypeAffinityDetailsTestCase(base.FilterTestCase):

    filter_class = type_affinity.AggregateTypeAffinityFilter

    def test_runs_once_per_request(self):
        self.assertTrue(self.filter_class.run_filter_once_per_request)

    def test_union_of_aggregates(self):
        state = test_hosts.make_state(
            [dict(name='a'), dict(name='b')],
            [dict(name='x', hosts=['a', 'b'],
                  metadata={'instance_type_name': 'big'}),
             dict(name='y', hosts=['a'],
                  metadata={'instance_type_name': ' small , tiny'})])
        self.assert_filter(state, self.request(
            flavor=matchers.flavor(name='tiny')), ['a'])
        self.assert_filter(state, self.request(
            flavor=matchers.flavor(name='big')), ['a', 'b'])

    def test_compute_controller_key(self):
        state = test_hosts.make_state(
            [dict(name='a'), dict(name='b'), dict(name='c')],
            [dict(name='x', hosts=['a'],
                  metadata={'instance_type': 'big, huge'}),
             dict(name='y', hosts=['b'],
                  metadata={'instance_type_name': 'small'}),
             dict(name='z', hosts=['b'],
                  metadata={'instance_type': 'huge'})])
        self.assert_filter(state, self.request(
            flavor=matchers.flavor(name='huge')), ['a', 'b', 'c'])
        self.assert_filter(state, self.request(
            flavor=matchers.flavor(name='small')), ['b', 'c'])
        self.assert_filter(state, self.request(
            flavor=matchers.flavor(name='tiny')), ['c'])

    def test_request_without_flavor(self):
        self.assert_filter(matchers.varied_state(), self.request(),
                           ['bare', 'qemu', 'xen'])

    def test_flavor_without_name_set(self):
        request = self.request(flavor=objects.Flavor())
        self.assert_filter(matchers.varied_state(), request,
                           ['bare', 'qemu', 'xen'])
