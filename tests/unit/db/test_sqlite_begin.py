"""SQLite transactions begin on the driver and still isolate and roll back."""

import datetime

import sqlalchemy as sa

from gantt.db import models
from tests.unit.db import base

_consumers = models.Consumer.__table__
_WHEN = datetime.datetime(2026, 1, 2, 3, 4, 5)
_INSERT = sa.insert(_consumers).values(uuid='c1', project_id='p',
                                       user_id='u', generation=1,
                                       created_at=_WHEN, updated_at=_WHEN)
_COUNT = sa.select(sa.func.count()).select_from(_consumers)


class TestSQLiteBegin(base.StoreTestCase):

    def count(self):
        with self.db.engine.connect() as conn:
            return conn.execute(_COUNT).scalar_one()

    def test_oslo_db_listener_is_replaced_by_the_driver_one(self):
        self.assertEqual(
            ['_sqlite_begin_on_driver'],
            [fn.__name__ for fn in self.db.engine.dispatch.begin])

    def test_uncommitted_writes_stay_unseen(self):
        with self.db.engine.begin() as conn:
            conn.execute(_INSERT)
            self.assertEqual(0, self.count())
        self.assertEqual(1, self.count())

    def test_a_failed_transaction_leaves_nothing(self):
        class Boom(Exception):
            pass

        def write():
            with self.db.engine.begin() as conn:
                conn.execute(_INSERT)
                raise Boom()
        self.assertRaises(Boom, write)
        self.assertEqual(0, self.count())
        # The connection went back to the pool fit for the next one.
        with self.db.engine.begin() as conn:
            conn.execute(_INSERT)
        self.assertEqual(1, self.count())
