"""placement 16's own gabbi files, run unchanged against gantt-api (see
doc/placement-api.md): the files covering what nova's report client and
the openstack CLI use must pass, but for the tests
tests/functional/gabbi/known_failures.json lists with the doc's reasons.
A test that fails and is not listed fails this one; so does a listed test
that passes (then the list and the doc are regenerated)."""

import json
import os
import subprocess
import sys

import fixtures
import testtools

from tests.functional import fixtures as gantt_fixtures
from tests.functional.gabbi import report
from tests.functional import test_nova_report_client

RUNNER = os.path.join(report.HERE, 'run_placement_gabbits.py')


class PlacementGabbitsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.python = test_nova_report_client.nova_python()
        probe = self.python and subprocess.run(
            [self.python, '-c', 'import gabbi, placement.tests.functional'],
            capture_output=True)
        if not self.python or probe.returncode:
            gantt_fixtures.skip_or_fail(
                self, 'nova\'s virtualenv lacks gabbi or openstack-placement '
                '(tools/run-tests.sh installs them)')
        self.tmp = self.useFixture(fixtures.TempDir()).path

    def test_placement_gabbi_files_pass_on_gantt_api(self):
        proc = subprocess.run(
            [self.python, '-W', 'ignore', RUNNER, sys.executable,
             self.tmp] + list(report.CHOSEN),
            capture_output=True, text=True, timeout=900,
            cwd=gantt_fixtures.ROOT)
        self.assertEqual(0, proc.returncode, proc.stderr[-3000:])
        results = json.loads(proc.stdout.strip().splitlines()[-1])
        with open(report.KNOWN) as f:
            known = json.load(f)
        self.assertEqual(sorted(report.CHOSEN), sorted(results))
        unexpected, fixed = {}, {}
        for name, result in results.items():
            self.assertGreater(result['run'], 0, name)
            failing = set(result['failures'])
            listed = set(known.get(name, ()))
            for test in sorted(failing - listed):
                unexpected['%s: %s' % (name, test)] = result['failures'][test]
            for test in sorted(listed - failing):
                fixed['%s: %s' % (name, test)] = 'passes now'
        self.assertEqual({}, unexpected, 'gabbi tests failing on gantt-api')
        self.assertEqual({}, fixed, 'listed as failing but passing: '
                         'regenerate known_failures.json and '
                         'doc/placement-api.md (tests/functional/gabbi/'
                         'report.py)')
