"""MetricsWeigher: weighted sum of reported metrics; missing ones penalised."""

from gantt.weighers import metrics
from tests.unit.weighers import base

SETTING = ['cpu.frequency=1.0', 'cpu.percent=-2.0']


class ParseSettingTest(base.WeigherTestCase):

    scenarios = [
        ('good', dict(entries=['a=1', ' b = -0.5'],
                      pairs=[('a', 1.0), ('b', -0.5)], bad=[])),
        ('bad_entries_skipped', dict(
            entries=['a', '=2', 'c=x', 'd=3'], pairs=[('d', 3.0)],
            bad=['a', '=2', 'c=x'])),
        ('empty', dict(entries=[], pairs=[], bad=[])),
    ]

    def test_parse_setting(self):
        self.assertEqual((self.pairs, self.bad),
                         metrics.parse_setting(self.entries))


class RawScoreTest(base.WeigherTestCase):

    weigher_cls = metrics.MetricsWeigher
    scenarios = [
        ('all_present', dict(
            setting=SETTING, required=True, mult=1.0,
            metrics={'cpu.frequency': 2000.0, 'cpu.percent': 50.0},
            expected=1900.0)),
        ('unlisted_metric_ignored', dict(
            setting=['cpu.frequency=0.5'], required=True, mult=1.0,
            metrics={'cpu.frequency': 2000.0, 'other': 1.0},
            expected=1000.0)),
        ('no_setting', dict(
            setting=[], required=True, mult=1.0,
            metrics={'cpu.frequency': 2000.0}, expected=0.0)),
        # Gantt choice: a missing required metric is not an error here.
        ('missing_required', dict(
            setting=SETTING, required=True, mult=1.0,
            metrics={'cpu.frequency': 2000.0}, expected=-10000.0)),
        ('missing_required_zero_ratio', dict(
            setting=['cpu.frequency=1', 'cpu.percent=0'], required=True,
            mult=1.0, metrics={'cpu.frequency': 2000.0},
            expected=-10000.0)),
        ('missing_optional', dict(
            setting=SETTING, required=False, mult=1.0,
            metrics={'cpu.frequency': 2000.0}, expected=-10000.0)),
        ('missing_optional_zero_ratio_counts_zero', dict(
            setting=['cpu.frequency=1', 'cpu.percent=0'], required=False,
            mult=1.0, metrics={'cpu.frequency': 2000.0}, expected=2000.0)),
        ('missing_optional_zero_multiplier_counts_zero', dict(
            setting=SETTING, required=False, mult=0.0,
            metrics={'cpu.frequency': 2000.0}, expected=2000.0)),
        ('no_metrics_at_all', dict(
            setting=SETTING, required=True, mult=1.0, metrics={},
            expected=-10000.0)),
    ]

    def test_raw_score(self):
        self.flags(group='metrics', weight_setting=self.setting,
                   required=self.required, weight_multiplier=self.mult)
        state = self.state([{'name': 'h0', 'metrics': self.metrics},
                            {'name': 'h1', 'metrics': {'x': 1.0}}])
        raw = self.raw(self.weigher(), state, self.request(), rows=[0])
        self.assertEqual([self.expected], raw)

    def test_weight_of_unavailable_is_configurable(self):
        self.flags(group='metrics', weight_setting=['m=1'],
                   weight_of_unavailable=-1.0)
        state = self.state([{'name': 'h0', 'metrics': {'m': 4.0}},
                            {'name': 'h1'}])
        self.assertEqual([4.0, -1.0],
                         self.raw(self.weigher(), state, self.request()))


class ReloadTest(base.WeigherTestCase):

    weigher_cls = metrics.MetricsWeigher

    def test_setting_change_applies_without_new_weigher(self):
        weigher = self.weigher()
        state = self.state([{'name': 'h0', 'metrics': {'a': 1.0, 'b': 2.0}}])
        self.flags(group='metrics', weight_setting=['a=1'])
        self.assertEqual([1.0], self.raw(weigher, state, self.request()))
        self.flags(group='metrics', weight_setting=['b=1'])
        self.assertEqual([2.0], self.raw(weigher, state, self.request()))


class NormaliseTest(base.WeigherTestCase):

    weigher_cls = metrics.MetricsWeigher
    scenarios = [
        ('higher_first', dict(
            values=[1.0, 3.0, 2.0], mult=1.0,
            expected={'h1': 1.0, 'h2': 0.5, 'h0': 0.0})),
        ('negative_multiplier', dict(
            values=[1.0, 3.0, 2.0], mult=-1.0,
            expected={'h0': 0.0, 'h2': -0.5, 'h1': -1.0})),
        ('flat', dict(values=[5.0, 5.0], mult=1.0,
                      expected={'h0': 0.0, 'h1': 0.0})),
        ('unavailable_last', dict(
            values=[1.0, None, 2.0], mult=1.0,
            expected={'h2': 1.0, 'h0': 10001.0 / 10002.0, 'h1': 0.0})),
    ]

    def test_weighed_totals(self):
        self.flags(group='metrics', weight_setting=['m=1'],
                   weight_multiplier=self.mult)
        state = self.state([
            {'name': 'h%d' % i, 'metrics': {} if v is None else {'m': v}}
            for i, v in enumerate(self.values)])
        totals = base.weighed(self, [self.weigher()], state, self.request())
        self.assertEqual(list(self.expected.items()), list(totals.items()))


class MultiplierTest(base.MultiplierCases, base.WeigherTestCase):

    weigher_cls = metrics.MetricsWeigher
    group = 'metrics'
    option = 'weight_multiplier'
    key = 'metrics_weight_multiplier'

    def test_filter_scheduler_key_does_not_apply(self):
        state = self.state(base.plain_hosts(1), aggregates=[
            {'name': 'a1', 'hosts': ['h0'],
             'metadata': {'weight_multiplier': '5'}}])
        self.assertEqual([1.0], self.multipliers(self.weigher(), state))
