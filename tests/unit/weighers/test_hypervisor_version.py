"""HypervisorVersionWeigher: newer hypervisors first by default."""

from gantt.weighers import hypervisor_version
from tests.unit.weighers import base


class RawScoreTest(base.WeigherTestCase):

    weigher_cls = hypervisor_version.HypervisorVersionWeigher
    scenarios = [
        ('unknown', dict(host={}, expected=0.0)),
        ('libvirt_style', dict(host={'hypervisor_version': 10000000},
                               expected=10000000.0)),
    ]

    def test_raw_score_is_hypervisor_version(self):
        state = self.state([dict(self.host, name='h0')])
        self.assertEqual([self.expected],
                         self.raw(self.weigher(), state, self.request()))


class NormaliseTest(base.WeigherTestCase):

    weigher_cls = hypervisor_version.HypervisorVersionWeigher
    scenarios = [
        ('newer_first', dict(versions=[1000, 3000, 2000], mult=None,
                             expected={'h1': 1.0, 'h2': 0.5, 'h0': 0.0})),
        ('older_first', dict(versions=[1000, 3000, 2000], mult=-1.0,
                             expected={'h0': 0.0, 'h2': -0.5, 'h1': -1.0})),
        # No fixed minval: equal versions do not spread, all score 0.
        ('flat', dict(versions=[7, 7], mult=None,
                      expected={'h0': 0.0, 'h1': 0.0})),
    ]

    def test_weighed_totals(self):
        if self.mult is not None:
            self.flags(hypervisor_version_weight_multiplier=self.mult)
        state = self.state([{'name': 'h%d' % i, 'hypervisor_version': v}
                            for i, v in enumerate(self.versions)])
        totals = base.weighed(self, [self.weigher()], state, self.request())
        self.assertEqual(list(self.expected.items()), list(totals.items()))


class MultiplierTest(base.MultiplierCases, base.WeigherTestCase):

    weigher_cls = hypervisor_version.HypervisorVersionWeigher
    option = 'hypervisor_version_weight_multiplier'
