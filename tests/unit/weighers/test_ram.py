"""RAMWeigher: free RAM; spreads by default, stacks when negative."""

from gantt.weighers import ram
from tests.unit.weighers import base


class RawScoreTest(base.WeigherTestCase):

    weigher_cls = ram.RAMWeigher
    scenarios = [
        ('all_free', dict(host={'ram': 1024}, expected=1024.0)),
        ('used_and_reserved', dict(
            host={'ram': 2048, 'ram_used': 512, 'ram_reserved': 256},
            expected=1280.0)),
        ('ratio_not_applied', dict(
            host={'ram': 1024, 'ram_ratio': 1.5}, expected=1024.0)),
        ('overcommitted', dict(
            host={'ram': 1024, 'ram_ratio': 1.5, 'ram_used': 1536},
            expected=-512.0)),
        ('no_memory_inventory', dict(host={'vcpus': 4}, expected=0.0)),
    ]

    def test_raw_score_is_free_ram_mb(self):
        state = self.state([dict(self.host, name='h0')])
        self.assertEqual([self.expected],
                         self.raw(self.weigher(), state, self.request()))


class NormaliseTest(base.WeigherTestCase):

    weigher_cls = ram.RAMWeigher
    scenarios = [
        # minval is 0, so equal non-zero free RAM normalises to 1.
        ('flat_nonzero', dict(rams=[1024, 1024], mult=1.0,
                              expected={'h0': 1.0, 'h1': 1.0})),
        ('flat_zero', dict(rams=[0, 0], mult=1.0,
                           expected={'h0': 0.0, 'h1': 0.0})),
        ('spread', dict(rams=[512, 2048], mult=1.0,
                        expected={'h1': 1.0, 'h0': 0.25})),
        ('stack', dict(rams=[512, 2048], mult=-2.0,
                       expected={'h0': -0.5, 'h1': -2.0})),
    ]

    def test_weighed_totals(self):
        self.flags(ram_weight_multiplier=self.mult)
        state = self.state([{'name': 'h%d' % i, 'ram': r}
                            for i, r in enumerate(self.rams)])
        totals = base.weighed(self, [self.weigher()], state, self.request())
        self.assertEqual(self.expected, totals)
        self.assertEqual(list(self.expected), list(totals))


class MultiplierTest(base.MultiplierCases, base.WeigherTestCase):

    weigher_cls = ram.RAMWeigher
    option = 'ram_weight_multiplier'
