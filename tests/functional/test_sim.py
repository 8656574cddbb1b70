"""gantt-sim end to end: embedded, and against a real gantt-scheduler.

Both run the console script as a user would and read its --json report;
the report's overcommit figure comes from the scheduler's database.
"""

import json
import os
import subprocess
import sys

import fixtures
import testtools

from gantt import conf as gantt_conf
from gantt.db import api as db_api
from gantt.db import migration
from gantt.sim import computes
from gantt.sim import scenario
from tests.functional import fixtures as gantt_fixtures

BIN = os.path.dirname(sys.executable)
TIMEOUT = 300


def run_sim(*args):
    """Run gantt-sim --json; (report dict, stderr text)."""
    proc = subprocess.run(
        [os.path.join(BIN, 'gantt-sim'), '--json', '--no-progress'] +
        list(args), stdin=subprocess.DEVNULL, capture_output=True,
        text=True, timeout=TIMEOUT)
    if proc.returncode != 0:
        raise AssertionError('gantt-sim exited with %s:\n%s' % (
            proc.returncode, proc.stderr[-4000:]))
    # Nothing but one JSON object on stdout.
    return json.loads(proc.stdout), proc.stderr


class SimChecks(object):

    def assertSaneReport(self, report, hosts, requests):
        self.assertEqual(hosts, report['hosts'])
        self.assertEqual(requests, report['requests'])
        self.assertEqual(0, report['errors'], report['error_samples'])
        self.assertEqual(requests,
                         report['placed'] + report['no_valid_host'])
        self.assertGreater(report['placed'], 0)
        self.assertEqual(0, report['overcommitted_hosts'])
        self.assertGreater(report['p99_ms'], 0)
        self.assertLessEqual(report['p50_ms'], report['p99_ms'])
        for rc in ('MEMORY_MB', 'VCPU'):
            spread = report['utilisation'][rc]
            self.assertLessEqual(spread['min'], spread['mean'])
            self.assertLessEqual(spread['mean'], spread['max'])
            self.assertLessEqual(spread['max'], 1.0)
            self.assertGreater(spread['max'], 0.0)

    def assertNumaClaimsSound(self, report):
        """Every kind was asked, and the store holds each placed pinned,
        huge page and PCI instance's own pCPUs, pages and devices, none
        given twice."""
        kinds = report['by_kind']
        self.assertEqual(set(scenario.KINDS), set(kinds))
        self.assertEqual(report['requests'], sum(
            k['placed'] + k['no_valid_host'] + k['errors']
            for k in kinds.values()))
        claims = report['numa_claims']
        self.assertEqual(
            sum(k['placed'] for name, k in kinds.items()
                if name != scenario.PLAIN), claims['instances'])
        self.assertGreater(claims['pcpus'], 0)
        self.assertGreater(claims['huge_page_mib'], 0)
        for figure in ('given_twice', 'pools_over', 'outside_host',
                       'instances_not_matching'):
            self.assertEqual(0, claims[figure], claims)


class TestStoredCount(testtools.TestCase):
    """Loading counts only this run's reports of this fleet."""

    def test_counts_this_runs_nodes_only(self):
        path = self.useFixture(fixtures.TempDir()).path
        conf = gantt_conf.build_conf([])
        conf.set_override('state_path', path)
        db = db_api.Database(conf)
        self.addCleanup(db.dispose)
        migration.upgrade(conf, 'head', database=db)
        old = computes.Fleet(3, seed=1, first_seq=100)
        new = computes.Fleet(3, seed=1, first_seq=200)
        other = computes.Fleet(2, seed=2, prefix='elsewhere', first_seq=300)
        for node in old.nodes + other.nodes:
            db.save_compute_node(node)
        self.assertEqual(0, computes.stored_count(db, new))
        db.save_compute_node(new.nodes[0])
        self.assertEqual(1, computes.stored_count(db, new))
        self.assertEqual({new.nodes[0].uuid},
                         computes.stored_uuids(db, new))


class TestEmbeddedSim(SimChecks, testtools.TestCase):

    def test_places_requests_without_overcommitting_any_host(self):
        report, _err = run_sim('--hosts', '50', '--requests', '200')
        self.assertSaneReport(report, 50, 200)
        self.assertNumaClaimsSound(report)
        self.assertGreater(report['numa_claims']['devices'], 0)

    def test_plain_run_has_no_numa_flavors(self):
        report, _err = run_sim('--hosts', '10', '--requests', '30',
                               '--plain')
        self.assertSaneReport(report, 10, 30)
        self.assertEqual({scenario.PLAIN}, set(report['by_kind']))
        self.assertIsNone(report['numa_claims'])

    def test_refuses_when_the_cloud_is_full_and_still_never_overcommits(self):
        # 5 hosts cannot take 300 builds: the scheduler must say
        # NoValidHost rather than claim past capacity.
        # Seed 11: two of the 5 hosts are NFV hosts with pCPUs to pin.
        report, _err = run_sim('--hosts', '5', '--requests', '300',
                               '--concurrency', '6', '--seed', '11')
        self.assertSaneReport(report, 5, 300)
        self.assertGreater(report['no_valid_host'], 10)
        self.assertGreater(report['utilisation']['MEMORY_MB']['max'], 0.5)
        # Pinned guests run out of pCPUs too, and none is pinned twice.
        self.assertNumaClaimsSound(report)
        self.assertGreater(report['by_kind'][scenario.PINNED]
                           ['no_valid_host'], 0)


