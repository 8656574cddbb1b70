from tests.unit.api import base


class TraitTest(base.APITestCase):

    def test_custom_trait_is_created_once(self):
        self.ok('PUT', '/traits/CUSTOM_GOLD', status=201)
        self.ok('PUT', '/traits/CUSTOM_GOLD', status=204)
        self.ok('GET', '/traits/CUSTOM_GOLD', status=204)
        self.assertEqual(['CUSTOM_GOLD'], self.ok(
            'GET', '/traits?name=startswith:CUSTOM_')['traits'])

    def test_refuses_to_create_a_non_custom_trait(self):
        self.error('PUT', '/traits/GOLD', status=400)

    def test_lists_standard_traits_by_name(self):
        self.assertEqual(['HW_CPU_X86_AVX2'], self.ok(
            'GET', '/traits?name=in:HW_CPU_X86_AVX2,CUSTOM_NONE')['traits'])

    def test_provider_traits_replace_and_move_generation(self):
        rp = self.provider('rp')
        self.ok('PUT', '/traits/CUSTOM_GOLD', status=201)
        body = self.ok('PUT', '/resource_providers/%s/traits' % rp, {
            'traits': ['CUSTOM_GOLD', 'HW_CPU_X86_AVX2'],
            'resource_provider_generation': 0})
        self.assertEqual(1, body['resource_provider_generation'])
        self.assertEqual(['CUSTOM_GOLD', 'HW_CPU_X86_AVX2'],
                         self.db.get_provider(rp)['traits'])
        self.assertEqual(['CUSTOM_GOLD'], self.ok(
            'GET', '/traits?name=startswith:CUSTOM_&associated=true'
        )['traits'])
        self.ok('DELETE', '/resource_providers/%s/traits' % rp, status=204)
        self.assertEqual([], self.db.get_provider(rp)['traits'])

    def test_refuses_unknown_traits_and_stale_generations(self):
        rp = self.provider('rp')
        error = self.error('PUT', '/resource_providers/%s/traits' % rp, {
            'traits': ['CUSTOM_NEVER_MADE'],
            'resource_provider_generation': 0}, status=400)
        self.assertIn('CUSTOM_NEVER_MADE', error['detail'])
        error = self.error('PUT', '/resource_providers/%s/traits' % rp, {
            'traits': [], 'resource_provider_generation': 7})
        self.assertEqual('placement.concurrent_update', error['code'])

    def test_refuses_to_delete_a_trait_in_use(self):
        rp = self.provider('rp')
        self.ok('PUT', '/traits/CUSTOM_GOLD', status=201)
        self.ok('PUT', '/resource_providers/%s/traits' % rp, {
            'traits': ['CUSTOM_GOLD'], 'resource_provider_generation': 0})
        self.error('DELETE', '/traits/CUSTOM_GOLD')
        self.error('DELETE', '/traits/HW_CPU_X86_AVX2', status=400)

    def test_refuses_deleting_a_trait_a_provider_has_with_409(self):
        rp = self.provider('rp')
        self.ok('PUT', '/traits/CUSTOM_HELD', status=201)
        self.ok('PUT', '/resource_providers/%s/traits' % rp, {
            'traits': ['CUSTOM_HELD'], 'resource_provider_generation': 0})
        error = self.error('DELETE', '/traits/CUSTOM_HELD')
        self.assertIn('The trait CUSTOM_HELD is in use by a resource '
                      'provider.', error['detail'])

    def test_put_trait_from_1_15_is_marked_not_to_be_cached(self):
        _code, _data, resp = self.call('PUT', '/traits/CUSTOM_NEW',
                                       version='1.15')
        self.assertEqual('no-cache', resp.headers['Cache-Control'])
        self.assertIn('Last-Modified', resp.headers)
