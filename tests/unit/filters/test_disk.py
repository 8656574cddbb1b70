"""DiskFilter keeps hosts whose unallocated DISK_GB covers the flavor."""

import testscenarios

from gantt.filters import disk
from tests.unit.filters import base


class TestDiskFilter(testscenarios.WithScenarios, base.FilterTestCase):

    filter_class = disk.DiskFilter
    scenarios = [
        ('fits', dict(host={'disk': 100}, flavor={'root_gb': 10},
                      passes=True)),
        ('exactly_at_capacity', dict(
            host={'disk': 100}, flavor={'root_gb': 60, 'ephemeral_gb': 40},
            passes=True)),
        ('one_gb_too_many', dict(
            host={'disk': 100}, flavor={'root_gb': 61, 'ephemeral_gb': 40},
            passes=False)),
        ('swap_rounds_up_to_a_gb', dict(
            host={'disk': 100}, flavor={'root_gb': 100, 'swap': 1},
            passes=False)),
        ('swap_of_a_whole_gb', dict(
            host={'disk': 101}, flavor={'root_gb': 100, 'swap': 1024},
            passes=True)),
        ('boot_from_volume_needs_no_root', dict(
            host={'disk': 10}, flavor={'root_gb': 100, 'ephemeral_gb': 10},
            is_bfv=True, passes=True)),
        ('boot_from_volume_still_needs_ephemeral', dict(
            host={'disk': 10}, flavor={'root_gb': 100, 'ephemeral_gb': 11},
            is_bfv=True, passes=False)),
        ('boot_from_volume_without_disks_passes_anything', dict(
            host={}, flavor={'root_gb': 100}, is_bfv=True, passes=True)),
        ('reserved_counts', dict(
            host={'disk': 100, 'disk_reserved': 20}, flavor={'root_gb': 81},
            passes=False)),
        ('used_counts', dict(
            host={'disk': 100, 'disk_used': 90}, flavor={'root_gb': 10},
            passes=True)),
        ('used_counts_one_over', dict(
            host={'disk': 100, 'disk_used': 90}, flavor={'root_gb': 11},
            passes=False)),
        ('ratio_overcommits', dict(
            host={'disk': 100, 'disk_ratio': 2.0, 'disk_used': 100},
            flavor={'root_gb': 100}, passes=True)),
        # The claim refuses one allocation above max_unit (the total, as
        # computes report it), whatever the ratio: so does the filter.
        ('one_instance_larger_than_the_host', dict(
            host={'disk': 100, 'disk_ratio': 2.0}, flavor={'root_gb': 200},
            passes=False)),
        ('zero_request_on_full_host', dict(
            host={'disk': 10, 'disk_used': 20}, flavor={}, passes=True)),
    ]
    is_bfv = False

    def test_host(self):
        state = base.test_hosts.make_state([
            dict(self.host, name='h'), {'name': 'big', 'disk': 10 ** 6}])
        request = self.request(flavor=base.make_flavor(**self.flavor),
                               is_bfv=self.is_bfv)
        self.assert_filter(state, request,
                           ['big', 'h'] if self.passes else ['big'])

    def test_runs_for_every_instance(self):
        self.assertFalse(self.filter_class.run_filter_once_per_request)


class TestDiskFilterAgreement(base.AgreementTestCase):

    filter_class = disk.DiskFilter

    def random_requests(self, rng, state):
        for amount in (0, 1, 10, 90, 101, 200):
            yield self.request(flavor=base.make_flavor(root_gb=amount))
