"""The simulation report: percentiles, utilisation spread, overcommit."""

import json

import fixtures
import testscenarios
import testtools

from gantt.sim import conductor
from gantt.sim import report


def _inv(provider, rc, total, used, reserved=0, ratio=1.0):
    return {'provider_uuid': provider, 'root_provider_uuid': provider,
            'resource_class': rc, 'total': total, 'reserved': reserved,
            'allocation_ratio': ratio, 'used': used, 'min_unit': 1,
            'max_unit': total, 'step_size': 1}


class TestPercentile(testscenarios.WithScenarios, testtools.TestCase):

    scenarios = [
        ('empty', dict(values=[], q=50, expected=None)),
        ('single', dict(values=[7.0], q=99, expected=7.0)),
        ('median_odd', dict(values=[3, 1, 2], q=50, expected=2)),
        ('median_even_interpolates', dict(values=[1, 2, 3, 4], q=50,
                                          expected=2.5)),
        ('p99_of_hundred', dict(values=list(range(1, 101)), q=99,
                                expected=99.01)),
        ('p0_is_min', dict(values=[5, 9, 1], q=0, expected=1)),
        ('p100_is_max', dict(values=[5, 9, 1], q=100, expected=9)),
    ]

    def test_percentile(self):
        got = report.percentile(self.values, self.q)
        if self.expected is None:
            self.assertIsNone(got)
        else:
            self.assertAlmostEqual(self.expected, got, places=6)


class TestOvercommitCount(testtools.TestCase):

    def test_counts_each_host_once_even_when_over_in_two_classes(self):
        rows = [('rp-a', 'VCPU', 70, 64), ('rp-a', 'MEMORY_MB', 9000, 8192),
                ('rp-b', 'DISK_GB', 101, 100)]
        self.assertEqual(2, report.count_overcommitted(rows))

    def test_no_rows_means_no_overcommitted_host(self):
        self.assertEqual(0, report.count_overcommitted([]))


class TestUtilisation(testtools.TestCase):

    def test_spread_is_used_over_capacity_per_class(self):
        invs = [
            _inv('a', 'MEMORY_MB', 1024, 512),
            _inv('b', 'MEMORY_MB', 2048, 0),
            _inv('a', 'VCPU', 8, 16, ratio=4.0),
            _inv('b', 'VCPU', 16, 8, reserved=8, ratio=2.0),
        ]
        spread = report.utilisation(invs)
        self.assertEqual({'min': 0.0, 'mean': 0.25, 'max': 0.5},
                         spread['MEMORY_MB'])
        # a: 16 of (8*4)=32, b: 8 of (16-8)*2=16
        self.assertEqual({'min': 0.5, 'mean': 0.5, 'max': 0.5},
                         spread['VCPU'])

    def test_capacity_is_floored_like_claims(self):
        spread = report.utilisation(
            [_inv('a', 'VCPU', 3, 4, ratio=1.5)])
        # floor(3 * 1.5) = 4, so the host is exactly full.
        self.assertEqual(1.0, spread['VCPU']['max'])

    def test_ignores_other_classes_and_zero_capacity(self):
        spread = report.utilisation([
            _inv('a', 'DISK_GB', 100, 50),
            _inv('b', 'MEMORY_MB', 1024, 0, reserved=1024)])
        self.assertEqual({'min': None, 'mean': None, 'max': None},
                         spread['MEMORY_MB'])
        self.assertNotIn('DISK_GB', spread)


class FakeDatabase(object):
    """Just the reads the report makes (inventories: see below)."""

    def __init__(self, inventories, over):
        self.inventories = inventories
        self.over = over

    def overcommitted_providers(self):
        return self.over


