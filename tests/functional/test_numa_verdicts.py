"""Gantt and nova 34 agree on which NUMA hosts fit.

Random hosts (NUMA cells with SMT siblings, dedicated and shared CPUs,
pinned CPUs, 4K, 2M and 1G page pools, PFs, VFs and GPUs on cells) and
random requests (every CPU, thread, emulator, page size and PCI affinity
policy, resources:PCPU, image properties) go through nova's own
numa_get_constraints, NUMATopologyFilter and PciPassthroughFilter in its
virtualenv, and through gantt.numa_request, gantt.numa_fit and
gantt.pci_pools: every (request, host) verdict must be the same, and a
request one refuses the other refuses too. ``gantt-bench numa-verdicts``
runs more cases from the command line.
"""

import os

import testtools

from gantt.bench import nova_process
from gantt.bench import numa as numa_bench
from tests.functional import fixtures as gantt_fixtures

SEED = int(os.environ.get('GANTT_NUMA_VERDICTS_SEED', '1'))
CASES = int(os.environ.get('GANTT_NUMA_VERDICTS_CASES', '2'))
HOSTS, REQUESTS = 30, 80


class TestSameNUMAVerdictsAsNova(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.nova_python = os.environ.get(nova_process.NOVA_PYTHON_ENV)
        if not self.nova_python:
            gantt_fixtures.skip_or_fail(
                self, '%s is not set: this test runs nova 34 in its own '
                'virtualenv (tools/run-tests.sh makes .venv-nova)'
                % nova_process.NOVA_PYTHON_ENV)

    def test_random_hosts_and_requests_get_nova_verdicts(self):
        report = numa_bench.verdicts_run(CASES, SEED, HOSTS, REQUESTS,
                                         self.nova_python)
        self.addDetail('agreement', testtools.content.text_content(
            '%d of %d' % (report['agree'], report['pairs'])))
        self.assertEqual([], report['mismatches'])
        self.assertEqual(CASES * HOSTS * REQUESTS, report['pairs'])
        # The cases exercise both outcomes.
        self.assertGreater(report['passing_pairs'], 100)
        self.assertGreater(report['refused_requests'], 10)
