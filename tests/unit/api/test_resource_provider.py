import uuid as uuid_lib

from tests.unit.api import base


class ResourceProviderTest(base.APITestCase):

    def test_child_belongs_to_its_parents_tree(self):
        root = self.provider('root')
        mid = self.provider('mid', parent=root)
        leaf = self.provider('leaf', parent=mid)
        shown = self.ok('GET', '/resource_providers/%s' % leaf)
        self.assertEqual((mid, root), (shown['parent_provider_uuid'],
                                       shown['root_provider_uuid']))
        listed = self.ok('GET', '/resource_providers?in_tree=%s' % leaf)
        self.assertEqual({root, mid, leaf}, {
            rp['uuid'] for rp in listed['resource_providers']})

    def test_create_before_1_20_answers_201_with_location_only(self):
        uuid = str(uuid_lib.uuid4())
        code, data, resp = self.call('POST', '/resource_providers',
                                     {'uuid': uuid, 'name': 'n'}, '1.19')
        self.assertEqual((201, None), (code, data))
        self.assertTrue(resp.headers['Location'].endswith(uuid))

    def test_refuses_a_taken_name_with_duplicate_name_code(self):
        self.provider('same')
        error = self.error('POST', '/resource_providers', {'name': 'same'})
        self.assertEqual('placement.duplicate_name', error['code'])

    def test_refuses_an_unknown_parent(self):
        self.error('POST', '/resource_providers', {
            'name': 'orphan', 'parent_provider_uuid': str(uuid_lib.uuid4())},
            status=400)

    def test_refuses_parent_before_1_14(self):
        root = self.provider('root')
        self.error('POST', '/resource_providers', {
            'name': 'c', 'parent_provider_uuid': root}, '1.13', status=400)

    def test_refuses_to_delete_a_parent_then_deletes_leaf_and_parent(self):
        root = self.provider('root')
        child = self.provider('child', parent=root)
        error = self.error('DELETE', '/resource_providers/%s' % root)
        self.assertIn('Unable to delete parent resource provider %s: It has '
                      'child resource providers.' % root, error['detail'])
        self.assertEqual('placement.resource_provider.cannot_delete_parent',
                         error['code'])
        self.ok('DELETE', '/resource_providers/%s' % child, status=204)
        self.ok('DELETE', '/resource_providers/%s' % root, status=204)
        self.error('GET', '/resource_providers/%s' % root, status=404)

    def test_refuses_to_delete_a_provider_holding_allocations(self):
        rp = self.provider('rp', inventories={'VCPU': 4})
        self.ok('PUT', '/allocations/%s' % uuid_lib.uuid4(), {
            'allocations': {rp: {'resources': {'VCPU': 1}}},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None})
        error = self.error('DELETE', '/resource_providers/%s' % rp)
        self.assertEqual('placement.resource_provider.inuse', error['code'])

    def test_reparenting_moves_the_whole_subtree_to_the_new_root(self):
        old_root = self.provider('old')
        sub = self.provider('sub', parent=old_root)
        below = self.provider('below', parent=sub)
        new_root = self.provider('new')
        self.ok('PUT', '/resource_providers/%s' % sub,
                {'name': 'sub', 'parent_provider_uuid': new_root})
        shown = self.ok('GET', '/resource_providers/%s' % below)
        self.assertEqual(new_root, shown['root_provider_uuid'])

    def test_refuses_making_a_provider_its_own_ancestor(self):
        root = self.provider('root')
        child = self.provider('child', parent=root)
        other = self.provider('other')
        self.ok('PUT', '/resource_providers/%s' % other,
                {'name': 'other', 'parent_provider_uuid': child})
        self.error('PUT', '/resource_providers/%s' % child,
                   {'name': 'child', 'parent_provider_uuid': other},
                   status=400)

    def test_lists_by_aggregate_traits_and_free_resources(self):
        agg = str(uuid_lib.uuid4())
        shared = self.provider('shared', inventories={'DISK_GB': 100})
        self.provider('plain', inventories={'DISK_GB': 10})
        self.ok('PUT', '/resource_providers/%s/aggregates' % shared,
                {'aggregates': [agg], 'resource_provider_generation': 1})
        self.ok('PUT', '/resource_providers/%s/traits' % shared, {
            'traits': ['MISC_SHARES_VIA_AGGREGATE'],
            'resource_provider_generation': 2})

        def names(query):
            return sorted(rp['name'] for rp in self.ok(
                'GET', '/resource_providers?' + query)['resource_providers'])
        self.assertEqual(['shared'], names(
            'member_of=in:%s&required=MISC_SHARES_VIA_AGGREGATE' % agg))
        self.assertEqual(['plain'], names(
            'required=!MISC_SHARES_VIA_AGGREGATE'))
        self.assertEqual(['plain'], names('member_of=!%s' % agg))
        self.assertEqual(['shared'], names('resources=DISK_GB:50'))
        self.assertEqual(['plain', 'shared'], names('resources=DISK_GB:5'))

    def test_refuses_unknown_query_parameters(self):
        error = self.error('GET', '/resource_providers?colour=red',
                           status=400)
        self.assertIn('colour', error['detail'])

    def test_unparents_a_child_from_1_37_only(self):
        root = self.provider('root')
        child = self.provider('child', parent=root)
        path = '/resource_providers/%s' % child
        body = {'name': 'child', 'parent_provider_uuid': None}
        error = self.error('PUT', path, body, '1.36', status=400)
        self.assertIn('un-parenting a provider is not currently allowed',
                      error['detail'])
        shown = self.ok('PUT', path, body, '1.37')
        self.assertEqual((None, child), (shown['parent_provider_uuid'],
                                         shown['root_provider_uuid']))

    def test_refuses_a_name_over_200_characters_with_schema_detail(self):
        error = self.error('POST', '/resource_providers', {'name': 'x' * 201},
                           status=400)
        self.assertIn("Failed validating 'maxLength'", error['detail'])

    def test_refuses_forbidden_trait_filter_before_1_22(self):
        error = self.error('GET', '/resource_providers?required=!CUSTOM_A',
                           version='1.21', status=400)
        self.assertIn("Expected 'required' parameter value of the form: "
                      "HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: !CUSTOM_A",
                      error['detail'])
