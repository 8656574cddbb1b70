"""A database that goes away in the middle of a claim leaves nothing behind.

A real scheduler and store on a PostgreSQL server of the test's own: the
server is stopped (as a crash would, ``pg_ctl -m immediate``) while a
three-instance request's claim is about to record its last instance,
after every instance took its amounts and wrote its allocations.
The call fails; once the server is back, no inventory is used, no consumer,
allocation or instance record remains, and the same request then places
all three instances.
"""

import fixtures
from oslo_db import exception as db_exc
import sqlalchemy as sa
import testtools

from gantt import context
from gantt.db import api as db_api
from gantt.db import models
from gantt import exception
from gantt import host_manager
from gantt import objects
from gantt import scheduler
from tests.functional import pg_server
from tests.unit.db import base as db_base

UUIDS = ['00000000-0000-4000-8000-00000000000%d' % i for i in (1, 2, 3)]


class TestClaimWhenDatabaseStops(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.FakeLogger(level='INFO'))
        self.server = self.useFixture(pg_server.PostgresServer(self))
        fixture = self.useFixture(db_base.DatabaseFixture(self.server.url))
        self.conf = fixture.conf
        # Give up quickly while the server is down: the test wants the
        # failure, not the wait.
        self.conf.set_override('db_max_retries', 1, group='database')
        self.conf.set_override('db_retry_interval', 0, group='database')
        self.conf.set_override('enabled_weighers', ['RAMWeigher'],
                               group='filter_scheduler')
        self.db = db_api.Database(self.conf)
        self.addCleanup(self.db.dispose)
        for name in ('a', 'b', 'c'):
            self.assertTrue(self.db.save_compute_node(db_base.make_node(
                host=name, memory_mb=4096)))
        self.ctxt = context.get_admin_context()

    def worker(self):
        manager = host_manager.HostManager(self.conf, self.db)
        manager.refresh()
        return scheduler.Scheduler(self.conf, self.db, manager)

    def spec(self):
        return objects.RequestSpec(
            project_id='p1', user_id='u1', num_instances=3,
            flavor=objects.Flavor(memory_mb=2048, vcpus=1, root_gb=1),
            image=objects.ImageMeta(properties=objects.ImageMetaProps()))

    def stop_server_before(self, prefix, naming):
        """Stop the server as the first statement starting ``prefix`` with
        ``naming`` among its parameters is about to be sent (once)."""
        stopped = []

        def before(conn, cursor, statement, parameters, *args):
            if (not stopped and statement.lstrip().startswith(prefix) and
                    naming in repr(parameters)):
                stopped.append(statement)
                self.server.stop()
        sa.event.listen(self.db.engine, 'before_cursor_execute', before)
        self.addCleanup(sa.event.remove, self.db.engine,
                        'before_cursor_execute', before)
        return stopped

    def held(self):
        """(sum of used, consumers, allocations, live instance records)."""
        inv = models.Inventory.__table__
        instances = models.Instance.__table__
        with self.db.reader() as session:
            return (
                session.execute(sa.select(sa.func.coalesce(
                    sa.func.sum(inv.c.used), 0))).scalar_one(),
                self.count(session, models.Consumer.__table__),
                self.count(session, models.Allocation.__table__),
                session.execute(
                    sa.select(sa.func.count()).select_from(instances)
                    .where(instances.c.deleted == sa.false())).scalar_one())

    @staticmethod
    def count(session, table):
        return session.execute(
            sa.select(sa.func.count()).select_from(table)).scalar_one()

    def test_request_claimed_when_database_stops_leaves_nothing(self):
        sched = self.worker()
        # The last instance's record is the claim's last statement: every
        # instance has taken its amounts by then.
        stopped = self.stop_server_before('INSERT INTO instances', UUIDS[-1])
        # However the outage is reported (typed or not), the call fails.
        self.assertRaises((db_exc.DBError, sa.exc.DBAPIError,
                           exception.GanttException),
                          sched.select_destinations, self.ctxt, self.spec(),
                          UUIDS)
        self.assertEqual(1, len(stopped))
        self.server.start()
        self.assertEqual((0, 0, 0, 0), self.held())

        # The worker recovers by itself: the same request places all three.
        result = sched.select_destinations(self.ctxt, self.spec(), UUIDS)
        self.assertEqual(['a', 'b', 'c'],
                         sorted(s[0].service_host for s in result))
        self.assertEqual((3 * (2048 + 1 + 1), 3, 9, 3), self.held())
