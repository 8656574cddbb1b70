"""AvailabilityZoneFilter keeps hosts in the requested availability zone."""

import testscenarios

from gantt.filters import availability_zone
from tests.unit.filters import base

HOSTS = [{'name': n} for n in ('a1', 'a2', 'b1', 'both', 'plain', 'other')]
AGGREGATES = [
    {'name': 'agg-a', 'hosts': ['a1', 'a2', 'both'],
     'metadata': {'availability_zone': 'az-a'}},
    {'name': 'agg-b', 'hosts': ['b1', 'both'],
     'metadata': {'availability_zone': 'az-b'}},
    # Aggregates without a zone do not put their hosts in one.
    {'name': 'agg-ssd', 'hosts': ['plain', 'a1'],
     'metadata': {'ssd': 'true'}},
]


class TestAvailabilityZoneFilter(testscenarios.WithScenarios,
                                 base.FilterTestCase):

    filter_class = availability_zone.AvailabilityZoneFilter
    scenarios = [
        ('no_zone_requested', dict(
            zone=None, default='nova',
            expected=['a1', 'a2', 'b1', 'both', 'other', 'plain'])),
        ('empty_zone_is_no_zone', dict(
            zone='', default='nova',
            expected=['a1', 'a2', 'b1', 'both', 'other', 'plain'])),
        ('zone_of_an_aggregate', dict(
            zone='az-a', default='nova', expected=['a1', 'a2', 'both'])),
        ('host_in_two_zones_matches_either', dict(
            zone='az-b', default='nova', expected=['b1', 'both'])),
        ('default_zone', dict(
            zone='nova', default='nova', expected=['other', 'plain'])),
        ('configured_default_zone', dict(
            zone='home', default='home', expected=['other', 'plain'])),
        ('old_default_no_longer_matches', dict(
            zone='nova', default='home', expected=[])),
        ('zone_nobody_has', dict(
            zone='az-z', default='nova', expected=[])),
        ('zone_named_like_a_default_elsewhere', dict(
            zone='az-a', default='az-a',
            expected=['a1', 'a2', 'both', 'other', 'plain'])),
    ]

    def test_zone(self):
        self.conf.set_override('default_availability_zone', self.default)
        state = base.test_hosts.make_state(HOSTS, AGGREGATES,
                                           default_az=self.default)
        request = self.request(availability_zone=self.zone)
        self.assert_filter(state, request, self.expected)


class TestAvailabilityZoneFilterChanges(base.FilterTestCase):

    filter_class = availability_zone.AvailabilityZoneFilter

    def test_follows_aggregate_changes(self):
        state = base.test_hosts.make_state(HOSTS, AGGREGATES)
        request = self.request(availability_zone='az-a')
        state.set_aggregate('agg-a', 'agg-a', ['other'],
                            {'availability_zone': 'az-a'})
        self.assert_filter(state, request, ['other'])
        state.remove_aggregate('agg-a')
        self.assert_filter(state, request, [])
        self.assert_filter(state, self.request(availability_zone='nova'),
                           ['a1', 'a2', 'other', 'plain'])

    def test_value_may_list_several_zones(self):
        state = base.test_hosts.make_state(HOSTS, [
            {'name': 'agg-cd', 'hosts': ['a1'],
             'metadata': {'availability_zone': 'az-c, az-d'}}])
        for zone in ('az-c', 'az-d'):
            self.assert_filter(state, self.request(availability_zone=zone),
                               ['a1'])
        self.assert_filter(state, self.request(availability_zone='az-c, az-d'),
                           [])

    def test_runs_once_per_request(self):
        self.assertTrue(self.filter_class.run_filter_once_per_request)


class TestAvailabilityZoneFilterAgreement(base.AgreementTestCase):

    filter_class = availability_zone.AvailabilityZoneFilter

    def random_requests(self, rng, state):
        for zone in (None, 'az1', 'az2', 'az3', 'nova', 'nowhere'):
            yield self.request(availability_zone=zone)
