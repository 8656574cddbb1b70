"""The store on each database server Gantt supports: PostgreSQL
(GANTT_TEST_POSTGRES_URL) and MySQL/MariaDB (GANTT_TEST_MYSQL_URL).

Each case below runs once per server it names, as a class of its own
(TestPostgres<Case>, TestMysql<Case>) that skips when that server's URL is
unset; the cases shared with SQLite come from tests/unit/db.
"""

from alembic import autogenerate
from alembic import migration as alembic_migration
import testscenarios

from gantt.db import migration
from gantt.db import models
from tests.functional.db import base as servers
from tests.unit.db import allocation_cases
from tests.unit.db import base
from tests.unit.db import test_allocation_fit
from tests.unit.db import test_audit
from tests.unit.db import test_changes
from tests.unit.db import test_provider_tree
from tests.unit.db import test_server_group

POSTGRES = ('Postgres', servers.PostgresMixin)
MYSQL = ('Mysql', servers.MysqlMixin)
BOTH = (POSTGRES, MYSQL)


class SchemaCases(object):

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


class InnodbCases(object):

    def test_tables_are_innodb(self):
        # Row locks and transactions: the claims' conditional updates and
        # the change feed's snapshot reads rely on them.
        with self.db.engine.connect() as conn:
            engines = set(conn.exec_driver_sql(
                'SELECT engine FROM information_schema.tables '
                'WHERE table_schema = DATABASE()').scalars())
        self.assertEqual({'InnoDB'}, engines)


class LargeDocumentCases(object):
    """JSON documents past TEXT's 64 KiB fit (MEDIUMTEXT on MySQL)."""

    def test_request_spec_larger_than_text_round_trips(self):
        spec = {'scheduler_hints': {'note': 'x' * 100000}}
        self.db.save_request_spec('11111111-2222-4333-8444-555555555555',
                                  spec)
        self.assertEqual(spec, self.db.get_request_spec(
            '11111111-2222-4333-8444-555555555555'))


class WriterCases(object):
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


class DroppedConnectionCases(object):
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


#: (case, its bases, the servers it runs on). A case on one server only
#: tests what only that server has (InnoDB, MEDIUMTEXT, a backend pid) or
#: has not been run on the other yet.
CASES = (
    ('Schema', (SchemaCases, base.StoreTestCase), BOTH),
    ('StorageEngine', (InnodbCases, base.StoreTestCase), (MYSQL,)),
    ('Claims', (allocation_cases.ClaimCases, base.StoreTestCase), BOTH),
    ('InstanceClaims', (allocation_cases.InstanceClaimCases,
                        base.StoreTestCase), (POSTGRES,)),
    ('ServerGroups', (test_server_group.TestServerGroupStore,), (POSTGRES,)),
    ('InvalidClaims', (testscenarios.WithScenarios,
                       allocation_cases.InvalidClaimCases,
                       base.StoreTestCase), BOTH),
    ('ChangeFeed', (test_changes.TestChangeFeed,), BOTH),
    ('Membership', (test_changes.TestAggregatesAndInstances,), BOTH),
    ('BatchReports', (test_changes.TestBatchReports,), BOTH),
    ('Audit', (test_audit.TestAudit,), BOTH),
    ('ProviderTree', (test_provider_tree.TestProviderTree,), BOTH),
    ('Writers', (WriterCases, base.StoreTestCase), (POSTGRES,)),
    ('UnchangedReports', (test_changes.TestUnchangedReports,), BOTH),
    ('FitAgreement', (test_allocation_fit.FitAgreementCases,
                      base.StoreTestCase), BOTH),
    ('DroppedConnection', (DroppedConnectionCases, base.StoreTestCase),
     (POSTGRES,)),
    ('LargeDocuments', (LargeDocumentCases, base.StoreTestCase), (MYSQL,)),
)


def _server_case(server, case, bases):
    """The test class of ``case`` on ``server``: the server's mixin first,
    so its setUp skips (or points the store at the server) before the
    store is built."""
    label, mixin = server
    name = 'Test%s%s' % (label, case)
    return name, type(name, (mixin,) + bases, {'__module__': __name__})


for _case, _bases, _servers in CASES:
    for _server in _servers:
        _name, _class = _server_case(_server, _case, _bases)
        globals()[_name] = _class
del _case, _bases, _servers, _server, _name, _class
