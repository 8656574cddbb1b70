"""What gantt-api writes is what the scheduler decides on: a HostManager
over the same store sees it on its next refresh."""

import uuid as uuid_lib

from gantt import host_manager
from tests.unit.api import base


class SchedulerFeedTest(base.APITestCase):

    def test_scheduler_sees_a_child_traits_and_claims_written_over_rest(self):
        node = self.add_node(vcpus=8)
        manager = host_manager.HostManager(self.conf, self.db)
        manager.snapshot()

        child = self.provider('fpga', parent=node.uuid)
        self.ok('PUT', '/resource_providers/%s/inventories' % child, {
            'resource_provider_generation': 0,
            'inventories': {'CUSTOM_FPGA': {'total': 2}}})
        self.ok('PUT', '/traits/CUSTOM_GOLD', status=201)
        self.ok('PUT', '/resource_providers/%s/traits' % node.uuid, {
            'traits': ['CUSTOM_GOLD'],
            'resource_provider_generation': self.generation(node.uuid)})
        self.ok('PUT', '/allocations/%s' % uuid_lib.uuid4(), {
            'allocations': {node.uuid: {'resources': {'VCPU': 3}}},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None})

        manager.refresh()
        state = manager.snapshot()
        row = state.index[node.uuid]
        self.assertEqual([row, state.index[child]],
                         list(state.tree_slots(node.uuid)))
        self.assertIn(row, state.trait_slots['CUSTOM_GOLD'])
        self.assertEqual(3, state.view(row).vcpus_used)
