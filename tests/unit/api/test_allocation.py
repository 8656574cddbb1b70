import uuid as uuid_lib

from tests.unit.api import base


def _uuid():
    return str(uuid_lib.uuid4())


class AllocationTest(base.APITestCase):

    def setUp(self):
        super().setUp()
        self.rp = self.provider('rp', inventories={'VCPU': 4,
                                                   'MEMORY_MB': 1024})

    def put(self, consumer, vcpu, generation=None, project='p', version=None):
        return self.call('PUT', '/allocations/%s' % consumer, {
            'allocations': {self.rp: {'resources': {'VCPU': vcpu}}},
            'project_id': project, 'user_id': 'u',
            'consumer_generation': generation}, version)

    def test_claim_is_read_back_with_consumer_generation(self):
        consumer = _uuid()
        self.assertEqual(204, self.put(consumer, 2)[0])
        body = self.ok('GET', '/allocations/%s' % consumer)
        self.assertEqual(({'VCPU': 2}, 1, 'p'), (
            body['allocations'][self.rp]['resources'],
            body['consumer_generation'], body['project_id']))
        self.assertEqual(2, self.used(self.rp, 'VCPU'))

    def test_refuses_a_new_consumer_generation_for_an_existing_one(self):
        consumer = _uuid()
        self.put(consumer, 2)
        code, data, _ = self.put(consumer, 1, generation=None)
        self.assertEqual(409, code)
        self.assertEqual('placement.concurrent_update',
                         data['errors'][0]['code'])
        self.assertEqual(204, self.put(consumer, 1, generation=1)[0])
        self.assertEqual(1, self.used(self.rp, 'VCPU'))

    def test_refuses_a_claim_beyond_capacity(self):
        self.put(_uuid(), 3)
        code, data, _ = self.put(_uuid(), 2)
        self.assertEqual(409, code)
        self.assertIn('VCPU', data['errors'][0]['detail'])
        self.assertEqual(3, self.used(self.rp, 'VCPU'))

    def test_refuses_an_unknown_provider_with_400(self):
        error = self.error('PUT', '/allocations/%s' % _uuid(), {
            'allocations': {_uuid(): {'resources': {'VCPU': 1}}},
            'project_id': 'p', 'user_id': 'u',
            'consumer_generation': None}, status=400)
        self.assertIn('does not exist', error['detail'])

    def test_empty_allocations_release_the_consumer(self):
        consumer = _uuid()
        self.put(consumer, 2)
        self.ok('PUT', '/allocations/%s' % consumer, {
            'allocations': {}, 'project_id': 'p', 'user_id': 'u',
            'consumer_generation': 1}, status=204)
        self.assertEqual(0, self.used(self.rp, 'VCPU'))
        self.assertEqual({'allocations': {}},
                         self.ok('GET', '/allocations/%s' % consumer))

    def test_post_moves_a_full_hosts_claim_to_another_consumer(self):
        instance, migration = _uuid(), _uuid()
        self.put(instance, 4)
        self.ok('POST', '/allocations', {
            instance: {'allocations': {}, 'project_id': 'p',
                       'user_id': 'u', 'consumer_generation': 1},
            migration: {'allocations': {
                self.rp: {'resources': {'VCPU': 4}}}, 'project_id': 'p',
                'user_id': 'u', 'consumer_generation': None}}, status=204)
        self.assertEqual({}, self.db.get_allocations(instance)['allocations'])
        self.assertEqual(
            {'VCPU': 4},
            self.db.get_allocations(migration)['allocations'][self.rp][
                'resources'])
        self.assertEqual(4, self.used(self.rp, 'VCPU'))

    def test_post_changes_nothing_when_one_consumer_conflicts(self):
        first, second = _uuid(), _uuid()
        self.put(first, 1)
        error = self.error('POST', '/allocations', {
            first: {'allocations': {}, 'project_id': 'p', 'user_id': 'u',
                    'consumer_generation': 1},
            second: {'allocations': {self.rp: {'resources': {'VCPU': 1}}},
                     'project_id': 'p', 'user_id': 'u',
                     'consumer_generation': 3}})
        self.assertEqual('placement.concurrent_update', error['code'])
        self.assertEqual(1, self.used(self.rp, 'VCPU'))

    def test_delete_releases_and_then_finds_nothing(self):
        consumer = _uuid()
        self.put(consumer, 2)
        self.ok('DELETE', '/allocations/%s' % consumer, status=204)
        self.assertEqual(0, self.used(self.rp, 'VCPU'))
        self.error('DELETE', '/allocations/%s' % consumer, status=404)

    def test_list_format_before_1_12(self):
        consumer = _uuid()
        self.ok('PUT', '/allocations/%s' % consumer, {
            'allocations': [{'resource_provider': {'uuid': self.rp},
                             'resources': {'VCPU': 1}}],
            'project_id': 'p', 'user_id': 'u'}, version='1.11', status=204)
        self.assertEqual(1, self.used(self.rp, 'VCPU'))

    def test_usages_per_provider_and_per_project(self):
        self.put(_uuid(), 1, project='p1')
        self.put(_uuid(), 2, project='p1')
        self.put(_uuid(), 1, project='p2')
        body = self.ok('GET', '/resource_providers/%s/usages' % self.rp)
        self.assertEqual({'VCPU': 4, 'MEMORY_MB': 0}, body['usages'])
        self.assertEqual({'usages': {'VCPU': 3}},
                         self.ok('GET', '/usages?project_id=p1'))
        self.error('GET', '/usages', status=400)

    def test_provider_allocations_list_each_consumer(self):
        consumer = _uuid()
        self.put(consumer, 2)
        body = self.ok('GET', '/resource_providers/%s/allocations' % self.rp)
        self.assertEqual({consumer: {'resources': {'VCPU': 2}}},
                         body['allocations'])

    def test_replacing_a_claim_moves_its_providers_generation_once(self):
        consumer = _uuid()
        self.put(consumer, 1)
        before = self.generation(self.rp)
        self.assertEqual(204, self.put(consumer, 2, generation=1)[0])
        self.assertEqual(before + 1, self.generation(self.rp))

    def test_refusals_use_placements_words(self):
        consumer = _uuid()
        self.put(consumer, 1)
        code, data, _ = self.put(consumer, 1, generation=7)
        self.assertIn('consumer generation conflict - expected 1 but got 7',
                      data['errors'][0]['detail'])
        error = self.error('PUT', '/allocations/%s' % _uuid(), {
            'allocations': {self.rp: {'resources': {'VCPU': 9}}},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None})
        self.assertIn("Unable to create allocation for 'VCPU' on resource "
                      "provider '%s'. The requested amount would exceed the "
                      "capacity." % self.rp, error['detail'])
        error = self.error('PUT', '/allocations/%s' % _uuid(), {
            'allocations': {self.rp: {'resources': {'VCPU': 0}}},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None},
            status=400)
        self.assertIn('JSON does not validate: 0 is less than the minimum '
                      'of 1', error['detail'])
        error = self.error('PUT', '/allocations/not-a-uuid', {
            'allocations': {}, 'project_id': 'p', 'user_id': 'u',
            'consumer_generation': None}, status=400)
        self.assertIn('Malformed consumer_uuid: not-a-uuid', error['detail'])
