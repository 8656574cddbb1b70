"""The database goes away under a running gantt-scheduler, then comes back.

On a PostgreSQL server of the test's own (tests.functional.pg_server): the
conductor gets ServiceUnavailable, a Gantt exception it can catch and
retry on, instead of an untyped RemoteError; the daemon keeps answering
what needs no database, and once the server is back it serves decisions
again without being restarted.
"""

import time
import uuid

from gantt.db import api as db_api
from gantt import exception
from gantt.rpcapi import report as report_rpcapi
from gantt.rpcapi import scheduler as scheduler_rpcapi
from tests.functional import fixtures as gantt_fixtures
from tests.functional import pg_server

HOSTS = ('outage-a', 'outage-b')


class TestDatabaseOutage(gantt_fixtures.DaemonTestCase):

    def setUp(self):
        # Not DaemonTestCase.setUp: the daemon runs on a server we own.
        super(gantt_fixtures.DaemonTestCase, self).setUp()
        url = gantt_fixtures.transport_url_or_skip(self)
        self.pg = self.useFixture(pg_server.PostgresServer(self))
        self.daemon = self.useFixture(gantt_fixtures.SchedulerProcess(
            url, database_url=self.pg.url))
        self.conf = self.daemon.conf
        self.ctxt = _context()
        self.report = report_rpcapi.ReportClient(
            self.conf, self.daemon.transport)
        self.scheduler = scheduler_rpcapi.SchedulerAPI(
            self.conf, self.daemon.transport)

    def _report_and_wait(self):
        for host in HOSTS:
            self.report.update_resource_stats(
                self.ctxt, gantt_fixtures.compute_node(host))
        db = db_api.Database(self.conf)
        self.addCleanup(db.dispose)
        end = time.monotonic() + 30
        while True:
            stored = {n['host'] for n in db.get_changes(0).compute_nodes}
            if set(HOSTS) <= stored:
                break
            self.assertLess(time.monotonic(), end, self.daemon.log_tail())
            time.sleep(0.05)
        db.dispose()

    def _select(self):
        return self.scheduler.select_destinations(
            self.ctxt, gantt_fixtures.request_spec(), [str(uuid.uuid4())])

    def test_an_outage_is_a_typed_error_and_the_service_recovers(self):
        self._report_and_wait()
        self.assertIn(self._select()[0][0].service_host, HOSTS)

        self.pg.stop()
        started = time.monotonic()
        exc = self.assertRaises(exception.ServiceUnavailable, self._select)
        waited = time.monotonic() - started
        self.assertIn('database', str(exc))
        # What needs no database is still answered.
        self.daemon.ping(timeout=10)
        # A write (a claim release) is retried, then refused the same way.
        self.assertRaises(exception.ServiceUnavailable,
                          self.scheduler.delete_allocations, self.ctxt,
                          str(uuid.uuid4()))

        self.pg.start()
        # No restart: the next decisions find the database again.
        end = time.monotonic() + 30
        while True:
            try:
                result = self._select()
                break
            except exception.ServiceUnavailable:
                self.assertLess(time.monotonic(), end,
                                self.daemon.log_tail())
                time.sleep(0.5)
        self.assertIn(result[0][0].service_host, HOSTS)
        self.assertIsNone(self.daemon.process.poll())
        log = self.daemon.log()
        self.assertIn('ServiceUnavailable', log)
        self.assertNotIn('Traceback', log)
        self.addDetail('outage', _text(
            'select_destinations answered ServiceUnavailable %.1f s after '
            'the database stopped' % waited))


def _context():
    from gantt import context
    return context.RequestContext(user_id='user-1', project_id='project-1',
                                  is_admin=True)


def _text(value):
    from tests.functional import test_flood
    return test_flood._text(value)
