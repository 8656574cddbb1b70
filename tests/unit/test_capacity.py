"""How many more instances of a request fit: per host by gantt.fit, then
summed per cell, zone and aggregate, honouring filters and groups."""

import numpy as np
import testtools

from gantt import fit
from gantt import objects
from tests.unit import test_scheduler as base
from tests.unit.test_scheduler import host
from tests.unit import trees

CELL1 = base.CELL1
CELL2 = base.CELL2


class TestFitInstances(testtools.TestCase):

    CASES = [
        # capacity, used, min, max, step, amount, expected
        (4096, 0, 1, 4096, 1, 1024, 4),
        (4096, 1, 1, 4096, 1, 1024, 3),
        (4096, 4096, 1, 4096, 1, 1024, 0),
        (4096, 5000, 1, 4096, 1, 1024, 0),
        (4096, 0, 1, 512, 1, 1024, 0),
        (4096, 0, 2048, 4096, 1, 1024, 0),
        (4096, 0, 1, 4096, 1536, 2048, 0),
        (4096, 0, 1, 4096, 512, 1024, 4),
    ]

    def test_the_largest_count_has_room_allows(self):
        for cap, used, lo, hi, step, amount, expected in self.CASES:
            got = fit.instances(cap, used, lo, hi, step, amount)
            self.assertEqual(expected, got)
            if expected:
                self.assertTrue(fit.has_room(cap, used, expected * amount))
            self.assertFalse(fit.has_room(cap, used,
                                          (expected + 1) * amount) and
                             fit.unit_ok(lo, hi, step, amount))

    def test_arrays_agree_with_numbers(self):
        cols = np.array(self.CASES, dtype=np.float64).T
        got = fit.instances(*cols[:5], 1024)
        expected = [fit.instances(c, u, lo, hi, s, 1024)
                    for c, u, lo, hi, s, _a, _e in self.CASES]
        self.assertEqual(expected, got.tolist())


class CapacityCase(base.SchedulerTestCase):

    overrides = {'filter_scheduler': {
        'enabled_filters': ['ComputeFilter', 'RamFilter', 'CoreFilter',
                            'DiskFilter', 'ServerGroupAntiAffinityFilter',
                            'ServerGroupAffinityFilter']}}

    def capacity(self, spec, limit=None):
        return self.sched.capacity(self.ctxt, spec, limit=limit)


