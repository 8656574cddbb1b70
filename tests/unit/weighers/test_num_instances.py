"""NumInstancesWeigher: off by default; packs or spreads by instance count."""

from gantt.weighers import num_instances
from tests.unit.weighers import base


class RawScoreTest(base.WeigherTestCase):

    weigher_cls = num_instances.NumInstancesWeigher
    scenarios = [
        ('empty', dict(host={}, expected=0.0)),
        ('some', dict(host={'num_instances': 12}, expected=12.0)),
    ]

    def test_raw_score_is_num_instances(self):
        state = self.state([dict(self.host, name='h0')])
        self.assertEqual([self.expected],
                         self.raw(self.weigher(), state, self.request()))


class NormaliseTest(base.WeigherTestCase):

    weigher_cls = num_instances.NumInstancesWeigher
    scenarios = [
        ('default_does_nothing', dict(counts=[5, 0], mult=None,
                                      expected={'h0': 0.0, 'h1': 0.0})),
        ('pack', dict(counts=[5, 0, 10], mult=1.0,
                      expected={'h2': 1.0, 'h0': 0.5, 'h1': 0.0})),
        ('spread', dict(counts=[5, 0, 10], mult=-1.0,
                        expected={'h1': 0.0, 'h0': -0.5, 'h2': -1.0})),
        # No fixed minval: equal counts do not spread, all score 0.
        ('flat', dict(counts=[2, 2], mult=1.0,
                      expected={'h0': 0.0, 'h1': 0.0})),
    ]

    def test_weighed_totals(self):
        if self.mult is not None:
            self.flags(num_instances_weight_multiplier=self.mult)
        state = self.state([{'name': 'h%d' % i, 'num_instances': n}
                            for i, n in enumerate(self.counts)])
        totals = base.weighed(self, [self.weigher()], state, self.request())
        self.assertEqual(list(self.expected.items()), list(totals.items()))


class MultiplierTest(base.MultiplierCases, base.WeigherTestCase):

    weigher_cls = num_instances.NumInstancesWeigher
    option = 'num_instances_weight_multiplier'
