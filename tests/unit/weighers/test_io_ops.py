"""IoOpsWeigher: quiet hosts first by default, busy ones when positive."""

from gantt.weighers import io_ops
from tests.unit.weighers import base


class RawScoreTest(base.WeigherTestCase):

    weigher_cls = io_ops.IoOpsWeigher
    scenarios = [
        ('none', dict(host={}, expected=0.0)),
        ('some', dict(host={'num_io_ops': 7}, expected=7.0)),
    ]

    def test_raw_score_is_num_io_ops(self):
        state = self.state([dict(self.host, name='h0')])
        self.assertEqual([self.expected],
                         self.raw(self.weigher(), state, self.request()))


class NormaliseTest(base.WeigherTestCase):

    weigher_cls = io_ops.IoOpsWeigher
    scenarios = [
        ('default_prefers_quiet', dict(ops=[4, 0, 2], mult=None,
                                       expected={'h1': 0.0, 'h2': -0.5,
                                                 'h0': -1.0})),
        ('positive_prefers_busy', dict(ops=[4, 0, 2], mult=2.0,
                                       expected={'h0': 2.0, 'h2': 1.0,
                                                 'h1': 0.0})),
        ('flat_idle', dict(ops=[0, 0, 0], mult=None,
                           expected={'h0': 0.0, 'h1': 0.0, 'h2': 0.0})),
        ('flat_busy', dict(ops=[3, 3, 3], mult=None,
                           expected={'h0': -1.0, 'h1': -1.0, 'h2': -1.0})),
    ]

    def test_weighed_totals(self):
        if self.mult is not None:
            self.flags(io_ops_weight_multiplier=self.mult)
        state = self.state([{'name': 'h%d' % i, 'num_io_ops': n}
                            for i, n in enumerate(self.ops)])
        totals = base.weighed(self, [self.weigher()], state, self.request())
        self.assertEqual(list(self.expected.items()), list(totals.items()))


class MultiplierTest(base.MultiplierCases, base.WeigherTestCase):

    weigher_cls = io_ops.IoOpsWeigher
    option = 'io_ops_weight_multiplier'