class TestCapacity(CapacityCase):

    def setUp(self):
        super().setUp()
        self.make([host('h1', ram=4096, vcpus=8, disk=100, cell=CELL1),
                   host('h2', ram=8192, vcpus=2, disk=100, cell=CELL1,
                        ram_used=1024),
                   host('h3', ram=65536, vcpus=64, disk=35, cell=CELL2),
                   host('off', ram=65536, vcpus=64, disk=1000,
                        disabled=True)],
                  aggregates=[{'name': 'az1', 'hosts': ['h1', 'h2'],
                               'metadata': {'availability_zone': 'az1'}},
                              {'name': 'fast', 'hosts': ['h2', 'h3']}])

    def test_each_host_counts_its_scarcest_class(self):
        answer = self.capacity(self.spec(ram=1024, vcpus=1, disk=10))
        self.assertEqual({'h1': 4, 'h2': 2, 'h3': 3},
                         {h['host']: h['instances'] for h in answer['hosts']})
        self.assertEqual(9, answer['total'])
        self.assertEqual({'MEMORY_MB': 1, 'VCPU': 1, 'DISK_GB': 1},
                         answer['limited_by'])
        self.assertTrue(answer['exact'])

    def test_totals_per_cell_zone_and_aggregate(self):
        answer = self.capacity(self.spec(ram=1024, vcpus=1, disk=10))
        self.assertEqual([{'name': CELL1, 'instances': 6, 'hosts': 2},
                          {'name': CELL2, 'instances': 3, 'hosts': 1}],
                         answer['by_cell'])
        self.assertEqual([{'name': 'az1', 'instances': 6, 'hosts': 2},
                          {'name': 'nova', 'instances': 3, 'hosts': 1}],
                         answer['by_az'])
        self.assertEqual([(a['name'], a['instances'], a['hosts'])
                          for a in answer['by_aggregate']],
                         [('az1', 6, 2), ('fast', 5, 2)])

    def test_filters_remove_hosts_before_counting(self):
        answer = self.capacity(self.spec(ram=1024, vcpus=1, disk=10))
        self.assertEqual(4, answer['considered'])
        self.assertEqual(3, answer['passed'])
        self.assertIn(('ComputeFilter', 1),
                      [(f['name'], f['removed']) for f in answer['filters']])

    def test_nothing_is_claimed_or_consumed(self):
        state = self.manager.state
        used = state.res['MEMORY_MB'].used.copy()
        self.capacity(self.spec(ram=1024))
        self.assertEqual(used.tolist(), state.res['MEMORY_MB'].used.tolist())
        self.assertEqual({}, self.store.claims)

    def test_limit_keeps_the_hosts_with_most_room(self):
        answer = self.capacity(self.spec(ram=1024, vcpus=1, disk=10),
                               limit=1)
        self.assertEqual(['h1'], [h['host'] for h in answer['hosts']])
        self.assertEqual(9, answer['total'])

    def test_unit_rules_of_the_inventory(self):
        state = self.manager.state
        state.set_inventory(base.node_uuid('h1'), 'MEMORY_MB', 4096,
                            max_unit=512)
        state.set_inventory(base.node_uuid('h3'), 'MEMORY_MB', 65536,
                            step=1536)
        answer = self.capacity(self.spec(ram=1024, vcpus=1, disk=10))
        self.assertEqual(2, answer['total'])

    def test_anti_affinity_caps_each_host(self):
        group = objects.InstanceGroup(policy='anti-affinity', members=[],
                                      hosts=[], rules={})
        answer = self.capacity(self.spec(ram=1024, vcpus=1, disk=10,
                                         instance_group=group))
        self.assertEqual(3, answer['total'])
        group.rules = {'max_server_per_host': '2'}
        answer = self.capacity(self.spec(ram=1024, vcpus=1, disk=10,
                                         instance_group=group))
        self.assertEqual(6, answer['total'])

    def test_affinity_counts_the_best_single_host(self):
        group = objects.InstanceGroup(policy='affinity', members=[],
                                      hosts=[], rules={})
        answer = self.capacity(self.spec(ram=1024, vcpus=1, disk=10,
                                         instance_group=group))
        self.assertEqual(4, answer['total'])
        self.assertEqual([4, 3], [c['instances'] for c in answer['by_cell']])

    def test_prefilter_refusal_is_zero_with_the_reason(self):
        self.conf.set_override('limit_tenants_to_placement_aggregate', True,
                               group='scheduler')
        self.conf.set_override('placement_aggregate_required_for_tenants',
                               True, group='scheduler')
        self.sched.request_filters.reload()
        answer = self.capacity(self.spec())
        self.assertEqual(0, answer['total'])
        self.assertIn('no aggregate is set aside for project p1',
                      answer['refused'])

    def test_required_trait_narrows_the_count(self):
        uuid = base.node_uuid('h3')
        self.manager.state.set_tree(uuid, [{'uuid': uuid,
                                            'traits': ['CUSTOM_FAST']}])
        spec = self.spec(ram=1024, vcpus=1, disk=10)
        spec.flavor.extra_specs = {'trait:CUSTOM_FAST': 'required'}
        answer = self.capacity(spec)
        self.assertEqual(3, answer['total'])
        self.assertEqual(['h3'], [h['host'] for h in answer['hosts']
                                  if h['instances']])

    def test_aggregate_of_the_flavor_counts_only_its_hosts(self):
        # member_of is settled host by host by the allocation candidates.
        spec = self.spec(ram=1024, vcpus=1, disk=10)
        spec.flavor.extra_specs = {'member_of': 'in:fast'}
        answer = self.capacity(spec)
        self.assertEqual({'h1': 0, 'h2': 2, 'h3': 3},
                         {h['host']: h['instances'] for h in answer['hosts']})
        self.assertEqual({}, answer['limited_by'])


class TestCapacityOnTrees(CapacityCase):

    def test_child_providers_are_counted_by_placing(self):
        self.make([])
        self.manager.state = trees.make_world(
            [dict(name='gpu', uuid='uuid-gpu', ram=65536, vcpus=64,
                  disk=1000), dict(name='plain', ram=65536, vcpus=64,
                                   disk=1000)],
            {'gpu': [trees.child('gpu0', 'uuid-gpu', {'VGPU': trees.inv(3)}),
                     trees.child('gpu1', 'uuid-gpu',
                                 {'VGPU': trees.inv(2)})]})
        self.sched.host_manager = self.manager
        spec = self.spec(ram=1024, vcpus=1, disk=10)
        spec.flavor.extra_specs = {'resources1:VGPU': '1'}
        answer = self.capacity(spec)
        self.assertEqual(5, answer['total'])
        self.assertEqual([{'host': 'gpu', 'nodename': 'gpu',
                           'instances': 5}], answer['hosts'])
        state = self.manager.state
        self.assertEqual(0, state.res['VGPU'].used.sum())
        self.assertEqual(0, state.num_instances[state.index['uuid-gpu']])
