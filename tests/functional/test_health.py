"""``gantt-status health`` against a real daemon, and against nothing."""

import os
import re
import subprocess

from tests.functional import fixtures as gantt_fixtures

STATUS = os.path.join(gantt_fixtures.BIN, 'gantt-status')


class TestHealth(gantt_fixtures.DaemonTestCase):

    def health(self, config_file, *args):
        done = subprocess.run(
            [STATUS, 'health', '--config-file', config_file] + list(args),
            capture_output=True, text=True, timeout=120,
            cwd=gantt_fixtures.ROOT)
        lines = {line.split()[0]: line for line in done.stdout.splitlines()
                 if line.strip()}
        return done.returncode, lines, done

    def test_a_running_daemon_is_healthy(self):
        from gantt.rpcapi import report as report_rpcapi
        report = report_rpcapi.ReportClient(self.conf, self.daemon.transport)
        report.update_resource_stats(
            self.ctxt, gantt_fixtures.compute_node('compute-a'))
        code, lines, done = self.health(self.daemon.config_file)
        self.assertEqual(0, code, done.stdout + done.stderr)
        self.assertEqual({'broker', 'database', 'feed'}, set(lines))
        self.assertIn(' OK ', lines['broker'])
        self.assertIn(self.conf.host, lines['broker'])
        self.assertIn(' OK ', lines['database'])
        match = re.search(r'change sequence (\d+); worker \S+ \(pid \d+\) '
                          r'has read up to (\d+), (\d+) behind',
                          lines['feed'])
        self.assertIsNotNone(match, lines['feed'])
        seq, read, behind = map(int, match.groups())
        self.assertGreater(seq, 0)
        self.assertEqual(seq - read, behind)

    def test_a_broker_url_pointing_nowhere_fails(self):
        bad = os.path.join(self.daemon.dir, 'nowhere.conf')
        with open(self.daemon.config_file) as f:
            text = f.read()
        with open(bad, 'w') as f:
            f.write(re.sub(r'transport_url = .*',
                           'transport_url = rabbit://guest:guest@'
                           '127.0.0.1:1/', text))
        code, lines, done = self.health(bad, '--timeout', '2')
        self.assertEqual(1, code, done.stdout + done.stderr)
        self.assertIn(' FAIL ', lines['broker'])
        self.assertIn('127.0.0.1:1', lines['broker'])
        # The database is still there and says so.
        self.assertIn(' OK ', lines['database'])
