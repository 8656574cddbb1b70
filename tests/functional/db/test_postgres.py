"""The store's schema and claims on PostgreSQL (GANTT_TEST_POSTGRES_URL)."""

from alembic import autogenerate
from alembic import migration as alembic_migration
import testscenarios

from gantt.db import migration
from gantt.db import models
from tests.functional.db import base as pg
from tests.unit.db import allocation_cases
from tests.unit.db import base
from tests.unit.db import test_allocation_fit
from tests.unit.db import test_audit
from tests.unit.db import test_changes
from tests.unit.db import test_provider_tree
from tests.unit.db import test_server_group


class TestPostgresSchema(pg.PostgresMixin, base.StoreTestCase):

    def test_migrated_to_head(self):
        self.assertEqual(migration.head(),
                         migration.current(self.conf, database=self.db))

    def test_models_match_migrations(self):
        with self.db.engine.connect() as conn:
            diff = autogenerate.compare_metadata(
                alembic_migration.MigrationContext.configure(conn),
                models.Base.metadata)
        self.assertEqual([], diff)

    def test_report_and_feed(self):
        node = self.add_node()
        changes = self.db.get_changes(0)
        self.assertEqual([node.uuid],
                         [n['uuid'] for n in changes.compute_nodes])
        self.assertEqual(3, len(changes.inventories))
        stale = base.make_node(uuid=node.uuid, report_seq=1)
        self.assertFalse(self.db.save_compute_node(stale))


class TestPostgresClaims(pg.PostgresMixin, allocation_cases.ClaimCases,
                         base.StoreTestCase):
    pass


class TestPostgresInstanceClaims(pg.PostgresMixin,
                                 allocation_cases.InstanceClaimCases,
                                 base.StoreTestCase):
    pass


class TestPostgresServerGroups(pg.PostgresMixin,
                               test_server_group.TestServerGroupStore):
    pass


class TestPostgresInvalidClaims(testscenarios.WithScenarios,
                                pg.PostgresMixin,
                                allocation_cases.InvalidClaimCases,
                                base.StoreTestCase):
    pass


class TestPostgresChangeFeed(pg.PostgresMixin, test_changes.TestChangeFeed):
    pass


class TestPostgresMembership(pg.PostgresMixin,
                             test_changes.TestAggregatesAndInstances):
    pass


class TestPostgresBatchReports(pg.PostgresMixin,
                               test_changes.TestBatchReports):
    pass


class TestPostgresAudit(pg.PostgresMixin, test_audit.TestAudit):
    pass


class TestPostgresProviderTree(pg.PostgresMixin,
                               test_provider_tree.TestProviderTree):
    pass


class TestPostgresWriters(pg.PostgresMixin, base.StoreTestCase):
    """A burst of writer threads holds at most the pool's connections.

    Writers no longer serialise on a counter row (a sequence stamps
    them), but a burst of RPC threads each holding a connection while
    they wait on row locks is what ran the pool dry under report bursts.
    """

    def test_concurrent_writers_hold_at_most_the_pool_size(self):
        import threading

        import sqlalchemy as sa

        engine = self.db.engine
        held = {'now': 0, 'most': 0}
        lock = threading.Lock()

        def checkout(*args):
            with lock:
                held['now'] += 1
                held['most'] = max(held['most'], held['now'])

        def checkin(*args):
            with lock:
                held['now'] -= 1

        sa.event.listen(engine, 'checkout', checkout)
        sa.event.listen(engine, 'checkin', checkin)
        self.addCleanup(sa.event.remove, engine, 'checkout', checkout)
        self.addCleanup(sa.event.remove, engine, 'checkin', checkin)
        errors = []

        def report(n):
            try:
                for seq in range(1, 6):
                    self.db.save_compute_node(base.make_node(
                        uuid='00000000-0000-4000-8000-%012d' % n,
                        host='host%d' % n, report_seq=seq))
            except Exception as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=report, args=(n,))
                   for n in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([], errors)
        self.assertLessEqual(held['most'],
                             self.conf.database.max_pool_size or 5)
        self.assertEqual(16, len(self.db.get_changes(
            0).compute_nodes))


class TestPostgresUnchangedReports(pg.PostgresMixin,
                                   test_changes.TestUnchangedReports):
    pass


class TestPostgresFitAgreement(pg.PostgresMixin,
                               test_allocation_fit.FitAgreementCases,
                               base.StoreTestCase):
    pass


class TestPostgresDroppedConnection(pg.PostgresMixin, base.StoreTestCase):
    """A pooled connection the server ended while it was in steady use
    (so not pinged at checkout) costs a retry, not an error."""

    def test_change_feed_read_survives_a_dropped_connection(self):
        import sqlalchemy as sa

        node = self.add_node()
        with self.db.engine.connect() as conn:
            pid = conn.exec_driver_sql('SELECT pg_backend_pid()').scalar_one()
        admin = sa.create_engine(self.postgres_url,
                                 poolclass=sa.pool.NullPool)
        self.addCleanup(admin.dispose)
        with admin.begin() as conn:
            self.assertTrue(conn.execute(
                sa.text('SELECT pg_terminate_backend(:pid)'),
                {'pid': pid}).scalar_one())
        self.assertEqual([node.uuid], [
            n['uuid'] for n in self.db.get_changes(0).compute_nodes])
