"""Soft (anti-)affinity weighers: count group members on each host."""

from gantt.objects import instance_group
from gantt.weighers import affinity
from tests.unit.weighers import base

HOSTS = [{'name': 'h0'}, {'name': 'h1'}, {'name': 'h2'}]
INSTANCES = [('m1', 'h0'), ('m2', 'h0'), ('m3', 'h1'), ('other', 'h2')]
MEMBERS = ['m1', 'm2', 'm3', 'not-placed-yet']


def group(policy, members=MEMBERS):
    return instance_group.InstanceGroup(policy=policy, members=members)


class RawScoreTest(base.WeigherTestCase):

    scenarios = [
        ('affinity', dict(
            weigher_cls=affinity.ServerGroupSoftAffinityWeigher,
            group=group('soft-affinity'), picked=[],
            expected=[2.0, 1.0, 0.0])),
        ('affinity_counts_picked_rows', dict(
            weigher_cls=affinity.ServerGroupSoftAffinityWeigher,
            group=group('soft-affinity'), picked=[2, 1, 2],
            expected=[2.0, 2.0, 2.0])),
        ('affinity_wrong_policy', dict(
            weigher_cls=affinity.ServerGroupSoftAffinityWeigher,
            group=group('soft-anti-affinity'), picked=[0],
            expected=[0.0, 0.0, 0.0])),
        ('affinity_hard_policy_ignored', dict(
            weigher_cls=affinity.ServerGroupSoftAffinityWeigher,
            group=group('affinity'), picked=[],
            expected=[0.0, 0.0, 0.0])),
        ('affinity_no_group', dict(
            weigher_cls=affinity.ServerGroupSoftAffinityWeigher,
            group=None, picked=[0], expected=[0.0, 0.0, 0.0])),
        ('anti_affinity', dict(
            weigher_cls=affinity.ServerGroupSoftAntiAffinityWeigher,
            group=group('soft-anti-affinity'), picked=[],
            expected=[-2.0, -1.0, 0.0])),
        ('anti_affinity_counts_picked_rows', dict(
            weigher_cls=affinity.ServerGroupSoftAntiAffinityWeigher,
            group=group('soft-anti-affinity'), picked=[2],
            expected=[-2.0, -1.0, -1.0])),
        ('anti_affinity_wrong_policy', dict(
            weigher_cls=affinity.ServerGroupSoftAntiAffinityWeigher,
            group=group('soft-affinity'), picked=[],
            expected=[0.0, 0.0, 0.0])),
        ('anti_affinity_empty_group', dict(
            weigher_cls=affinity.ServerGroupSoftAntiAffinityWeigher,
            group=group('soft-anti-affinity', members=[]), picked=[],
            expected=[0.0, 0.0, 0.0])),
    ]

    def test_raw_score_is_members_on_host(self):
        state = self.state(HOSTS, instances=INSTANCES)
        request = self.request(instance_group=self.group)
        request.placing.picked_rows = list(self.picked)
        self.assertEqual(self.expected,
                         self.raw(self.weigher(), state, request))


class NormaliseTest(base.WeigherTestCase):

    scenarios = [
        ('affinity_packs', dict(
            weigher_cls=affinity.ServerGroupSoftAffinityWeigher,
            option='soft_affinity_weight_multiplier',
            policy='soft-affinity', mult=1.0,
            expected={'h0': 1.0, 'h1': 0.5, 'h2': 0.0})),
        ('affinity_negative', dict(
            weigher_cls=affinity.ServerGroupSoftAffinityWeigher,
            option='soft_affinity_weight_multiplier',
            policy='soft-affinity', mult=-1.0,
            expected={'h2': 0.0, 'h1': -0.5, 'h0': -1.0})),
        ('anti_affinity_spreads', dict(
            weigher_cls=affinity.ServerGroupSoftAntiAffinityWeigher,
            option='soft_anti_affinity_weight_multiplier',
            policy='soft-anti-affinity', mult=2.0,
            expected={'h2': 2.0, 'h1': 1.0, 'h0': 0.0})),
        ('other_policy_flat', dict(
            weigher_cls=affinity.ServerGroupSoftAntiAffinityWeigher,
            option='soft_anti_affinity_weight_multiplier',
            policy='anti-affinity', mult=2.0,
            expected={'h0': 0.0, 'h1': 0.0, 'h2': 0.0})),
    ]

    def test_weighed_totals(self):
        self.flags(**{self.option: self.mult})
        state = self.state(HOSTS, instances=INSTANCES)
        request = self.request(instance_group=group(self.policy))
        totals = base.weighed(self, [self.weigher()], state, request)
        self.assertEqual(list(self.expected.items()), list(totals.items()))


class AffinityMultiplierTest(base.MultiplierCases, base.WeigherTestCase):

    weigher_cls = affinity.ServerGroupSoftAffinityWeigher
    option = 'soft_affinity_weight_multiplier'


class AntiAffinityMultiplierTest(base.MultiplierCases,
                                 base.WeigherTestCase):

    weigher_cls = affinity.ServerGroupSoftAntiAffinityWeigher
    option = 'soft_anti_affinity_weight_multiplier'
