"""BuildFailureWeigher: hosts with recent failed builds sink."""

from gantt.weighers import compute
from tests.unit.weighers import base


class RawScoreTest(base.WeigherTestCase):

    weigher_cls = compute.BuildFailureWeigher
    scenarios = [
        ('no_failures', dict(host={}, expected=0.0)),
        ('failures', dict(host={'failed_builds': 3}, expected=3.0)),
    ]

    def test_raw_score_is_failed_builds(self):
        state = self.state([dict(self.host, name='h0')])
        self.assertEqual([self.expected],
                         self.raw(self.weigher(), state, self.request()))


class NormaliseTest(base.WeigherTestCase):

    weigher_cls = compute.BuildFailureWeigher
    scenarios = [
        ('default_sinks_failing_host', dict(
            failures=[2, 0, 1], mult=None,
            expected={'h1': 0.0, 'h2': -500000.0, 'h0': -1000000.0})),
        ('negative_prefers_failing_host', dict(
            failures=[2, 0], mult=-1.0, expected={'h0': 1.0, 'h1': 0.0})),
        ('flat', dict(failures=[1, 1], mult=None,
                      expected={'h0': 0.0, 'h1': 0.0})),
    ]

    def test_weighed_totals(self):
        if self.mult is not None:
            self.flags(build_failure_weight_multiplier=self.mult)
        state = self.state([{'name': 'h%d' % i, 'failed_builds': n}
                            for i, n in enumerate(self.failures)])
        totals = base.weighed(self, [self.weigher()], state, self.request())
        self.assertEqual(list(self.expected.items()), list(totals.items()))


class MultiplierTest(base.MultiplierCases, base.WeigherTestCase):
    """The multiplier is minus the configured or aggregate value."""

    weigher_cls = compute.BuildFailureWeigher
    option = 'build_failure_weight_multiplier'
    sign = -1.0
