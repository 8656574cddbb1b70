"""A nova 34 compute's VGPU reshape against gantt-api, and a real
gantt-scheduler placing on the result.

nova's own SchedulerReportClient (nova's interpreter,
tests/functional/nova_vgpu_reshape.py) moves a host's VGPU inventory and
an instance's VGPU allocation from the root provider to a new GPU child
in one update_from_provider_tree(..., allocations=...), as the libvirt
driver does; the scheduler process, over the same store, then places a
new VGPU request on that child and counts the instance's VGPU there.
"""

import json
import os
import subprocess
import uuid

from gantt import exception
from tests.functional import fixtures as gantt_fixtures
from tests.functional import test_placement_only_hosts

HERE = os.path.dirname(os.path.abspath(__file__))
RESHAPE = os.path.join(HERE, 'nova_vgpu_reshape.py')


class NovaVGPUReshapeTest(test_placement_only_hosts._Case):

    def setUp(self):
        super().setUp()
        self.start_scheduler()
        self.api = self.serve_api()

    def select_vgpus(self, count):
        """One instance of 2 VCPU, 2048 MB, 20 GB and ``count`` VGPU:
        (its uuid, its selections)."""
        request = gantt_fixtures.request_spec()
        request.flavor.extra_specs = {'resources:VGPU': str(count)}
        instance = str(uuid.uuid4())
        selections, = self.scheduler.select_destinations(
            self.ctxt, request, [instance], return_alternates=True)
        return instance, selections

    def held(self, consumer):
        return {rp: a['resources'] for rp, a in
                self.db.get_allocations(consumer)['allocations'].items()}

    def test_scheduler_places_vgpus_on_the_child_nova_reshaped_to(self):
        root, gpu, instance = (str(uuid.uuid4()) for _ in range(3))
        proc = subprocess.run(
            [self.python, '-W', 'ignore', RESHAPE, self.api, root, 'vg1',
             gpu, instance], capture_output=True, text=True, timeout=120)
        self.assertEqual(0, proc.returncode, proc.stderr[-3000:])
        out = json.loads(proc.stdout.strip().splitlines()[-1])

        # What nova read back through gantt-api.
        self.assertTrue(out['claimed'])
        self.assertEqual(sorted([root, gpu]), out['tree'])
        self.assertEqual(['DISK_GB', 'MEMORY_MB', 'VCPU'],
                         out['root_inventory'])
        self.assertEqual(4, out['gpu_inventory']['VGPU']['total'])
        moved = {root: {'VCPU': 2, 'MEMORY_MB': 1024, 'DISK_GB': 10},
                 gpu: {'VGPU': 1}}
        self.assertEqual(moved, out['allocations'])

        # What the store holds.
        self.assertEqual(moved, self.held(instance))
        self.assertEqual(
            (4, 1), (self.db.get_provider(gpu)['inventories']['VGPU'][
                'total'], self.db.get_provider(gpu)['inventories']['VGPU'][
                    'used']))
        self.assertNotIn('VGPU', {
            rc for rc, inv in self.db.get_provider(root)[
                'inventories'].items() if inv['total']})

        # The scheduler places a VGPU request on the child, and counts
        # the instance's VGPU there: 3 of the 4 are left.
        other, selections = self.select_vgpus(2)
        self.assertEqual([root], [s.compute_node_uuid for s in selections])
        self.assertEqual({root: {'VCPU': 2, 'MEMORY_MB': 2048,
                                 'DISK_GB': 20}, gpu: {'VGPU': 2}},
                         self.held(other))
        self.assertRaises(exception.NoValidHost, self.select_vgpus, 2)
        self.select_vgpus(1)
