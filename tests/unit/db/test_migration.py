"""The alembic migrations build exactly the schema the models declare."""

import os

import fixtures
from alembic import autogenerate
from alembic import migration as alembic_migration
import sqlalchemy as sa
import testtools

from gantt.db import api
from gantt.db import migration
from gantt.db import models
from tests.unit.db import base


class TestMigration(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.path = self.useFixture(fixtures.TempDir()).path
        self.conf = base.make_conf(self.path)

    def test_upgrade_to_head_from_nothing(self):
        self.assertIsNone(migration.current(self.conf))
        self.assertEqual(migration.head(), migration.upgrade(self.conf))
        self.assertEqual(migration.head(), migration.current(self.conf))
        # Running again is harmless.
        self.assertEqual(migration.head(), migration.upgrade(self.conf))

    def test_default_is_a_wal_sqlite_file_under_state_path(self):
        migration.upgrade(self.conf)
        self.assertTrue(os.path.exists(os.path.join(self.path,
                                                    'gantt.sqlite')))
        db = api.Database(self.conf)
        self.addCleanup(db.dispose)
        with db.engine.connect() as conn:
            pragma = lambda name: conn.exec_driver_sql(  # noqa: E731
                'PRAGMA %s' % name).scalar()
            self.assertEqual('wal', pragma('journal_mode'))
            self.assertEqual(1, pragma('synchronous'))   # NORMAL
            self.assertEqual(api.SQLITE_BUSY_TIMEOUT_MS,
                             pragma('busy_timeout'))

    def test_models_match_migrations(self):
        migration.upgrade(self.conf)
        db = api.Database(self.conf)
        self.addCleanup(db.dispose)
        with db.engine.connect() as conn:
            diff = autogenerate.compare_metadata(
                alembic_migration.MigrationContext.configure(conn),
                models.Base.metadata)
        self.assertEqual([], diff)

    def test_counter_row_starts_at_zero(self):
        migration.upgrade(self.conf)
        db = api.Database(self.conf)
        self.addCleanup(db.dispose)
        with db.reader() as session:
            rows = session.execute(sa.select(
                models.ChangeSeq.__table__)).all()
        self.assertEqual([(1, 0)], [tuple(r) for r in rows])


class TestPcpuRewrite(testtools.TestCase):
    """Upgrading makes the next report of every compute store the PCPU
    inventory, even a report that changed nothing."""

    def test_unchanged_report_stores_pcpu_after_the_upgrade(self):
        from gantt import objects
        from tests.unit.objects import test_numa
        conf = base.make_conf(self.useFixture(fixtures.TempDir()).path)
        migration.upgrade(conf, 'l21a0001')
        db = api.Database(conf)
        self.addCleanup(db.dispose)

        def report(seq):
            node = base.make_node(uuid='00000000-0000-4000-8000-0000000000c1',
                                  report_seq=seq)
            node.numa = objects.NUMATopology(cells=[
                test_numa.cell(0, cpuset=(0, 1), pcpuset=(2, 3))])
            self.assertTrue(db.save_compute_node(node))

        def pcpu_rows():
            inventories = models.Inventory.__table__
            with db.engine.begin() as conn:
                return conn.execute(
                    sa.select(sa.func.count()).select_from(inventories)
                    .where(inventories.c.resource_class == 'PCPU')).scalar()

        report(1)
        # As a release that did not know PCPU stored it.
        with db.engine.begin() as conn:
            inventories = models.Inventory.__table__
            conn.execute(inventories.delete().where(
                inventories.c.resource_class == 'PCPU'))
        report(2)
        self.assertEqual(0, pcpu_rows())
        migration.upgrade(conf, database=db)
        report(3)
        self.assertEqual(1, pcpu_rows())
