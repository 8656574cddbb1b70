import uuid as uuid_lib

from tests.unit.api import base


class InventoryTest(base.APITestCase):

    def setUp(self):
        super().setUp()
        self.rp = self.provider('rp')
        self.path = '/resource_providers/%s/inventories' % self.rp

    def put_all(self, generation, **totals):
        return self.call('PUT', self.path, {
            'resource_provider_generation': generation,
            'inventories': {rc: {'total': t} for rc, t in totals.items()}})

    def test_replace_moves_generation_and_stores_capacity(self):
        body = self.ok('PUT', self.path, {
            'resource_provider_generation': 0, 'inventories': {
                'VCPU': {'total': 8, 'allocation_ratio': 2.0,
                         'reserved': 2}}})
        self.assertEqual(1, body['resource_provider_generation'])
        self.assertEqual(12, self.db.get_provider(
            self.rp)['inventories']['VCPU']['capacity'])

    def test_refuses_a_stale_generation_as_concurrent_update(self):
        self.put_all(0, VCPU=8)
        code, data, _ = self.put_all(0, VCPU=4)
        self.assertEqual(409, code)
        self.assertEqual('placement.concurrent_update',
                         data['errors'][0]['code'])
        self.assertEqual(8, self.db.get_provider(
            self.rp)['inventories']['VCPU']['total'])

    def test_refuses_removing_a_class_still_allocated_as_inuse(self):
        self.put_all(0, VCPU=8, MEMORY_MB=1024)
        self.ok('PUT', '/allocations/%s' % uuid_lib.uuid4(), {
            'allocations': {self.rp: {'resources': {'VCPU': 6}}},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None})
        code, data, _ = self.put_all(self.generation(self.rp),
                                     MEMORY_MB=1024)
        self.assertEqual(409, code)
        self.assertEqual('placement.inventory.inuse',
                         data['errors'][0]['code'])
        error = self.error('DELETE', self.path + '/VCPU')
        self.assertEqual('placement.inventory.inuse', error['code'])

    def test_shrinking_below_what_is_allocated_leaves_no_room(self):
        # placement takes it (a compute raising its reserved amount): the
        # consumers keep what they hold, nothing more fits.
        self.put_all(0, VCPU=8, MEMORY_MB=1024)
        self.ok('PUT', '/allocations/%s' % uuid_lib.uuid4(), {
            'allocations': {self.rp: {'resources': {'VCPU': 6}}},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None})
        code, data, _ = self.put_all(self.generation(self.rp), VCPU=4,
                                     MEMORY_MB=1024)
        self.assertEqual(200, code, data)
        self.assertEqual(4, data['inventories']['VCPU']['total'])
        self.error('PUT', '/allocations/%s' % uuid_lib.uuid4(), {
            'allocations': {self.rp: {'resources': {'VCPU': 1}}},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None})

    def test_deleted_class_is_no_longer_listed(self):
        self.put_all(0, VCPU=8, DISK_GB=10)
        self.ok('DELETE', self.path + '/DISK_GB', status=204)
        listed = self.ok('GET', self.path)
        self.assertEqual(['VCPU'], sorted(listed['inventories']))
        self.error('GET', self.path + '/DISK_GB', status=404)

    def test_post_adds_one_class_and_refuses_it_twice(self):
        body = self.ok('POST', self.path, {
            'resource_provider_generation': 0, 'resource_class': 'VCPU',
            'total': 4}, status=201)
        self.assertEqual((4, 1), (body['total'],
                                  body['resource_provider_generation']))
        self.error('POST', self.path, {
            'resource_provider_generation': 1, 'resource_class': 'VCPU',
            'total': 4})

    def test_put_one_class_updates_it(self):
        self.put_all(0, VCPU=8)
        body = self.ok('PUT', self.path + '/VCPU', {
            'resource_provider_generation': 1, 'total': 16,
            'max_unit': 4})
        self.assertEqual((16, 4, 2), (body['total'], body['max_unit'],
                                      body['resource_provider_generation']))

    def test_custom_class_is_recorded_on_first_inventory(self):
        self.put_all(0, CUSTOM_FPGA=2)
        names = [rc['name'] for rc in self.ok(
            'GET', '/resource_classes')['resource_classes']]
        self.assertIn('CUSTOM_FPGA', names)

    def test_delete_all_empties_the_provider(self):
        self.put_all(0, VCPU=8)
        self.ok('DELETE', self.path, status=204)
        self.assertEqual({}, self.ok('GET', self.path)['inventories'])

    def test_rejects_bad_figures_naming_them(self):
        for inv, word in (({'total': 0}, 'total'),
                          ({'total': 4, 'reserved': 5}, 'reserved'),
                          ({'total': 4, 'min_unit': 3, 'max_unit': 2},
                           'min_unit'),
                          ({'total': 4, 'allocation_ratio': 'high'},
                           'allocation_ratio'),
                          ({'total': 'four'}, 'total'),
                          ({'total': 4, 'colour': 1}, 'colour')):
            error = self.error('PUT', self.path, {
                'resource_provider_generation': 0,
                'inventories': {'VCPU': inv}}, status=400)
            self.assertIn(word, error['detail'])

    def test_rejects_an_unknown_resource_class(self):
        code, data, _ = self.put_all(0, NOT_A_CLASS=1)
        self.assertEqual(400, code)
        self.assertIn('NOT_A_CLASS', data['errors'][0]['detail'])

    def test_reserved_equal_to_total_needs_1_26(self):
        body = {'resource_provider_generation': 0,
                'inventories': {'VCPU': {'total': 4, 'reserved': 4}}}
        self.error('PUT', self.path, body, '1.25', status=400)
        self.ok('PUT', self.path, body, '1.26')

    def test_refuses_no_capacity_before_1_26_and_negative_from_it(self):
        for inv, version in (({'total': 4, 'allocation_ratio': 0}, '1.25'),
                             ({'total': 4, 'reserved': 5}, '1.26')):
            error = self.error('PUT', self.path, {
                'resource_provider_generation': 0,
                'inventories': {'VCPU': inv}}, version, status=400)
            self.assertIn("Invalid inventory for 'VCPU' on resource "
                          "provider", error['detail'])
        self.ok('PUT', self.path, {
            'resource_provider_generation': 0,
            'inventories': {'VCPU': {'total': 4, 'allocation_ratio': 0}}},
            '1.26')

    def test_refuses_figures_over_placement_limits_with_schema_detail(self):
        error = self.error('PUT', self.path, {
            'resource_provider_generation': 0,
            'inventories': {'VCPU': {'total': 2 ** 31}}}, status=400)
        self.assertIn("Failed validating 'maximum'", error['detail'])

    def test_in_use_refusal_names_every_class_still_held(self):
        self.put_all(0, VCPU=8, DISK_GB=100)
        self.ok('PUT', '/allocations/%s' % uuid_lib.uuid4(), {
            'allocations': {self.rp: {'resources': {'VCPU': 1,
                                                    'DISK_GB': 10}}},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None})
        error = self.error('DELETE', self.path, version='1.5')
        self.assertEqual('placement.inventory.inuse', error['code'])
        self.assertIn("Inventory for 'VCPU, DISK_GB' on resource provider "
                      "'%s' in use." % self.rp, error['detail'])
