"""CPUWeigher: free vCPUs after over-commit, reserved counted as used."""

from gantt.weighers import cpu
from tests.unit.weighers import base


class RawScoreTest(base.WeigherTestCase):

    weigher_cls = cpu.CPUWeigher
    scenarios = [
        ('idle', dict(host={'vcpus': 8}, expected=8.0)),
        ('overcommit_ratio', dict(host={'vcpus': 8, 'cpu_ratio': 4.0},
                                  expected=32.0)),
        ('used_and_reserved', dict(
            host={'vcpus': 8, 'cpu_ratio': 2.0, 'vcpus_used': 5,
                  'vcpus_reserved': 2},
            expected=9.0)),
        ('fractional_ratio', dict(
            host={'vcpus': 3, 'cpu_ratio': 1.5, 'vcpus_used': 1},
            expected=3.5)),
        ('overcommitted', dict(host={'vcpus': 2, 'vcpus_used': 6},
                               expected=-4.0)),
        ('no_vcpu_inventory', dict(host={'ram': 512}, expected=0.0)),
    ]

    def test_raw_score_is_free_vcpus(self):
        state = self.state([dict(self.host, name='h0')])
        self.assertEqual([self.expected],
                         self.raw(self.weigher(), state, self.request()))


class NormaliseTest(base.WeigherTestCase):

    weigher_cls = cpu.CPUWeigher
    scenarios = [
        ('flat', dict(vcpus=[4, 4], mult=1.0,
                      expected={'h0': 1.0, 'h1': 1.0})),
        ('spread', dict(vcpus=[2, 8], mult=1.0,
                        expected={'h1': 1.0, 'h0': 0.25})),
        ('stack', dict(vcpus=[2, 8], mult=-1.0,
                       expected={'h0': -0.25, 'h1': -1.0})),
    ]

    def test_weighed_totals(self):
        self.flags(cpu_weight_multiplier=self.mult)
        state = self.state([{'name': 'h%d' % i, 'vcpus': v}
                            for i, v in enumerate(self.vcpus)])
        totals = base.weighed(self, [self.weigher()], state, self.request())
        self.assertEqual(list(self.expected.items()), list(totals.items()))


class MultiplierTest(base.MultiplierCases, base.WeigherTestCase):

    weigher_cls = cpu.CPUWeigher
    option = 'cpu_weight_multiplier'
