"""Selection.from_host() copies a host's identity and the allocation."""

import json
import types

import testtools

from gantt.objects import scheduler_limits
from gantt.objects import selection

NODE = '3e1d2c4b-5a69-4788-9a0b-1c2d3e4f5a6b'
CELL = '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910'


class TestSelectionFromHost(testtools.TestCase):

    def test_copies_the_host_and_dumps_the_allocation(self):
        host = types.SimpleNamespace(uuid=NODE, host='compute1',
                                     nodename='node1', cell_uuid=CELL,
                                     availability_zone='az1')
        alloc = {'allocations': {NODE: {'resources': {'VCPU': 2}}},
                 'mappings': {'': [NODE]}}
        limits = scheduler_limits.SchedulerLimits(vcpu=64)
        sel = selection.Selection.from_host(host, alloc, limits=limits)
        self.assertEqual(NODE, sel.compute_node_uuid)
        self.assertEqual('compute1', sel.service_host)
        self.assertEqual('node1', sel.nodename)
        self.assertEqual(CELL, sel.cell_uuid)
        self.assertEqual('az1', sel.availability_zone)
        self.assertEqual(alloc, json.loads(sel.allocation_request))
        self.assertEqual('1.36', sel.allocation_request_version)
        self.assertEqual(64, sel.limits.vcpu)

    def test_host_without_cell_or_allocation(self):
        host = types.SimpleNamespace(uuid=NODE, host='compute1',
                                     nodename='node1')
        sel = selection.Selection.from_host(host)
        self.assertIsNone(sel.cell_uuid)
        self.assertIsNone(sel.allocation_request)
        self.assertIsNone(sel.allocation_request_version)
        self.assertIsNone(sel.limits)


class TestSelectionWeight(testtools.TestCase):

    def test_from_host_records_the_weight(self):
        host = types.SimpleNamespace(uuid=NODE, host='compute1',
                                     nodename='node1')
        self.assertEqual(1.5, selection.Selection.from_host(
            host, weight=1.5).weight)
        self.assertIsNone(selection.Selection.from_host(host).weight)

    def test_weight_dropped_for_1_0(self):
        sel = selection.Selection(service_host='h', weight=0.25)
        self.assertNotIn('weight', sel.obj_to_primitive(
            target_version='1.0')['versioned_object.data'])
        self.assertEqual(0.25, sel.obj_to_primitive(
            target_version='1.1')['versioned_object.data']['weight'])
