"""AllHostsFilter keeps every host, whatever state it is in."""

from gantt.filters import all_hosts
from tests.unit.filters import base


class TestAllHostsFilter(base.FilterTestCase):

    filter_class = all_hosts.AllHostsFilter

    def test_keeps_every_host(self):
        state = base.test_hosts.make_state([
            {'name': 'up'},
            {'name': 'down', 'age': 10 ** 6, 'disabled': True},
            {'name': 'full', 'ram': 0, 'ram_used': 1024},
        ])
        self.assert_filter(state, self.request(), ['down', 'full', 'up'])

    def test_runs_once_per_request(self):
        self.assertTrue(self.filter_class.run_filter_once_per_request)


class TestAllHostsFilterAgreement(base.AgreementTestCase):

    filter_class = all_hosts.AllHostsFilter
