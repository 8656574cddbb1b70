"""IoOpsFilter and AggregateIoOpsFilter limit concurrent I/O operations."""

import testscenarios

from gantt.filters import io_ops
from tests.unit.filters import base

make_state = base.test_hosts.make_state


def _hosts(counts):
    return [{'name': name, 'num_io_ops': count}
            for name, count in sorted(counts.items())]


class TestIoOpsFilter(testscenarios.WithScenarios, base.FilterTestCase):

    filter_class = io_ops.IoOpsFilter
    scenarios = [
        ('default_limit_of_8', dict(
            limit=None, counts={'a': 0, 'b': 7, 'c': 8, 'd': 9},
            expected=['a', 'b'])),
        ('raised_limit', dict(
            limit=9, counts={'a': 0, 'b': 7, 'c': 8, 'd': 9},
            expected=['a', 'b', 'c'])),
        ('zero_limit_removes_all', dict(
            limit=0, counts={'a': 0, 'b': 1}, expected=[])),
    ]

    def test_limit(self):
        if self.limit is not None:
            self.conf.set_override('max_io_ops_per_host', self.limit,
                                   group='filter_scheduler')
        state = make_state(_hosts(self.counts))
        self.assert_filter(state, self.request(), self.expected)

    def test_runs_for_every_instance(self):
        self.assertFalse(self.filter_class.run_filter_once_per_request)


class TestAggregateIoOpsFilter(testscenarios.WithScenarios,
                               base.FilterTestCase):

    filter_class = io_ops.AggregateIoOpsFilter
    conf_overrides = {'filter_scheduler': {'max_io_ops_per_host': 4}}
    counts = {'a': 3, 'b': 3, 'c': 3, 'd': 5}
    scenarios = [
        ('no_aggregates_uses_conf', dict(
            aggregates=[], expected=['a', 'b', 'c'])),
        ('aggregate_without_the_key_uses_conf', dict(
            aggregates=[{'name': 'x', 'hosts': ['a', 'd'],
                         'metadata': {'ssd': 'true'}}],
            expected=['a', 'b', 'c'])),
        ('aggregate_raises_limit', dict(
            aggregates=[{'name': 'x', 'hosts': ['d'],
                         'metadata': {'max_io_ops_per_host': '6'}}],
            expected=['a', 'b', 'c', 'd'])),
        ('aggregate_lowers_limit_exactly_to_count', dict(
            aggregates=[{'name': 'x', 'hosts': ['a', 'b'],
                         'metadata': {'max_io_ops_per_host': '3'}}],
            expected=['c'])),
        ('smallest_value_wins', dict(
            aggregates=[{'name': 'x', 'hosts': ['a', 'd'],
                         'metadata': {'max_io_ops_per_host': '10'}},
                        {'name': 'y', 'hosts': ['a'],
                         'metadata': {'max_io_ops_per_host': '2'}}],
            expected=['b', 'c', 'd'])),
        ('bad_value_falls_back_to_conf', dict(
            aggregates=[{'name': 'x', 'hosts': ['d'],
                         'metadata': {'max_io_ops_per_host': 'lots'}}],
            expected=['a', 'b', 'c'])),
        ('bad_value_beside_good_one_falls_back_to_conf', dict(
            aggregates=[{'name': 'x', 'hosts': ['a', 'd'],
                         'metadata': {'max_io_ops_per_host': '1.5'}},
                        {'name': 'y', 'hosts': ['a', 'd'],
                         'metadata': {'max_io_ops_per_host': '10'}},
                        {'name': 'z', 'hosts': ['b'],
                         'metadata': {'max_io_ops_per_host': '1'}}],
            expected=['a', 'c'])),
        ('empty_value_falls_back_to_conf', dict(
            aggregates=[{'name': 'x', 'hosts': ['a', 'b', 'c', 'd'],
                         'metadata': {'max_io_ops_per_host': ''}}],
            expected=['a', 'b', 'c'])),
    ]

    def test_limit(self):
        state = make_state(_hosts(self.counts), self.aggregates)
        self.assert_filter(state, self.request(), self.expected)


class TestAggregateIoOpsFilterWarns(base.FilterTestCase):

    filter_class = io_ops.AggregateIoOpsFilter

    def test_bad_value_is_logged(self):
        state = make_state(_hosts({'a': 0}), [
            {'name': 'x', 'hosts': ['a'],
             'metadata': {'max_io_ops_per_host': 'lots'}}])
        self.assert_filter(state, self.request(), ['a'])
        self.assertIn("invalid max_io_ops_per_host value 'lots'",
                      self.logs.output)


class TestIoOpsFilterAgreement(testscenarios.WithScenarios,
                               base.AgreementTestCase):

    scenarios = [
        (cls.__name__, dict(filter_class=cls))
        for cls in (io_ops.IoOpsFilter, io_ops.AggregateIoOpsFilter)]

    def random_requests(self, rng, state):
        for limit in (0, 3, 8, 50):
            self.conf.set_override('max_io_ops_per_host', limit,
                                   group='filter_scheduler')
            yield self.request()