class TestReport(testtools.TestCase):

    def _results(self, latencies, placed, nvh, errors=()):
        res = conductor.Results()
        res.latencies_ms = list(latencies)
        res.placed = placed
        res.no_valid_host = nvh
        res.errors = list(errors)
        res.elapsed_s = 2.0
        return res

    def test_database_figures_count_overcommitted_hosts(self):
        db = FakeDatabase([_inv('a', 'MEMORY_MB', 100, 150)],
                          [('a', 'MEMORY_MB', 150, 100)])
        self.useFixture(fixtures.MockPatch(
            'gantt.sim.report.read_inventories',
            lambda d: d.inventories))
        spread, over = report.database_figures(db)
        self.assertEqual(1, over)
        self.assertEqual(1.5, spread['MEMORY_MB']['max'])

    def test_json_has_the_promised_keys(self):
        rep = report.Report(10, 4, self._results([1, 2, 3, 4], 3, 1),
                            report.utilisation([]), 0)
        d = json.loads(rep.as_json())
        for key in ('placed', 'no_valid_host', 'p50_ms', 'p99_ms',
                    'overcommitted_hosts', 'hosts', 'requests',
                    'utilisation'):
            self.assertIn(key, d)
        self.assertEqual(3, d['placed'])
        self.assertEqual(1, d['no_valid_host'])
        self.assertEqual(2.5, d['p50_ms'])
        self.assertEqual(2.0, d['decisions_per_s'])
        self.assertEqual(0, d['overcommitted_hosts'])

    def test_text_says_when_overcommit_is_unknown(self):
        rep = report.Report(1, 1, self._results([5], 1, 0))
        self.assertIn('overcommitted hosts: unknown', rep.as_text())

    def test_text_lists_errors(self):
        rep = report.Report(1, 1, self._results([5], 0, 0, ['Boom: x']),
                            overcommitted_hosts=0)
        self.assertIn('error: Boom: x', rep.as_text())


class TestKindsAndClaims(testtools.TestCase):

    CLAIMS = {'pcpus': 12, 'huge_page_mib': 4096, 'devices': 2,
              'instances': 5, 'given_twice': 0, 'pools_over': 0,
              'outside_host': 0, 'instances_not_matching': 0}

    def _results(self):
        res = conductor.Results()
        res.record(10.0, 'placed', kind='plain')
        res.record(30.0, 'placed', kind='pinned')
        res.record(50.0, 'placed', kind='pinned')
        res.record(5.0, 'no_valid_host', 'full', kind='pci')
        res.record(7.0, 'error', 'Boom', kind='hugepages')
        res.elapsed_s = 1.0
        return res

    def test_json_counts_each_kind_and_carries_the_claim_check(self):
        rep = report.Report(3, 5, self._results(), numa_claims=self.CLAIMS)
        d = json.loads(rep.as_json())
        self.assertEqual(
            {'plain': {'placed': 1, 'no_valid_host': 0, 'errors': 0,
                       'p50_ms': 10.0},
             'pinned': {'placed': 2, 'no_valid_host': 0, 'errors': 0,
                        'p50_ms': 40.0},
             'hugepages': {'placed': 0, 'no_valid_host': 0, 'errors': 1,
                           'p50_ms': 7.0},
             'pci': {'placed': 0, 'no_valid_host': 1, 'errors': 0,
                     'p50_ms': 5.0}},
            d['by_kind'])
        self.assertEqual(self.CLAIMS, d['numa_claims'])

    def test_text_lists_kinds_in_order_and_the_claim_check(self):
        text = report.Report(3, 5, self._results(),
                             numa_claims=self.CLAIMS).as_text()
        self.assertIn('by flavor kind: plain placed 1, refused 0, p50 10.0 '
                      'ms; pinned placed 2, refused 0, p50 40.0 ms; '
                      'hugepages placed 0, refused 0, errors 1, p50 7.0 ms; '
                      'pci placed 0, refused 1, p50 5.0 ms', text)
        self.assertIn('12 pinned pCPUs, 4096 MiB of huge pages, 2 PCI '
                      'devices for 5 instances', text)
        self.assertIn('given twice 0', text)

    def test_a_plain_run_prints_no_kind_or_claim_lines(self):
        res = conductor.Results()
        res.record(10.0, 'placed', kind='plain')
        text = report.Report(1, 1, res).as_text()
        self.assertNotIn('by flavor kind', text)
        self.assertNotIn('NUMA claims', text)
        self.assertIsNone(json.loads(
            report.Report(1, 1, res).as_json())['numa_claims'])
