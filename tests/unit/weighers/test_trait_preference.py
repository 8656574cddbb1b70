"""TraitPreferenceWeigher: preferred traits raise a host, avoided ones
lower it, and a request without soft traits changes nothing."""

from gantt.weighers import trait_preference
from tests.unit import trees
from tests.unit.weighers import base


def _world():
    hosts = [{'name': n, 'ram': 1024, 'vcpus': 4, 'disk': 10}
             for n in ('ssd', 'ssd-noisy', 'plain', 'gpu-ssd')]
    return trees.make_world(hosts, {
        'ssd': [{'uuid': 'uuid-ssd', 'traits': ['CUSTOM_SSD']}],
        'ssd-noisy': [{'uuid': 'uuid-ssd-noisy',
                       'traits': ['CUSTOM_SSD', 'CUSTOM_NOISY']}],
        # The trait on a child provider counts for its host.
        'gpu-ssd': [trees.child('gpu0', 'uuid-gpu-ssd',
                                {'VGPU': trees.inv(1)},
                                traits=['CUSTOM_SSD'])]})


SOFT = {'trait:CUSTOM_SSD': 'preferred', 'trait:CUSTOM_NOISY': 'avoided'}


class TestTraitPreference(base.WeigherTestCase):

    weigher_cls = trait_preference.TraitPreferenceWeigher

    def soft_request(self, extra_specs=SOFT):
        return self.request(flavor={'vcpus': 1, 'memory_mb': 512,
                                    'root_gb': 1,
                                    'extra_specs': dict(extra_specs)})

    def test_raw_score_is_preferred_minus_avoided(self):
        self.assertEqual([1.0, 0.0, 0.0, 1.0],
                         self.raw(self.weigher(), _world(),
                                  self.soft_request()))

    def test_idle_without_soft_traits(self):
        weigher = self.weigher()
        self.assertTrue(weigher.idle(_world(), self.request()))
        self.assertFalse(weigher.idle(_world(), self.soft_request()))

    def test_ranks_preferred_first_and_avoided_last(self):
        totals = base.weighed(self, [self.weigher()], _world(),
                              self.soft_request({
                                  'trait:CUSTOM_NOISY': 'avoided'}))
        self.assertEqual(-1.0, totals['ssd-noisy'] - totals['plain'])
        self.assertEqual(totals['ssd'], totals['plain'])

    def test_multiplier_scales_and_zero_disables(self):
        self.flags(trait_preference_weight_multiplier=3.0)
        totals = base.weighed(self, [self.weigher()], _world(),
                              self.soft_request())
        self.assertEqual(3.0, totals['ssd'] - totals['plain'])
        self.flags(trait_preference_weight_multiplier=0.0)
        self.assertTrue(self.weigher().idle(_world(), self.soft_request()))


class TestMultiplier(base.MultiplierCases, base.WeigherTestCase):

    weigher_cls = trait_preference.TraitPreferenceWeigher
    option = 'trait_preference_weight_multiplier'
