import uuid as uuid_lib

from tests.unit.api import base


class ReshaperTest(base.APITestCase):

    def test_moves_inventory_and_its_allocations_to_a_child(self):
        root = self.provider('root', inventories={'VCPU': 4, 'VGPU': 2})
        child = self.provider('gpu', parent=root)
        consumer = str(uuid_lib.uuid4())
        self.ok('PUT', '/allocations/%s' % consumer, {
            'allocations': {root: {'resources': {'VCPU': 1, 'VGPU': 2}}},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None})
        self.ok('POST', '/reshaper', {
            'inventories': {
                root: {'resource_provider_generation': self.generation(root),
                       'inventories': {'VCPU': {'total': 4}}},
                child: {'resource_provider_generation': 0,
                        'inventories': {'VGPU': {'total': 2}}}},
            'allocations': {consumer: {
                'allocations': {root: {'resources': {'VCPU': 1}},
                                child: {'resources': {'VGPU': 2}}},
                'project_id': 'p', 'user_id': 'u',
                'consumer_generation': 1}}}, status=204)
        self.assertEqual(2, self.used(child, 'VGPU'))
        self.assertEqual(0, self.used(root, 'VGPU'))
        self.assertNotIn('VGPU', self.ok(
            'GET', '/resource_providers/%s/inventories' % root)[
                'inventories'])
        self.assertEqual(2, self.ok('GET', '/allocations/%s' % consumer)[
            'consumer_generation'])

    def test_changes_nothing_when_a_generation_is_stale(self):
        root = self.provider('root', inventories={'VCPU': 4})
        error = self.error('POST', '/reshaper', {
            'inventories': {root: {'resource_provider_generation': 0,
                                   'inventories': {'VCPU': {'total': 8}}}},
            'allocations': {}})
        self.assertEqual('placement.concurrent_update', error['code'])
        self.assertEqual(4, self.db.get_provider(root)['inventories'][
            'VCPU']['total'])
