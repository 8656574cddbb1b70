"""MetricsFilter removes hosts lacking a metric the weigher needs."""

import testscenarios

from gantt.filters import metrics
from tests.unit.filters import base

HOSTS = [
    {'name': 'both', 'metrics': {'cpu.frequency': 2400.0,
                                 'cpu.percent': 0.5}},
    {'name': 'freq', 'metrics': {'cpu.frequency': 1800.0}},
    {'name': 'zero', 'metrics': {'cpu.frequency': 0.0,
                                 'cpu.percent': 0.0}},
    {'name': 'none'},
]


class TestMetricsFilter(testscenarios.WithScenarios, base.FilterTestCase):

    filter_class = metrics.MetricsFilter
    scenarios = [
        ('no_setting', dict(
            setting=[], expected=['both', 'freq', 'none', 'zero'])),
        ('one_metric', dict(
            setting=['cpu.frequency=1.0'],
            expected=['both', 'freq', 'zero'])),
        ('two_metrics', dict(
            setting=['cpu.frequency=1.0', 'cpu.percent=-1.0'],
            expected=['both', 'zero'])),
        ('spaces_are_trimmed', dict(
            setting=[' cpu.percent = -1.0 '], expected=['both', 'zero'])),
        ('metric_nobody_reports', dict(
            setting=['cpu.frequency=1', 'mem.free=1'], expected=[])),
        ('malformed_entries_are_ignored', dict(
            setting=['cpu.frequency', '=2', 'mem.free=lots',
                     'cpu.percent=1'],
            expected=['both', 'zero'])),
    ]

    def test_setting(self):
        self.conf.set_override('weight_setting', self.setting,
                               group='metrics')
        state = base.test_hosts.make_state(HOSTS)
        self.assert_filter(state, self.request(), self.expected)


class TestMetricsFilterBehaviour(base.FilterTestCase):

    filter_class = metrics.MetricsFilter
    conf_overrides = {'metrics': {'weight_setting': ['cpu.percent=1']}}

    def test_follows_a_host_that_stops_reporting(self):
        state = base.test_hosts.make_state(HOSTS)
        self.assert_filter(state, self.request(), ['both', 'zero'])
        state.upsert_node('uuid-both', 'both', 'both', None,
                          base.test_hosts.NOW, {})
        self.assert_filter(state, self.request(), ['zero'])

    def test_malformed_entry_is_logged(self):
        self.conf.set_override('weight_setting', ['cpu.percent'],
                               group='metrics')
        self.assert_filter(base.test_hosts.make_state(HOSTS),
                           self.request(),
                           ['both', 'freq', 'none', 'zero'])
        self.assertIn("'cpu.percent'", self.logs.output)

    def test_runs_once_per_request(self):
        self.assertTrue(self.filter_class.run_filter_once_per_request)


class TestMetricsFilterAgreement(base.AgreementTestCase):

    filter_class = metrics.MetricsFilter

    def random_requests(self, rng, state):
        for setting in ([], ['cpu.frequency=1'], ['cpu.percent=-1'],
                        ['cpu.frequency=1', 'cpu.percent=1'], ['x=1']):
            self.conf.set_override('weight_setting', setting,
                                   group='metrics')
            yield self.request()
