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
