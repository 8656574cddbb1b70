"""Statements on the driver's cursor read and write what SQLAlchemy would."""

import datetime

import sqlalchemy as sa

from gantt.db import driver
from gantt.db import models
from tests.unit.db import base

_consumers = models.Consumer.__table__

_INSERT = sa.insert(_consumers).values(
    uuid=sa.bindparam('uuid'), project_id='fixed-project',
    user_id=sa.bindparam('user_id'), generation=sa.bindparam('generation'),
    created_at=sa.bindparam('now'), updated_at=sa.bindparam('now'))
_SELECT = sa.select(_consumers).where(_consumers.c.uuid == sa.bindparam('u'))
_BUMP = (sa.update(_consumers)
         .where(_consumers.c.uuid == sa.bindparam('u'))
         .values(generation=_consumers.c.generation + sa.bindparam('by'))
         .returning(_consumers.c.generation))
_WHEN = datetime.datetime(2026, 3, 4, 5, 6, 7, 890123)


class DriverCases:
    """Mixed into a StoreTestCase (SQLite here, PostgreSQL in functional)."""

    def run_on_cursor(self, fn):
        with self.db.engine.begin() as conn:
            cursor = driver.Cursor(conn)
            try:
                return fn(cursor)
            finally:
                cursor.close()

    def insert(self, cursor, uuid, generation=1):
        cursor.execute(_INSERT, {'uuid': uuid, 'user_id': 'u',
                                 'generation': generation, 'now': _WHEN})

    def test_rows_read_back_as_sqlalchemy_reads_them(self):
        self.run_on_cursor(lambda c: self.insert(c, 'c1', generation=3))
        with self.db.engine.connect() as conn:
            expected = conn.execute(_SELECT, {'u': 'c1'}).one()
        row = self.run_on_cursor(
            lambda c: c.execute(_SELECT, {'u': 'c1'}).first())
        self.assertEqual(tuple(expected), tuple(row))
        self.assertEqual(_WHEN, row.created_at)
        self.assertEqual('fixed-project', row.project_id)
        self.assertEqual(3, row.generation)

    def test_many_rows_in_one_call(self):
        rows = [{'uuid': 'c%d' % i, 'user_id': 'u', 'generation': i,
                 'now': _WHEN} for i in range(3)]
        count = self.run_on_cursor(
            lambda c: c.execute(_INSERT, rows).rowcount)
        self.assertEqual(3, count)
        self.assertEqual(3, self.count('consumers'))

    def test_returning_and_rowcount(self):
        def bump(cursor):
            self.insert(cursor, 'c1', generation=5)
            return cursor.execute(_BUMP, {'u': 'c1', 'by': 2}).scalar_one()
        self.assertEqual(7, self.run_on_cursor(bump))
        missing = self.run_on_cursor(
            lambda c: c.execute(_BUMP, {'u': 'nobody', 'by': 1}).all())
        self.assertEqual([], missing)

    def test_numbers_read_back_as_sqlalchemy_reads_them(self):
        node = self.add_node(cpu_allocation_ratio=4.0)
        inventories = models.Inventory.__table__
        query = (sa.select(inventories.c.resource_class,
                           inventories.c.allocation_ratio,
                           inventories.c.total)
                 .order_by(inventories.c.resource_class))
        with self.db.engine.connect() as conn:
            expected = [tuple(r) for r in conn.execute(query)]
        rows = self.run_on_cursor(lambda c: c.execute(query).all())
        self.assertEqual(expected, [tuple(r) for r in rows])
        self.assertIn(('VCPU', 4.0, 8), expected)
        self.assertIsNotNone(node)

    def test_missing_parameter_is_named(self):
        err = self.assertRaises(
            sa.exc.ArgumentError, self.run_on_cursor,
            lambda c: c.execute(_SELECT, {}))
        self.assertIn("'u'", str(err))

    def test_driver_errors_arrive_as_sqlalchemy_errors(self):
        def twice(cursor):
            self.insert(cursor, 'c1')
            self.insert(cursor, 'c1')
        self.assertRaises(sa.exc.IntegrityError, self.run_on_cursor, twice)
        # The failed transaction was rolled back whole.
        self.assertEqual(0, self.count('consumers'))

    def test_scalar_one_wants_exactly_one_row(self):
        def scalar(cursor, sql):
            return cursor.execute(sql, {'u': 'c1'}).scalar_one()
        self.run_on_cursor(lambda c: self.insert(c, 'c1'))
        self.assertRaises(
            sa.exc.NoResultFound, self.run_on_cursor,
            lambda c: scalar(c, _SELECT.where(_consumers.c.id < 0)))
        self.run_on_cursor(lambda c: self.insert(c, 'c2'))
        everyone = sa.select(_consumers.c.id).where(
            _consumers.c.uuid != sa.bindparam('u'))
        self.run_on_cursor(lambda c: self.insert(c, 'c3'))
        self.assertRaises(sa.exc.MultipleResultsFound, self.run_on_cursor,
                          lambda c: scalar(c, everyone))


class TestDriverCursor(DriverCases, base.StoreTestCase):

    def test_statements_needing_sqlalchemy_at_run_time_are_refused(self):
        expanding = sa.select(_consumers.c.id).where(
            _consumers.c.uuid.in_(sa.bindparam('uuids', expanding=True)))
        err = self.assertRaises(
            ValueError, self.run_on_cursor,
            lambda c: c.execute(expanding, {'uuids': ['a']}))
        self.assertIn('execution time', str(err))

    def test_a_statement_is_compiled_once_per_dialect(self):
        key = driver.dialect_key(self.db.engine.dialect)
        self.run_on_cursor(lambda c: c.execute(_SELECT, {'u': 'x'}).all())
        first = driver._COMPILED[_SELECT][key]
        self.run_on_cursor(lambda c: c.execute(_SELECT, {'u': 'y'}).all())
        self.assertIs(first, driver._COMPILED[_SELECT][key])
