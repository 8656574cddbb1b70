"""ComputeFilter keeps hosts whose service is up, not forced down, enabled."""

import testscenarios

from gantt.filters import compute
from tests.unit.filters import base

make_state = base.test_hosts.make_state


class TestComputeFilter(testscenarios.WithScenarios, base.FilterTestCase):

    filter_class = compute.ComputeFilter
    # [DEFAULT] service_down_time, and host dicts -> expected survivors.
    scenarios = [
        ('just_reported', dict(
            down_time=60, host={'age': 0}, passes=True)),
        ('exactly_at_down_time', dict(
            down_time=60, host={'age': 60}, passes=True)),
        ('one_second_too_old', dict(
            down_time=60, host={'age': 61}, passes=False)),
        ('clock_ahead', dict(
            down_time=60, host={'age': -30}, passes=True)),
        ('clock_ahead_exactly_down_time', dict(
            down_time=60, host={'age': -60}, passes=True)),
        ('heartbeat_from_the_future_beyond_down_time_is_down', dict(
            down_time=60, host={'age': -61}, passes=False)),
        ('longer_down_time_keeps_it', dict(
            down_time=120, host={'age': 61}, passes=True)),
        ('shorter_down_time_drops_it', dict(
            down_time=5, host={'age': 6}, passes=False)),
        ('disabled', dict(
            down_time=60, host={'disabled': True}, passes=False)),
        ('forced_down', dict(
            down_time=60, host={'forced_down': True}, passes=False)),
        ('forced_down_and_disabled', dict(
            down_time=60, host={'forced_down': True, 'disabled': True},
            passes=False)),
        ('disabled_and_down', dict(
            down_time=60, host={'disabled': True, 'age': 3600},
            passes=False)),
    ]

    def test_host(self):
        self.conf.set_override('service_down_time', self.down_time)
        # An always-good neighbour checks the mask row by row.
        state = make_state([dict(self.host, name='h'), {'name': 'good'}])
        expected = ['good', 'h'] if self.passes else ['good']
        self.assert_filter(state, self.request(), expected)


class TestComputeFilterMany(base.FilterTestCase):

    filter_class = compute.ComputeFilter

    def test_mixed_hosts(self):
        state = make_state([
            {'name': 'a'}, {'name': 'b', 'age': 61}, {'name': 'c'},
            {'name': 'd', 'disabled': True}, {'name': 'e', 'age': 59},
            {'name': 'f', 'forced_down': True},
        ])
        self.assert_filter(state, self.request(), ['a', 'c', 'e'])

    def test_removed_node_row_is_not_reported(self):
        state = make_state([{'name': 'a'}, {'name': 'b'}])
        state.remove_node('uuid-a')
        self.assert_filter(state, self.request(), ['b'])

    def test_host_known_only_from_placement_counts_as_up(self):
        state = make_state([{'name': 'a'}, {'name': 'b', 'age': 3600}])
        state.upsert_placement_root('rp-p', 'p', {})
        self.assert_filter(state, self.request(), ['a', 'p'])

    def test_reported_host_is_no_longer_taken_as_placement_only(self):
        state = make_state([{'name': 'a'}])
        state.upsert_placement_root('rp-p', 'p', {})
        # Its compute reports, then falls silent: it is down as any other.
        state.upsert_node('rp-p', 'p', 'p', None, 1.0, {})
        self.assert_filter(state, self.request(), ['a'])

    def test_runs_once_per_request(self):
        self.assertTrue(self.filter_class.run_filter_once_per_request)
        self.assertEqual('service down or disabled', self.filter_class.reason)


class TestComputeFilterAgreement(base.AgreementTestCase):

    filter_class = compute.ComputeFilter

    def random_requests(self, rng, state):
        for down_time in (1, 59, 60, 61):
            self.conf.set_override('service_down_time', down_time)
            yield self.request()
