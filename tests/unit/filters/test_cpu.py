"""CoreFilter keeps hosts whose unallocated VCPU covers the flavor."""

import testscenarios

from gantt.filters import cpu
from tests.unit.filters import base


class TestCoreFilter(testscenarios.WithScenarios, base.FilterTestCase):

    filter_class = cpu.CoreFilter
    scenarios = [
        ('fits', dict(host={'vcpus': 4}, vcpus=2, passes=True)),
        ('exactly_at_capacity', dict(host={'vcpus': 4}, vcpus=4,
                                     passes=True)),
        ('one_too_many', dict(host={'vcpus': 4}, vcpus=5, passes=False)),
        ('default_style_ratio', dict(
            host={'vcpus': 4, 'cpu_ratio': 16.0, 'vcpus_used': 60},
            vcpus=4, passes=True)),
        ('ratio_no_further', dict(
            host={'vcpus': 4, 'cpu_ratio': 16.0, 'vcpus_used': 61},
            vcpus=4, passes=False)),
        # The claim refuses one allocation above max_unit (the total, as
        # computes report it), whatever the ratio: so does the filter.
        ('one_instance_larger_than_the_host', dict(
            host={'vcpus': 4, 'cpu_ratio': 16.0}, vcpus=5, passes=False)),
        ('used_counts', dict(
            host={'vcpus': 4, 'cpu_ratio': 2.0, 'vcpus_used': 6}, vcpus=3,
            passes=False)),
        ('used_leaves_exactly_enough', dict(
            host={'vcpus': 4, 'cpu_ratio': 2.0, 'vcpus_used': 6}, vcpus=2,
            passes=True)),
        ('reserved_before_ratio', dict(
            host={'vcpus': 4, 'vcpus_reserved': 1, 'cpu_ratio': 2.0},
            vcpus=7, passes=False)),
        ('reserved_leaves_exactly_enough', dict(
            host={'vcpus': 4, 'vcpus_reserved': 1, 'cpu_ratio': 2.0,
                  'vcpus_used': 2}, vcpus=4, passes=True)),
        ('capacity_is_floored', dict(
            host={'vcpus': 3, 'cpu_ratio': 1.5}, vcpus=5, passes=False)),
        ('zero_request_on_overcommitted_host', dict(
            host={'vcpus': 1, 'vcpus_used': 8}, vcpus=0, passes=True)),
        ('host_without_vcpus', dict(host={}, vcpus=1, passes=False)),
        ('extra_spec_overrides_flavor', dict(
            host={'vcpus': 4}, vcpus=1,
            extra_specs={'resources:VCPU': '5'}, passes=False)),
    ]
    extra_specs = None

    def test_host(self):
        state = base.test_hosts.make_state([
            dict(self.host, name='h'), {'name': 'big', 'vcpus': 1000}])
        request = self.request(flavor=base.make_flavor(
            vcpus=self.vcpus, extra_specs=self.extra_specs))
        self.assert_filter(state, request,
                           ['big', 'h'] if self.passes else ['big'])

    def test_runs_for_every_instance(self):
        self.assertFalse(self.filter_class.run_filter_once_per_request)


class TestCoreFilterAgreement(base.AgreementTestCase):

    filter_class = cpu.CoreFilter

    def random_requests(self, rng, state):
        for amount in (0, 1, 2, 4, 16, 64):
            yield self.request(flavor=base.make_flavor(vcpus=amount))
