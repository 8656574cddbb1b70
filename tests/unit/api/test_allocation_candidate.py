import uuid as uuid_lib

from tests.unit.api import base


class AllocationCandidateTest(base.APITestCase):

    def setUp(self):
        super().setUp()
        self.node = self.add_node(vcpus=8, memory_mb=4096, host='big').uuid
        self.small = self.add_node(vcpus=2, memory_mb=1024,
                                   host='small').uuid
        self.fpga = self.provider('fpga', parent=self.node,
                                  inventories={'CUSTOM_FPGA': 2})

    def candidates(self, query, version=None):
        return self.ok('GET', '/allocation_candidates?' + query,
                       version=version)

    def test_only_hosts_with_room_are_candidates(self):
        body = self.candidates('resources=VCPU:4,MEMORY_MB:2048')
        self.assertEqual(
            [{self.node: {'resources': {'MEMORY_MB': 2048, 'VCPU': 4}}}],
            [ar['allocations'] for ar in body['allocation_requests']])
        summary = body['provider_summaries'][self.node]
        self.assertEqual({'capacity': 8, 'used': 0},
                         summary['resources']['VCPU'])
        self.assertEqual(self.node, summary['root_provider_uuid'])

    def test_a_numbered_group_lands_on_the_child(self):
        body = self.candidates('resources=VCPU:1&resources1=CUSTOM_FPGA:1')
        [ar] = body['allocation_requests']
        self.assertEqual({'VCPU': 1},
                         ar['allocations'][self.node]['resources'])
        self.assertEqual({'CUSTOM_FPGA': 1},
                         ar['allocations'][self.fpga]['resources'])
        self.assertEqual([self.fpga], ar['mappings']['1'])

    def test_claims_through_the_api_take_hosts_out(self):
        self.ok('PUT', '/allocations/%s' % uuid_lib.uuid4(), {
            'allocations': {self.node: {'resources': {'VCPU': 6}}},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None})
        body = self.candidates('resources=VCPU:4')
        self.assertEqual([], body['allocation_requests'])
        body = self.candidates('resources=VCPU:2')
        self.assertEqual({self.node, self.small}, {
            rp for ar in body['allocation_requests']
            for rp in ar['allocations']})

    def test_required_traits_and_limit(self):
        self.ok('PUT', '/traits/CUSTOM_GOLD', status=201)
        self.ok('PUT', '/resource_providers/%s/traits' % self.small, {
            'traits': ['CUSTOM_GOLD'],
            'resource_provider_generation': self.generation(self.small)})
        body = self.candidates('resources=VCPU:1&required=CUSTOM_GOLD')
        self.assertEqual([self.small], [
            rp for ar in body['allocation_requests']
            for rp in ar['allocations']])
        body = self.candidates('resources=VCPU:1&required=!CUSTOM_GOLD')
        self.assertEqual([self.node], [
            rp for ar in body['allocation_requests']
            for rp in ar['allocations']])
        body = self.candidates('resources=VCPU:1&limit=1')
        self.assertEqual(1, len(body['allocation_requests']))

    def test_list_shape_and_no_mappings_before_1_12(self):
        body = self.candidates('resources=VCPU:4', version='1.11')
        self.assertEqual([[{'resource_provider': {'uuid': self.node},
                            'resources': {'VCPU': 4}}]],
                         [ar['allocations']
                          for ar in body['allocation_requests']])

    def test_refuses_a_query_without_resources_or_with_bad_ones(self):
        self.error('GET', '/allocation_candidates?required=CUSTOM_GOLD',
                   status=400)
        self.error('GET', '/allocation_candidates?resources=VCPU', status=400)
        self.error('GET', '/allocation_candidates?resources=NOPE:1',
                   status=400)

    def test_summaries_carry_the_whole_tree_from_1_29(self):
        body = self.candidates('resources=VCPU:1', version='1.29')
        summaries = body['provider_summaries']
        self.assertIn(self.fpga, summaries)
        self.assertEqual({'CUSTOM_FPGA': {'capacity': 2, 'used': 0}},
                         summaries[self.fpga]['resources'])
        self.assertEqual(self.node,
                         summaries[self.fpga]['parent_provider_uuid'])
        body = self.candidates('resources=VCPU:1', version='1.28')
        self.assertNotIn(self.fpga, body['provider_summaries'])

    def test_summaries_list_only_requested_classes_before_1_27(self):
        body = self.candidates('resources=VCPU:1', version='1.26')
        self.assertEqual(['VCPU'], list(
            body['provider_summaries'][self.node]['resources']))
        body = self.candidates('resources=VCPU:1', version='1.27')
        self.assertEqual(
            {'VCPU', 'MEMORY_MB'},
            set(body['provider_summaries'][self.node]['resources']) &
            {'VCPU', 'MEMORY_MB'})

    def test_nested_candidates_hidden_before_1_29(self):
        query = 'resources=VCPU:1,CUSTOM_FPGA:1'
        self.assertEqual([], self.candidates(
            query, version='1.28')['allocation_requests'])
        [ar] = self.candidates(query, version='1.29')['allocation_requests']
        self.assertEqual({self.node, self.fpga}, set(ar['allocations']))

    def test_the_first_limit_counts(self):
        body = self.candidates('resources=VCPU:1&limit=2&limit=1',
                               version='1.16')
        self.assertEqual(2, len(body['allocation_requests']))

    def test_refuses_parameters_newer_than_the_microversion(self):
        for query, version in (('resources=VCPU:1&limit=1', '1.15'),
                               ('resources=VCPU:1&required=HW_CPU_X86_SSE',
                                '1.16'),
                               ('resources1=VCPU:1', '1.24'),
                               ('resources_A=VCPU:1', '1.32'),
                               ('resources=VCPU:1&root_required=CUSTOM_X',
                                '1.34')):
            error = self.error('GET', '/allocation_candidates?' + query,
                               status=400, version=version)
            self.assertIn("Failed validating 'additionalProperties'",
                          error['detail'], query)

    def test_refuses_a_bad_limit_or_group_policy(self):
        for query in ('limit=0', 'limit=-1', 'limit=cow'):
            error = self.error(
                'GET', '/allocation_candidates?resources=VCPU:1&' + query,
                status=400, version='1.16')
            self.assertIn("Failed validating 'pattern'", error['detail'])
        error = self.error(
            'GET', '/allocation_candidates?resources1=VCPU:1&'
            'resources2=MEMORY_MB:1&group_policy=bogus', status=400,
            version='1.25')
        self.assertIn("'bogus' is not one of ['none', 'isolate']",
                      error['detail'])

    def test_two_numbered_groups_need_a_group_policy(self):
        error = self.error(
            'GET', '/allocation_candidates?resources1=VCPU:1&'
            'resources2=MEMORY_MB:1', status=400, version='1.25')
        self.assertIn('"group_policy" parameter is required', error['detail'])

    def test_unknown_class_and_trait_are_named(self):
        error = self.error('GET', '/allocation_candidates?'
                           'resources=CUSTOM_NOPE:1', status=400)
        self.assertIn('No such resource class CUSTOM_NOPE', error['detail'])
        error = self.error('GET', '/allocation_candidates?resources=VCPU:1'
                           '&required=CUSTOM_NOPE', status=400,
                           version='1.17')
        self.assertIn('No such trait(s): CUSTOM_NOPE', error['detail'])

    def test_resourceless_group_needs_same_subtree(self):
        self.ok('PUT', '/traits/CUSTOM_GOLD', status=201)
        query = 'resources_A=VCPU:1&required_B=CUSTOM_GOLD&group_policy=none'
        error = self.error('GET', '/allocation_candidates?' + query,
                           status=400, version='1.36')
        self.assertIn('Resourceless suffixed group request should be '
                      'specified in `same_subtree`', error['detail'])
        error = self.error('GET', '/allocation_candidates?' + query,
                           status=400, version='1.35')
        self.assertIn('orphaned traits keys: required_B', error['detail'])
