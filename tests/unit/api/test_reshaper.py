"""POST /reshaper over a real SQLite store: inventories and allocations
move together, or nothing changes."""

import uuid as uuid_lib

from gantt import host_manager
from tests.unit.api import base


class ReshaperTest(base.APITestCase):

    def setUp(self):
        super().setUp()
        # A host whose VGPUs the driver now reports on a GPU child: the
        # instance holds VCPU and VGPU on the root.
        self.root = self.provider('root', inventories={'VCPU': 4, 'VGPU': 2})
        self.child = self.provider('gpu', parent=self.root)
        self.instance = str(uuid_lib.uuid4())
        self.ok('PUT', '/allocations/%s' % self.instance, {
            'allocations': {self.root: {'resources': {'VCPU': 1,
                                                      'VGPU': 2}}},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None})

    def body(self, child_inventories=None, child_allocation=None,
             root_inventories=None, **consumer):
        """The reshape that moves VGPU (and the instance's VGPU) to the
        child, with the parts a test changes."""
        entry = {'allocations': {
            self.root: {'resources': {'VCPU': 1}},
            self.child: {'resources': child_allocation or {'VGPU': 2}}},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': 1}
        entry.update(consumer)
        return {
            'inventories': {
                self.root: {
                    'resource_provider_generation': self.generation(
                        self.root),
                    'inventories': root_inventories or {
                        'VCPU': {'total': 4}}},
                self.child: {
                    'resource_provider_generation': self.generation(
                        self.child),
                    'inventories': child_inventories or {
                        'VGPU': {'total': 2}}}},
            'allocations': {self.instance: entry}}

    def state(self):
        """Everything a reshape could change."""
        return [self.ok('GET', '/resource_providers/%s/%s' % (rp, what))
                for rp in (self.root, self.child)
                for what in ('inventories', 'usages')] + [
            self.ok('GET', '/allocations/%s' % self.instance)]

    def test_moves_inventory_and_its_allocations_to_a_child(self):
        self.ok('POST', '/reshaper', self.body(), status=204)
        self.assertEqual(2, self.used(self.child, 'VGPU'))
        self.assertEqual(0, self.used(self.root, 'VGPU'))
        self.assertNotIn('VGPU', self.ok(
            'GET', '/resource_providers/%s/inventories' % self.root)[
                'inventories'])
        self.assertEqual(2, self.ok('GET', '/allocations/%s' %
                                    self.instance)['consumer_generation'])

    def test_moves_each_generation_on_once_per_step_that_touched_it(self):
        # Placement's count: the interim inventories, the allocations,
        # the final inventories.
        root, child = self.generation(self.root), self.generation(self.child)
        self.ok('POST', '/reshaper', self.body(), status=204)
        self.assertEqual((root + 3, child + 3), (
            self.generation(self.root), self.generation(self.child)))

    def test_changes_nothing_when_a_generation_is_stale(self):
        before = self.state()
        body = self.body()
        body['inventories'][self.root]['resource_provider_generation'] -= 1
        error = self.error('POST', '/reshaper', body)
        self.assertEqual('placement.concurrent_update', error['code'])
        self.assertIn('resource provider generation conflict', error['detail'])
        self.assertEqual(before, self.state())

    def test_changes_nothing_when_a_consumer_generation_is_stale(self):
        before = self.state()
        error = self.error('POST', '/reshaper',
                           self.body(consumer_generation=7))
        self.assertEqual('placement.concurrent_update', error['code'])
        self.assertIn('consumer generation conflict', error['detail'])
        self.assertEqual(before, self.state())

    def test_refuses_an_unknown_provider_and_changes_nothing(self):
        before = self.state()
        body = self.body()
        body['inventories'][str(uuid_lib.uuid4())] = {
            'resource_provider_generation': 0,
            'inventories': {'VGPU': {'total': 2}}}
        error = self.error('POST', '/reshaper', body, status=400)
        self.assertEqual('placement.resource_provider.not_found',
                         error['code'])
        self.assertEqual(before, self.state())

    def test_refuses_allocations_the_new_inventories_cannot_hold(self):
        before = self.state()
        for why, child_inventories in (
                ('a class the child lacks', {'CUSTOM_FPGA': {'total': 2}}),
                ('more than the child offers', {'VGPU': {'total': 1}})):
            error = self.error('POST', '/reshaper', self.body(
                child_inventories=child_inventories))
            self.assertIn('Unable to allocate inventory', error['detail'],
                          why)
            self.assertEqual(before, self.state(), why)

    def test_refuses_to_drop_a_class_still_allocated(self):
        # The VGPU inventory goes from the root, its allocation stays.
        before = self.state()
        body = self.body()
        body['allocations'] = {}
        error = self.error('POST', '/reshaper', body)
        self.assertEqual('placement.inventory.inuse', error['code'])
        self.assertEqual(before, self.state())

    def test_refuses_an_unknown_field_in_placement_words(self):
        before = self.state()
        body = self.body(bad_field='moo')
        error = self.error('POST', '/reshaper', body, status=400)
        self.assertIn('JSON does not validate', error['detail'])
        self.assertIn("'bad_field' was unexpected", error['detail'])
        self.assertEqual(before, self.state())

    def test_takes_mappings_from_1_34_only(self):
        body = self.body(mappings={'': [self.root]})
        error = self.error('POST', '/reshaper', body, version='1.33',
                           status=400)
        self.assertIn('Additional properties are not allowed',
                      error['detail'])
        self.ok('POST', '/reshaper', body, version='1.34', status=204)
        self.assertEqual(2, self.used(self.child, 'VGPU'))

    def test_refuses_malformed_mappings(self):
        before = self.state()
        for mappings, why in (({'a': 'beta'}, "'beta' is not of type"),
                              ({}, 'should be non-empty'),
                              ({'a': ['not-a-uuid']}, 'is not a')):
            error = self.error('POST', '/reshaper',
                               self.body(mappings=mappings), version='1.34',
                               status=400)
            self.assertIn(why, error['detail'])
        self.assertEqual(before, self.state())

    def test_refuses_a_class_nothing_defines(self):
        error = self.error('POST', '/reshaper', self.body(
            child_inventories={'VGPU_OF_STEEL': {'total': 2}}), status=400)
        self.assertIn('No such resource class VGPU_OF_STEEL',
                      error['detail'])


class NUMAReshapeTest(base.APITestCase):

    def test_splits_root_resources_and_an_allocation_over_numa_cells(self):
        # The driver starts reporting its NUMA cells as children: VCPU
        # and MEMORY_MB leave the root, the instance's share with them.
        root = self.provider('numa-host', inventories={
            'VCPU': 8, 'MEMORY_MB': 4096, 'DISK_GB': 100})
        cells = [self.provider('numa-host_NUMA%d' % i, parent=root)
                 for i in range(2)]
        instance = str(uuid_lib.uuid4())
        self.ok('PUT', '/allocations/%s' % instance, {
            'allocations': {root: {'resources': {
                'VCPU': 4, 'MEMORY_MB': 2048, 'DISK_GB': 10}}},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None})
        cell_inventory = {'VCPU': {'total': 4},
                          'MEMORY_MB': {'total': 2048}}
        self.ok('POST', '/reshaper', {
            'inventories': dict(
                {cell: {'resource_provider_generation': 0,
                        'inventories': cell_inventory} for cell in cells},
                **{root: {'resource_provider_generation':
                          self.generation(root),
                          'inventories': {'DISK_GB': {'total': 100}}}}),
            'allocations': {instance: {
                'allocations': {
                    root: {'resources': {'DISK_GB': 10}},
                    cells[0]: {'resources': {'VCPU': 3,
                                             'MEMORY_MB': 1024}},
                    cells[1]: {'resources': {'VCPU': 1,
                                             'MEMORY_MB': 1024}}},
                'project_id': 'p', 'user_id': 'u',
                'consumer_generation': 1}}}, status=204)

        self.assertEqual(
            [{'DISK_GB': 10}, {'VCPU': 3, 'MEMORY_MB': 1024},
             {'VCPU': 1, 'MEMORY_MB': 1024}],
            [self.ok('GET', '/resource_providers/%s/usages' % rp)['usages']
             for rp in [root] + cells])
        self.assertEqual(['DISK_GB'], sorted(self.ok(
            'GET', '/resource_providers/%s/inventories' % root)[
                'inventories']))


class ReshaperFeedTest(base.APITestCase):

    def test_scheduler_sees_the_vgpus_on_the_child_at_once(self):
        node = self.add_node(vcpus=8)
        self.ok('PUT', '/resource_providers/%s/inventories' % node.uuid, {
            'resource_provider_generation': self.generation(node.uuid),
            'inventories': dict(self.ok(
                'GET', '/resource_providers/%s/inventories' % node.uuid)[
                    'inventories'], VGPU={'total': 2})})
        instance = str(uuid_lib.uuid4())
        self.ok('PUT', '/allocations/%s' % instance, {
            'allocations': {node.uuid: {'resources': {'VGPU': 1}}},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None})
        manager = host_manager.HostManager(self.conf, self.db)
        state = manager.snapshot()
        self.assertTrue(state.fits(state.index[node.uuid], {'VGPU': 1}))

        child = self.provider('gpu', parent=node.uuid)
        inventories = self.ok('GET', '/resource_providers/%s/inventories'
                              % node.uuid)['inventories']
        del inventories['VGPU']
        self.ok('POST', '/reshaper', {
            'inventories': {
                node.uuid: {'resource_provider_generation':
                            self.generation(node.uuid),
                            'inventories': inventories},
                child: {'resource_provider_generation': 0,
                        'inventories': {'VGPU': {'total': 2}}}},
            'allocations': {instance: {
                'allocations': {child: {'resources': {'VGPU': 1}}},
                'project_id': 'p', 'user_id': 'u',
                'consumer_generation': 1}}}, status=204)

        manager.refresh()
        state = manager.snapshot()
        self.assertFalse(state.fits(state.index[node.uuid], {'VGPU': 1}))
        self.assertTrue(state.fits(state.index[child], {'VGPU': 1}))
        self.assertFalse(state.fits(state.index[child], {'VGPU': 2}))