class TestSimAgainstDaemon(SimChecks, gantt_fixtures.DaemonTestCase):
    """gantt-sim --transport-url against a gantt-scheduler on RabbitMQ.

    The daemon fixture has a topic and SQLite file of its own, so this run
    shares no queue and no row with anything else on the broker. Its
    configuration has the scenario's PCI aliases and filters, as an
    operator's would.
    """

    extra_conf = scenario.conf_text()

    def test_places_requests_through_the_daemon(self):
        connection = db_api.connection_url(self.conf)
        report, _err = run_sim(
            '--hosts', '40', '--requests', '150', '--concurrency', '3',
            '--transport-url', self.daemon.transport_url,
            '--topic', self.daemon.topic,
            '--database-connection', connection)
        self.assertSaneReport(report, 40, 150)
        self.assertNumaClaimsSound(report)
        self.assertEqual(0, self.daemon.stop())


class TestBenchE2E(testtools.TestCase):
    """gantt-bench e2e starts its own daemon on RabbitMQ and reports."""

    def test_reports_latency_throughput_and_cpu_per_decision(self):
        url = gantt_fixtures.transport_url_or_skip(self)
        tmp = self.useFixture(fixtures.TempDir()).path
        proc = subprocess.run(
            [os.path.join(BIN, 'gantt-bench'), 'e2e', '--hosts', '30',
             '--workers', '2', '--clients', '2', '--requests', '60',
             '--transport-url', url, '--rpc-floor', '--interface-floor',
             '--no-progress', '--json'],
            stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=TIMEOUT, env=dict(os.environ, TMPDIR=tmp))
        self.assertEqual(0, proc.returncode, proc.stderr[-4000:])
        report = json.loads(proc.stdout)
        self.assertEqual((30, 2, 60), (report['hosts'], report['workers'],
                                       report['requests']))
        self.assertEqual(60, report['placed'] + report['no_valid_host'])
        self.assertEqual(0, report['overcommitted_hosts'])
        self.assertGreater(report['decisions_per_s'], 0)
        self.assertLessEqual(report['p50_ms'], report['p99_ms'])
        cpu = report['cpu_ms_per_decision']
        self.assertGreater(cpu['client'], 0)
        self.assertGreater(cpu['workers'], 0)
        self.assertGreaterEqual(cpu['total'],
                                cpu['client'] + cpu['workers'])
        floor = report['rpc_floor']
        self.assertEqual(60, floor['calls'])
        self.assertGreater(floor['calls_per_s'], 0)
        self.assertGreater(floor['cpu_ms_per_call']['workers'], 0)
        # The same calls, answered by processes that do not schedule.
        floor = report['interface_floor']
        self.assertEqual((60, 60, 0), (floor['requests'], floor['answered'],
                                       floor['errors']))
        self.assertGreater(floor['decisions_per_s'], 0)
        self.assertLessEqual(floor['p50_ms'], floor['p99_ms'])
        self.assertGreater(floor['cpu_ms_per_decision']['workers'], 0)
        self.assertEqual(floor['decisions_per_s'],
                         report['floor_decisions_per_s'])
        self.assertAlmostEqual(
            report['decisions_per_s'] / floor['decisions_per_s'],
            report['ratio_to_floor'], places=2)


class TestPlots(testtools.TestCase):
    """gantt-sim --plot writes its four charts as PNG files."""

    def test_plot_writes_four_pngs(self):
        out = os.path.join(self.useFixture(fixtures.TempDir()).path, 'png')
        report, stderr = run_sim('--hosts', '20', '--requests', '60',
                                 '--sample-interval', '0.1', '--plot', out)
        self.assertEqual(60, report['requests'])
        from gantt.sim import plot
        for name in plot.FILES:
            path = os.path.join(out, name)
            self.assertIn('wrote %s' % path, stderr)
            with open(path, 'rb') as f:
                data = f.read()
            self.assertEqual(b'\x89PNG\r\n\x1a\n', data[:8], name)
            self.assertGreater(len(data), 5000, name)
