"""NumInstancesFilter and AggregateNumInstancesFilter cap instance counts."""

import testscenarios

from gantt.filters import num_instances
from tests.unit.filters import base

make_state = base.test_hosts.make_state


def _hosts(counts):
    return [{'name': name, 'num_instances': count}
            for name, count in sorted(counts.items())]


class TestNumInstancesFilter(testscenarios.WithScenarios,
                             base.FilterTestCase):

    filter_class = num_instances.NumInstancesFilter
    scenarios = [
        ('default_limit_of_50', dict(
            limit=None, counts={'a': 0, 'b': 49, 'c': 50, 'd': 51},
            expected=['a', 'b'])),
        ('lowered_limit', dict(
            limit=2, counts={'a': 0, 'b': 1, 'c': 2},
            expected=['a', 'b'])),
    ]

    def test_limit(self):
        if self.limit is not None:
            self.conf.set_override('max_instances_per_host', self.limit,
                                   group='filter_scheduler')
        state = make_state(_hosts(self.counts))
        self.assert_filter(state, self.request(), self.expected)

    def test_follows_local_consumption(self):
        self.conf.set_override('max_instances_per_host', 2,
                               group='filter_scheduler')
        state = make_state(_hosts({'a': 1}))
        self.assert_filter(state, self.request(), ['a'])
        state.count_instance(0)
        self.assert_filter(state, self.request(), [])

    def test_runs_for_every_instance(self):
        self.assertFalse(self.filter_class.run_filter_once_per_request)


class TestAggregateNumInstancesFilter(testscenarios.WithScenarios,
                                      base.FilterTestCase):

    filter_class = num_instances.AggregateNumInstancesFilter
    conf_overrides = {'filter_scheduler': {'max_instances_per_host': 10}}
    counts = {'a': 5, 'b': 5, 'c': 12}
    scenarios = [
        ('no_aggregates_uses_conf', dict(
            aggregates=[], expected=['a', 'b'])),
        ('aggregate_raises_limit', dict(
            aggregates=[{'name': 'x', 'hosts': ['c'],
                         'metadata': {'max_instances_per_host': '13'}}],
            expected=['a', 'b', 'c'])),
        ('aggregate_limit_equal_to_count', dict(
            aggregates=[{'name': 'x', 'hosts': ['a', 'c'],
                         'metadata': {'max_instances_per_host': '5'}}],
            expected=['b'])),
        ('smallest_value_wins', dict(
            aggregates=[{'name': 'x', 'hosts': ['b', 'c'],
                         'metadata': {'max_instances_per_host': '100'}},
                        {'name': 'y', 'hosts': ['c'],
                         'metadata': {'max_instances_per_host': '12'}}],
            expected=['a', 'b'])),
        ('bad_value_falls_back_to_conf', dict(
            aggregates=[{'name': 'x', 'hosts': ['a', 'c'],
                         'metadata': {'max_instances_per_host': 'x'}},
                        {'name': 'y', 'hosts': ['c'],
                         'metadata': {'max_instances_per_host': '20'}}],
            expected=['a', 'b'])),
        ('hosts_outside_the_aggregate_keep_conf', dict(
            aggregates=[{'name': 'x', 'hosts': ['a'],
                         'metadata': {'max_instances_per_host': '20'}}],
            expected=['a', 'b'])),
    ]

    def test_limit(self):
        state = make_state(_hosts(self.counts), self.aggregates)
        self.assert_filter(state, self.request(), self.expected)


class TestNumInstancesFilterAgreement(testscenarios.WithScenarios,
                                      base.AgreementTestCase):

    scenarios = [
        (cls.__name__, dict(filter_class=cls))
        for cls in (num_instances.NumInstancesFilter,
                    num_instances.AggregateNumInstancesFilter)]

    def random_requests(self, rng, state):
        for limit in (1, 3, 8, 50):
            self.conf.set_override('max_instances_per_host', limit,
                                   group='filter_scheduler')
            yield self.request()
