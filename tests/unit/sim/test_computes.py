"""The simulated fleet: realistic, valid, reproducible compute reports."""

import testtools

from gantt.sim import computes


class RecordingReportClient(object):

    def __init__(self):
        self.casts = []

    def update_aggregates(self, ctxt, aggregates):
        self.casts.append(('update_aggregates', aggregates))

    def update_resource_stats(self, ctxt, compute_node):
        self.casts.append(('update_resource_stats', compute_node))


class TestFleet(testtools.TestCase):

    def test_nodes_are_valid_and_in_the_promised_ranges(self):
        fleet = computes.Fleet(200, seed=1)
        self.assertEqual(200, len(fleet))
        for node in fleet.nodes:
            node.validate()
            res = node.resources
            self.assertTrue(16 <= res.vcpus <= 128)
            self.assertTrue(64 * 1024 <= res.memory_mb <= 1024 * 1024)
            self.assertTrue(500 <= res.local_gb <= 4000)
        self.assertEqual(200, len({n.uuid for n in fleet.nodes}))
        self.assertEqual(200, len({n.host for n in fleet.nodes}))
        self.assertGreater(len({n.resources.vcpus for n in fleet.nodes}), 3)

    def test_hosts_spread_over_cells_and_zones(self):
        fleet = computes.Fleet(30, seed=2, cells=3, azs=('a', 'b'))
        self.assertEqual(3, len({n.cell_uuid for n in fleet.nodes}))
        self.assertEqual(['a', 'b'], [agg.availability_zone
                                      for agg in fleet.aggregates])
        members = [h for agg in fleet.aggregates for h in agg.hosts]
        self.assertEqual(sorted(n.host for n in fleet.nodes),
                         sorted(members))

    def test_same_seed_same_fleet(self):
        a = computes.Fleet(20, seed=3)
        b = computes.Fleet(20, seed=3)
        self.assertEqual([n.uuid for n in a.nodes], [n.uuid for n in b.nodes])
        self.assertEqual([n.resources.memory_mb for n in a.nodes],
                         [n.resources.memory_mb for n in b.nodes])

    def test_report_sends_zones_before_nodes(self):
        fleet = computes.Fleet(5, seed=4)
        client = RecordingReportClient()
        done = []
        computes.report(fleet, client, None, progress=done.append)
        methods = [m for m, _ in client.casts]
        self.assertEqual(['update_aggregates'] * 3 +
                         ['update_resource_stats'] * 5, methods)
        self.assertEqual([1, 2, 3, 4, 5], done)


class TestWaitUntilKnown(testtools.TestCase):

    def test_returns_once_the_count_is_reached(self):
        counts = iter([0, 3, 7, 10])
        seen = []
        got = computes.wait_until_known(lambda: next(counts), 10,
                                        progress=seen.append, interval=0)
        self.assertEqual(10, got)
        self.assertEqual(10, seen[-1])

    def test_times_out_with_the_figures(self):
        exc = self.assertRaises(RuntimeError, computes.wait_until_known,
                                lambda: 4, 10, timeout=0, interval=0)
        self.assertIn('4 of 10', str(exc))
