import uuid as uuid_lib

from tests.unit.api import base


class AggregateTest(base.APITestCase):

    def test_sets_aggregates_with_generation_from_1_19(self):
        rp = self.provider('rp')
        agg = str(uuid_lib.uuid4())
        body = self.ok('PUT', '/resource_providers/%s/aggregates' % rp, {
            'aggregates': [agg], 'resource_provider_generation': 0})
        self.assertEqual({'aggregates': [agg],
                          'resource_provider_generation': 1}, body)
        self.assertEqual([agg], self.db.get_provider(rp)['aggregates'])
        error = self.error('PUT', '/resource_providers/%s/aggregates' % rp,
                           {'aggregates': [],
                            'resource_provider_generation': 0})
        self.assertEqual('placement.concurrent_update', error['code'])

    def test_takes_a_bare_list_before_1_19(self):
        rp = self.provider('rp')
        agg = str(uuid_lib.uuid4())
        body = self.ok('PUT', '/resource_providers/%s/aggregates' % rp,
                       [agg], version='1.18')
        self.assertEqual({'aggregates': [agg]}, body)

    def test_refuses_what_is_not_a_uuid(self):
        rp = self.provider('rp')
        self.error('PUT', '/resource_providers/%s/aggregates' % rp, {
            'aggregates': ['not-a-uuid'],
            'resource_provider_generation': 0}, status=400)
