"""A throw-away PostgreSQL server a test may stop and start at will.

The shared PostgreSQL of the test run must never be stopped; a test that
takes the database away runs its own server: initdb into a temporary
directory as the ``postgres`` user, listening on a free loopback port,
without fsync. Needs root (for runuser) and the server binaries; the test
skips (or fails, under GANTT_TEST_REQUIRE_SERVICES) without them.
"""

import os
import shutil
import socket
import subprocess

import fixtures
import sqlalchemy as sa

from tests.functional import fixtures as gantt_fixtures

BIN_DIRS = ('/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin',
            '/usr/lib/postgresql/17/bin')
USER = 'postgres'


def _bin_dir():
    for path in BIN_DIRS:
        if os.path.exists(os.path.join(path, 'pg_ctl')):
            return path
    found = shutil.which('pg_ctl')
    return os.path.dirname(found) if found else None


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class PostgresServer(fixtures.Fixture):
    """Its own PostgreSQL; ``url`` names database ``gantt`` on it."""

    def __init__(self, test):
        super().__init__()
        self.test = test

    def _run(self, *args):
        return subprocess.run(('runuser', '-u', USER, '--') + args,
                              capture_output=True, text=True, timeout=120,
                              check=True)

    def _setUp(self):
        self.bin = _bin_dir()
        if self.bin is None or os.geteuid() != 0 or not shutil.which(
                'runuser'):
            gantt_fixtures.skip_or_fail(
                self.test, 'a throw-away PostgreSQL needs root, runuser and '
                'the PostgreSQL server binaries (pg_ctl, initdb)')
        self.dir = self.useFixture(fixtures.TempDir()).path
        os.chmod(self.dir, 0o755)
        shutil.chown(self.dir, USER)
        self.data = os.path.join(self.dir, 'data')
        self.port = _free_port()
        self._run(os.path.join(self.bin, 'initdb'), '-D', self.data, '-A',
                  'trust', '-U', USER, '--no-sync')
        self.start()
        self.addCleanup(self.stop)
        admin = sa.create_engine(self.server_url('postgres'),
                                 poolclass=sa.pool.NullPool,
                                 isolation_level='AUTOCOMMIT')
        with admin.connect() as conn:
            conn.exec_driver_sql('CREATE DATABASE gantt')
        admin.dispose()
        self.url = self.server_url('gantt')

    def server_url(self, database):
        return 'postgresql+psycopg2://%s@127.0.0.1:%d/%s' % (
            USER, self.port, database)

    def start(self):
        self._run(os.path.join(self.bin, 'pg_ctl'), '-D', self.data, '-w',
                  '-l', os.path.join(self.dir, 'server.log'), '-o',
                  '-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off '
                  '-c full_page_writes=off' % (self.port, self.dir), 'start')

    def stop(self):
        """Stop at once, as a crash or failover would end the sessions."""
        status = subprocess.run(
            ('runuser', '-u', USER, '--', os.path.join(self.bin, 'pg_ctl'),
             '-D', self.data, 'status'), capture_output=True)
        if status.returncode == 0:
            self._run(os.path.join(self.bin, 'pg_ctl'), '-D', self.data,
                      '-m', 'immediate', '-w', 'stop')
