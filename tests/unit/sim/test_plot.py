"""Charts of a run, and the sampler and refusal reasons they draw on."""

import os

import fixtures
import testtools

from gantt.sim import conductor
from gantt.sim import plot
from gantt.sim import sampler

PNG = b'\x89PNG\r\n\x1a\n'


class FakeChanges(object):
    def __init__(self, seq, compute_nodes=(), inventories=()):
        self.seq = seq
        self.compute_nodes = list(compute_nodes)
        self.inventories = list(inventories)


class FakeDatabase(object):
    def __init__(self):
        self.batches = []
        self.since = []

    def get_changes(self, since, numa_holding=None):
        self.since.append(since)
        return self.batches.pop(0)


def _inv(uuid, rc, total, used):
    return {'provider_uuid': uuid, 'root_provider_uuid': uuid,
            'resource_class': rc, 'total': total, 'reserved': 0,
            'allocation_ratio': 1.0, 'capacity': total, 'used': used}


class TestSampler(testtools.TestCase):

    def test_samples_the_fullest_class_and_report_age_incrementally(self):
        db = FakeDatabase()
        now = [1000.0]
        db.batches = [
            FakeChanges(5, [{'uuid': 'n1', 'host': 'h1',
                             'last_seen_up': 990.0}],
                        [_inv('n1', 'VCPU', 10, 5),
                         _inv('n1', 'MEMORY_MB', 100, 20)]),
            FakeChanges(6, [], [_inv('n1', 'MEMORY_MB', 100, 80)]),
        ]
        s = sampler.Sampler(db, clock=lambda: now[0])
        self.assertEqual((0.0, {'h1': 0.5}, {'h1': 10.0}), s.sample())
        now[0] += 2
        self.assertEqual((2.0, {'h1': 0.8}, {'h1': 12.0}), s.sample())
        self.assertEqual([0, 5], db.since)


class Results(object):
    latencies_ms = [1.0, 2.0, 2.5, 4.0, 9.0]
    refusal_reasons = {'RamFilter': 3, 'claim': 1}


class TestPlot(testtools.TestCase):

    def test_writes_every_chart_as_a_png(self):
        out = self.useFixture(fixtures.TempDir()).path
        samples = [(0.0, {'h1': 0.0, 'h2': 0.1}, {'h1': 1.0, 'h2': 2.0}),
                   (1.0, {'h1': 0.5, 'h2': 0.2}, {'h1': 2.0, 'h2': 3.0})]
        paths = plot.write_all(out, Results(), samples)
        self.assertEqual([os.path.join(out, f) for f in plot.FILES], paths)
        for path in paths:
            with open(path, 'rb') as f:
                self.assertEqual(PNG, f.read(8), path)

    def test_without_samples_still_writes_every_chart(self):
        out = self.useFixture(fixtures.TempDir()).path
        for path in plot.write_all(out, Results(), None):
            self.assertGreater(os.path.getsize(path), 0)


class TestRefusalReason(testtools.TestCase):

    def test_the_first_stage_that_removed_every_host(self):
        self.assertEqual('RamFilter', conductor.refusal_reason(
            'No valid host was found. AvailabilityZoneFilter removed 200 '
            'of 300 hosts (x); RamFilter removed 100 of 100 hosts (y); '
            'DiskFilter removed 0 of 0 hosts (z)'))

    def test_lost_claims_and_empty_fleets(self):
        self.assertEqual('claim', conductor.refusal_reason(
            'No valid host was found. RamFilter removed 0 of 3 hosts (y); '
            '3 claims lost to other requests'))
        self.assertEqual('no_hosts', conductor.refusal_reason(
            'No valid host was found. no compute hosts are known'))

    def test_results_count_refusals_by_reason(self):
        results = conductor.Results()
        results.record(1.0, 'no_valid_host',
                       'RamFilter removed 2 of 2 hosts (y)')
        results.record(1.0, 'no_valid_host',
                       'RamFilter removed 5 of 5 hosts (y)')
        self.assertEqual({'RamFilter': 2}, dict(results.refusal_reasons))
