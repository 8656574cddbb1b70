"""aggregate_values: comma-separated metadata and per-host unions."""

import testtools

from gantt.filters import aggregate_values
from tests.unit.filters import matchers


class AggregateValuesTestCase(testtools.TestCase):

    def test_split_strips_spaces(self):
        self.assertEqual({'a', 'b'}, aggregate_values.split(' a , b'))
        self.assertEqual({''}, aggregate_values.split(''))

    def test_host_metadata_is_a_union(self):
        state = matchers.varied_state()
        view = state.view(state.index['uuid-kvm1'])
        metadata = aggregate_values.host_metadata(view)
        self.assertEqual({'ubuntu', 'fedora'}, metadata['os_distro'])
        self.assertEqual({'p1', 'p2'}, metadata['filter_tenant_id'])

    def test_key_mask(self):
        state = matchers.varied_state()
        has, ok = aggregate_values.key_mask(
            state, 'ssd', lambda values: 'true' in values)
        names = state.nodenames[:state.n]
        self.assertEqual(['kvm1', 'kvm2', 'xen'], sorted(names[has]))
        self.assertEqual(['kvm1', 'kvm2'], sorted(names[ok]))
