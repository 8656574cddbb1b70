"""ImagePropertiesWeigher: instances on the host sharing the image's props."""

import json

from gantt.weighers import image_props
from tests.unit.weighers import base

COUNTS = {'os_distro': {'linux': 3, 'windows': 1},
          'hw_machine_type': {'q35': 2},
          'custom_prop': {'yes': 4}}
IMAGE = {'properties': {'os_distro': 'linux', 'hw_machine_type': 'q35',
                        'custom_prop': 'yes'}}


def stats(counts, as_json=True):
    return {'image_props': json.dumps(counts) if as_json else counts}


class RawScoreTest(base.WeigherTestCase):

    weigher_cls = image_props.ImagePropertiesWeigher
    scenarios = [
        ('every_property_counts_one', dict(
            setting=[], image=IMAGE, host_stats=stats(COUNTS), picked=[],
            expected=9.0)),
        ('stats_given_as_dict', dict(
            setting=[], image=IMAGE, host_stats=stats(COUNTS, False),
            picked=[], expected=9.0)),
        ('setting_ratios', dict(
            setting=['os_distro=10', 'hw_machine_type=0.5'], image=IMAGE,
            host_stats=stats(COUNTS), picked=[], expected=31.0)),
        ('zero_ratio_ignored', dict(
            setting=['os_distro=0', 'custom_prop=1'], image=IMAGE,
            host_stats=stats(COUNTS), picked=[], expected=4.0)),
        ('other_value_does_not_match', dict(
            setting=[], image={'properties': {'os_distro': 'bsd'}},
            host_stats=stats(COUNTS), picked=[], expected=0.0)),
        ('no_valid_setting_counts_every_property', dict(
            setting=['os_distro'], image=IMAGE, host_stats=stats(COUNTS),
            picked=[], expected=9.0)),
        ('picked_rows_not_counted', dict(
            setting=['os_distro=2'], image=IMAGE, host_stats=stats(COUNTS),
            picked=[0, 0], expected=6.0)),
        ('no_stats', dict(
            setting=[], image=IMAGE, host_stats={}, picked=[],
            expected=0.0)),
        ('bad_json', dict(
            setting=[], image=IMAGE, host_stats={'image_props': '{oops'},
            picked=[], expected=0.0)),
        ('no_image_props', dict(
            setting=[], image=None, host_stats=stats(COUNTS), picked=[0],
            expected=0.0)),
    ]

    def test_raw_score(self):
        self.flags(image_props_weight_multiplier=1.0,
                   image_props_weight_setting=self.setting)
        state = self.state([{'name': 'h0', 'extra_stats': self.host_stats},
                            {'name': 'h1'}])
        request = self.request(image=self.image)
        request.placing.picked_rows = list(self.picked)
        self.assertEqual([self.expected],
                         self.raw(self.weigher(), state, request, rows=[0]))

    def test_zero_conf_multiplier_skips_scoring_even_with_aggregates(self):
        key = 'image_props_weight_multiplier'
        state = self.state([{'name': 'h0', 'extra_stats': stats(COUNTS)}],
                           aggregates=[{'name': 'a', 'hosts': ['h0'],
                                        'metadata': {key: '2'}}])
        self.assertEqual([0.0], self.raw(self.weigher(), state,
                                         self.request(image=IMAGE)))

    def test_zero_aggregate_multiplier_still_scores(self):
        self.flags(image_props_weight_multiplier=1.0)
        key = 'image_props_weight_multiplier'
        state = self.state([{'name': 'h0', 'extra_stats': stats(COUNTS)}],
                           aggregates=[{'name': 'a', 'hosts': ['h0'],
                                        'metadata': {key: '0'}}])
        self.assertEqual([9.0], self.raw(self.weigher(), state,
                                         self.request(image=IMAGE)))


class NormaliseTest(base.WeigherTestCase):

    weigher_cls = image_props.ImagePropertiesWeigher
    scenarios = [
        ('default_is_off', dict(mult=None, aggregates=[],
                                expected={'h0': 0.0, 'h1': 0.0, 'h2': 0.0})),
        ('pack', dict(mult=1.0, aggregates=[],
                      expected={'h1': 1.0, 'h0': 0.5, 'h2': 0.0})),
        ('spread', dict(mult=-1.0, aggregates=[],
                        expected={'h2': 0.0, 'h0': -0.5, 'h1': -1.0})),
        ('aggregate_scales_some_hosts', dict(
            mult=1.0,
            aggregates=[{'name': 'a', 'hosts': ['h0', 'h2'],
                         'metadata': {'image_props_weight_multiplier': '4'}}],
            expected={'h0': 2.0, 'h1': 1.0, 'h2': 0.0})),
    ]

    def test_weighed_totals(self):
        if self.mult is not None:
            self.flags(image_props_weight_multiplier=self.mult)
        linux = [None, 2, 4, 0]
        state = self.state(
            [{'name': 'h%d' % i,
              'extra_stats': stats({'os_distro': {'linux': linux[i + 1]}})}
             for i in range(3)],
            aggregates=self.aggregates)
        request = self.request(image={'properties': {'os_distro': 'linux'}})
        totals = base.weighed(self, [self.weigher()], state, request)
        self.assertEqual(list(self.expected.items()), list(totals.items()))


class MultiplierTest(base.MultiplierCases, base.WeigherTestCase):

    weigher_cls = image_props.ImagePropertiesWeigher
    option = 'image_props_weight_multiplier'
