"""Insert-or-update by a row's unique uuid, built once per table: one
statement where the dialect has one (INSERT ... ON CONFLICT on SQLite and
PostgreSQL, ON DUPLICATE KEY UPDATE on MySQL), else an update and, where
it found no row, an insert."""

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite


class Upsert(object):
    """Rows of ``table`` keyed by ``key`` (a unique column, bound as
    ``uuid``) whose ``values`` ({column: value or bindparam}) are written
    on insert and on update alike."""

    def __init__(self, table, key, values):
        column = table.c[key]
        keyed = dict(values, **{key: sa.bindparam('uuid')})
        self._update = (sa.update(table)
                        .where(column == sa.bindparam('uuid'))
                        .values(**values))
        self._insert = sa.insert(table).values(**keyed)
        names = sorted(values)
        self._statements = {}
        for dialect, insert in (('sqlite', sqlite.insert),
                                ('postgresql', postgresql.insert)):
            statement = insert(table).values(**keyed)
            self._statements[dialect] = statement.on_conflict_do_update(
                index_elements=[column],
                set_={name: getattr(statement.excluded, name)
                      for name in names})
        # The key is the only unique one besides the id an insert never
        # sets, so a duplicate is always the key's.
        statement = mysql.insert(table).values(**keyed)
        self._statements['mysql'] = statement.on_duplicate_key_update(
            {name: getattr(statement.inserted, name) for name in names})

    def statement(self, dialect):
        """The one-statement upsert for ``dialect`` (a name), or None
        where it has none."""
        return self._statements.get(dialect)

    def execute(self, conn, rows):
        """Write each row (a dict of the bind values, ``uuid`` among
        them); nothing to do without rows."""
        if not rows:
            return
        statement = self._statements.get(conn.dialect.name)
        if statement is not None:
            conn.execute(statement, rows)
            return
        for values in rows:
            if conn.execute(self._update, values).rowcount == 0:
                conn.execute(self._insert, values)
