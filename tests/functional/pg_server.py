"""A throw-away PostgreSQL server a test may stop and start at will.

The shared server (GANTT_TEST_POSTGRES_URL) must never be stopped; a
fault test starts its own with the installed initdb/pg_ctl, in a temporary
directory on a free port, as the ``postgres`` user when run as root, and
removes it afterwards. Tests skip (or fail when services are required)
when the binaries are not installed.
"""

import os
import shutil
import socket
import subprocess

import fixtures

from tests.functional import fixtures as gantt_fixtures

BIN_DIRS = ('/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin',
            '/usr/lib/postgresql/14/bin')
USER = 'postgres'


def _bin_dir():
    for path in BIN_DIRS:
        if os.path.exists(os.path.join(path, 'pg_ctl')):
            return path
    return None


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class PostgresServer(fixtures.Fixture):
    """initdb, start; ``.url`` for SQLAlchemy; stop() and start() again."""

    def __init__(self, test):
        super().__init__()
        self.test = test

    def _setUp(self):
        self.bin = _bin_dir()
        if self.bin is None:
            gantt_fixtures.skip_or_fail(
                self.test, 'no PostgreSQL binaries in %s' % (BIN_DIRS,))
        self.as_root = os.geteuid() == 0
        self.dir = self.useFixture(fixtures.TempDir()).path
        if self.as_root:
            shutil.chown(self.dir, USER)
        self.data = os.path.join(self.dir, 'data')
        self.port = _free_port()
        self._run('initdb', '-D', self.data, '-U', 'gantt', '-A', 'trust',
                  '--no-sync', '-E', 'UTF8')
        self.url = ('postgresql+psycopg2://gantt@127.0.0.1:%d/postgres'
                    % self.port)
        self.start()
        self.addCleanup(self._stop_quietly)

    def _run(self, tool, *args):
        command = [os.path.join(self.bin, tool)] + list(args)
        if self.as_root:
            command = ['runuser', '-u', USER, '--'] + command
        done = subprocess.run(command, capture_output=True, text=True,
                              cwd=self.dir, timeout=120)
        if done.returncode:
            raise RuntimeError('%s failed (%d): %s%s' % (
                tool, done.returncode, done.stdout, done.stderr))
        return done.stdout

    def start(self):
        options = ('-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off'
                   % (self.port, self.dir))
        self._run('pg_ctl', '-D', self.data, '-l',
                  os.path.join(self.dir, 'log'), '-o', options, '-w', 'start')

    def stop(self):
        """Stop at once, as a crash would: open transactions are lost."""
        self._run('pg_ctl', '-D', self.data, '-m', 'immediate', '-w',
                  'stop')

    def _stop_quietly(self):
        try:
            self.stop()
        except RuntimeError:
            pass  # already stopped
