"""AggregateMultiTenancyIsolation: aggregates reserved for projects."""

import testscenarios

from gantt.filters import aggregate_multitenancy_isolation as amti
from tests.unit.filters import base
from tests.unit.filters import matchers
from tests.unit import hosts as test_hosts


class AggregateMultiTenancyIsolationTestCase(testscenarios.WithScenarios,
                                             base.FilterTestCase):

    filter_class = amti.AggregateMultiTenancyIsolation

    # ssd (kvm1, kvm2) admits p1 and p2; gpu (kvm1, qemu) admits p3;
    # bare and xen are in no reserved aggregate.
    scenarios = [
        ('listed_project', {'project': 'p1',
                            'expected': ['bare', 'kvm1', 'kvm2', 'xen']}),
        ('second_listed_project_spaces_stripped',
         {'project': 'p2', 'expected': ['bare', 'kvm1', 'kvm2', 'xen']}),
        ('suffixed_key', {'project': 'p3',
                          'expected': ['bare', 'kvm1', 'qemu', 'xen']}),
        ('unlisted_project', {'project': 'p9', 'expected': ['bare', 'xen']}),
        ('no_project', {'project': None, 'expected': ['bare', 'xen']}),
        ('prefix_of_listed', {'project': 'p', 'expected': ['bare', 'xen']}),
    ]

    def test_filter(self):
        request = self.request(project_id=self.project)
        self.assert_filter(matchers.varied_state(), request, self.expected)
        matchers.assert_paths_agree(self, self.make_filter(),
                                    matchers.varied_state(), request)


class AggregateMultiTenancyDetailsTestCase(base.FilterTestCase):

    filter_class = amti.AggregateMultiTenancyIsolation

    def test_runs_once_per_request(self):
        self.assertTrue(self.filter_class.run_filter_once_per_request)

    def test_other_metadata_does_not_restrict(self):
        state = test_hosts.make_state(
            [dict(name='a'), dict(name='b')],
            [dict(name='agg', hosts=['a'], metadata={'tenant': 'p1',
                                                     'filter_tenant': 'p1'})])
        self.assert_filter(state, self.request(project_id='p2'), ['a', 'b'])

    def test_empty_value_admits_nobody(self):
        state = test_hosts.make_state(
            [dict(name='a'), dict(name='b')],
            [dict(name='agg', hosts=['a'],
                  metadata={'filter_tenant_id': ''})])
        self.assert_filter(state, self.request(project_id='p2'), ['b'])
