"""The store's schema and claims on MySQL/MariaDB (GANTT_TEST_MYSQL_URL)."""

from alembic import autogenerate
from alembic import migration as alembic_migration
import testscenarios

from gantt.db import migration
from gantt.db import models
from tests.functional.db import base as my
from tests.unit.db import allocation_cases
from tests.unit.db import base
from tests.unit.db import test_allocation_fit
from tests.unit.db import test_audit
from tests.unit.db import test_changes
from tests.unit.db import test_provider_tree


class TestMysqlSchema(my.MysqlMixin, base.StoreTestCase):

    def test_migrated_to_head(self):
        self.assertEqual(migration.head(),
                         migration.current(self.conf, database=self.db))

    def test_models_match_migrations(self):
        with self.db.engine.connect() as conn:
            diff = autogenerate.compare_metadata(
                alembic_migration.MigrationContext.configure(conn),
                models.Base.metadata)
        self.assertEqual([], diff)

    def test_tables_are_innodb(self):
        # Row locks and transactions: the claims' conditional updates and
        # the change feed's snapshot reads rely on them.
        with self.db.engine.connect() as conn:
            engines = set(conn.exec_driver_sql(
                'SELECT engine FROM information_schema.tables '
                'WHERE table_schema = DATABASE()').scalars())
        self.assertEqual({'InnoDB'}, engines)

    def test_report_and_feed(self):
        node = self.add_node()
        changes = self.db.get_changes(0)
        self.assertEqual([node.uuid],
                         [n['uuid'] for n in changes.compute_nodes])
        self.assertEqual(3, len(changes.inventories))
        stale = base.make_node(uuid=node.uuid, report_seq=1)
        self.assertFalse(self.db.save_compute_node(stale))


class TestMysqlClaims(my.MysqlMixin, allocation_cases.ClaimCases,
                      base.StoreTestCase):
    pass


class TestMysqlInvalidClaims(testscenarios.WithScenarios,
                             my.MysqlMixin,
                             allocation_cases.InvalidClaimCases,
                             base.StoreTestCase):
    pass


class TestMysqlChangeFeed(my.MysqlMixin, test_changes.TestChangeFeed):
    pass


class TestMysqlMembership(my.MysqlMixin,
                          test_changes.TestAggregatesAndInstances):
    pass


class TestMysqlBatchReports(my.MysqlMixin, test_changes.TestBatchReports):
    pass


class TestMysqlAudit(my.MysqlMixin, test_audit.TestAudit):
    pass


class TestMysqlProviderTree(my.MysqlMixin,
                            test_provider_tree.TestProviderTree):
    pass


class TestMysqlUnchangedReports(my.MysqlMixin,
                                test_changes.TestUnchangedReports):
    pass


class TestMysqlFitAgreement(my.MysqlMixin,
                            test_allocation_fit.FitAgreementCases,
                            base.StoreTestCase):
    pass


class TestMysqlLargeDocuments(my.MysqlMixin, base.StoreTestCase):
    """JSON documents past TEXT's 64 KiB fit (MEDIUMTEXT on MySQL)."""

    def test_request_spec_larger_than_text_round_trips(self):
        spec = {'scheduler_hints': {'note': 'x' * 100000}}
        self.db.save_request_spec('11111111-2222-4333-8444-555555555555',
                                  spec)
        self.assertEqual(spec, self.db.get_request_spec(
            '11111111-2222-4333-8444-555555555555'))
