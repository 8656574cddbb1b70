"""RamFilter keeps hosts whose unallocated MEMORY_MB covers the flavor."""

import testscenarios

from gantt.filters import ram
from tests.unit.filters import base


class TestRamFilter(testscenarios.WithScenarios, base.FilterTestCase):

    filter_class = ram.RamFilter
    scenarios = [
        ('fits', dict(host={'ram': 2048}, memory_mb=1024, passes=True)),
        ('exactly_at_capacity', dict(
            host={'ram': 1024}, memory_mb=1024, passes=True)),
        ('one_mb_too_many', dict(
            host={'ram': 1024}, memory_mb=1025, passes=False)),
        ('used_counts', dict(
            host={'ram': 2048, 'ram_used': 1024}, memory_mb=1025,
            passes=False)),
        ('used_leaves_exactly_enough', dict(
            host={'ram': 2048, 'ram_used': 1024}, memory_mb=1024,
            passes=True)),
        ('reserved_counts', dict(
            host={'ram': 2048, 'ram_reserved': 512}, memory_mb=1537,
            passes=False)),
        ('reserved_leaves_exactly_enough', dict(
            host={'ram': 2048, 'ram_reserved': 512}, memory_mb=1536,
            passes=True)),
        ('ratio_overcommits', dict(
            host={'ram': 1024, 'ram_ratio': 1.5, 'ram_used': 1024},
            memory_mb=512, passes=True)),
        ('ratio_overcommits_no_further', dict(
            host={'ram': 1024, 'ram_ratio': 1.5, 'ram_used': 1024},
            memory_mb=513, passes=False)),
        # The claim refuses one allocation above max_unit (the total, as
        # computes report it), whatever the ratio: so does the filter.
        ('one_instance_larger_than_the_host', dict(
            host={'ram': 1024, 'ram_ratio': 1.5}, memory_mb=1536,
            passes=False)),
        ('ratio_applies_after_reserved', dict(
            host={'ram': 2048, 'ram_reserved': 1024, 'ram_ratio': 2.0},
            memory_mb=2049, passes=False)),
        ('capacity_is_floored', dict(
            host={'ram': 1001, 'ram_ratio': 1.5}, memory_mb=1502,
            passes=False)),
        ('ratio_below_one', dict(
            host={'ram': 1000, 'ram_ratio': 0.5}, memory_mb=501,
            passes=False)),
        ('zero_request_on_overcommitted_host', dict(
            host={'ram': 1024, 'ram_used': 4096}, memory_mb=0, passes=True)),
        ('zero_request_on_host_without_ram', dict(
            host={}, memory_mb=0, passes=True)),
        ('host_without_ram', dict(host={}, memory_mb=1, passes=False)),
        ('overcommitted_host', dict(
            host={'ram': 1024, 'ram_used': 2048}, memory_mb=1,
            passes=False)),
        ('extra_spec_overrides_flavor', dict(
            host={'ram': 2048}, memory_mb=512,
            extra_specs={'resources:MEMORY_MB': '4096'}, passes=False)),
        ('extra_spec_of_zero_passes', dict(
            host={'ram': 0}, memory_mb=512,
            extra_specs={'resources:MEMORY_MB': '0'}, passes=True)),
    ]
    extra_specs = None

    def test_host(self):
        state = base.test_hosts.make_state([
            dict(self.host, name='h'), {'name': 'big', 'ram': 10 ** 6}])
        request = self.request(flavor=base.make_flavor(
            memory_mb=self.memory_mb, extra_specs=self.extra_specs))
        self.assert_filter(state, request,
                           ['big', 'h'] if self.passes else ['big'])


class TestRamFilterRequest(base.FilterTestCase):

    filter_class = ram.RamFilter

    def test_request_without_flavor_passes_all(self):
        state = base.test_hosts.make_state([{'name': 'h', 'ram': 0}])
        self.assert_filter(state, self.request(), ['h'])

    def test_follows_local_consumption(self):
        state = base.test_hosts.make_state([{'name': 'h', 'ram': 2048}])
        request = self.request(flavor=base.make_flavor(memory_mb=1024))
        self.assert_filter(state, request, ['h'])
        state.consume({'uuid-h': request.resources})
        self.assert_filter(state, request, ['h'])
        state.consume({'uuid-h': request.resources})
        self.assert_filter(state, request, [])

    def test_runs_for_every_instance(self):
        self.assertFalse(self.filter_class.run_filter_once_per_request)
        self.assertEqual('not enough free RAM', self.filter_class.reason)


class TestRamFilterAgreement(base.AgreementTestCase):

    filter_class = ram.RamFilter

    def random_requests(self, rng, state):
        for amount in (0, 1, 512, 1024, 1501, 4096):
            yield self.request(flavor=base.make_flavor(memory_mb=amount))
