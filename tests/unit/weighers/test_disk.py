"""DiskWeigher: free local disk in MB, reserved counted as used."""

from gantt.weighers import disk
from tests.unit.weighers import base


class RawScoreTest(base.WeigherTestCase):

    weigher_cls = disk.DiskWeigher
    scenarios = [
        ('empty', dict(host={'disk': 10}, expected=10240.0)),
        ('used_and_reserved', dict(
            host={'disk': 100, 'disk_used': 40, 'disk_reserved': 10},
            expected=51200.0)),
        ('ratio_not_applied', dict(host={'disk': 10, 'disk_ratio': 2.0},
                                   expected=10240.0)),
        ('overcommitted', dict(
            host={'disk': 10, 'disk_ratio': 2.0, 'disk_used': 15},
            expected=-5120.0)),
        ('no_disk_inventory', dict(host={'ram': 512}, expected=0.0)),
    ]

    def test_raw_score_is_free_disk_mb(self):
        state = self.state([dict(self.host, name='h0')])
        self.assertEqual([self.expected],
                         self.raw(self.weigher(), state, self.request()))


class NormaliseTest(base.WeigherTestCase):

    weigher_cls = disk.DiskWeigher
    scenarios = [
        ('flat', dict(disks=[10, 10], mult=1.0,
                      expected={'h0': 1.0, 'h1': 1.0})),
        ('spread', dict(disks=[10, 40], mult=1.0,
                        expected={'h1': 1.0, 'h0': 0.25})),
        ('stack', dict(disks=[10, 40], mult=-4.0,
                       expected={'h0': -1.0, 'h1': -4.0})),
    ]

    def test_weighed_totals(self):
        self.flags(disk_weight_multiplier=self.mult)
        state = self.state([{'name': 'h%d' % i, 'disk': d}
                            for i, d in enumerate(self.disks)])
        totals = base.weighed(self, [self.weigher()], state, self.request())
        self.assertEqual(list(self.expected.items()), list(totals.items()))


class MultiplierTest(base.MultiplierCases, base.WeigherTestCase):

    weigher_cls = disk.DiskWeigher
    option = 'disk_weight_multiplier'
