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
