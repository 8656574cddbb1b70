"""Where change sequence values come from, per dialect, and how far a
reader may safely advance.

PostgreSQL: a SEQUENCE, so concurrent writers never queue on a shared row.
A value handed out early may commit late, so a reader's horizon is the
highest value below every value still in flight: each writer registers
its value as a transaction-scoped advisory lock while readers hold the
registration briefly shut (gantt_change_next / gantt_change_horizon, made
by migration h19a0002). SQLite (and MySQL): the one change_seq counter
row; SQLite's single writer lock already serialises its writers.
"""

import sqlalchemy as sa

from gantt.db import models

_counter = models.ChangeSeq.__table__
_BUMP = (sa.update(_counter).where(_counter.c.id == 1)
         .values(value=_counter.c.value + 1))
_BUMP_RETURNING = _BUMP.returning(_counter.c.value)
READ_COUNTER = sa.select(_counter.c.value).where(_counter.c.id == 1)

#: Advisory lock class of the registration gate (two-int4 key space; the
#: second key is the schema's namespace). ASCII 'gant'.
GATE_CLASS = 0x67616E74

_NEXT = sa.select(sa.func.gantt_change_next())
_HORIZON = sa.select(sa.func.gantt_change_horizon())


def uses_sequence(dialect):
    """Whether ``dialect`` (a name or a Dialect) stamps from a sequence."""
    return getattr(dialect, 'name', dialect) == 'postgresql'


def next_value(conn):
    """A fresh change sequence value for this write transaction."""
    if uses_sequence(conn.dialect):
        return conn.execute(_NEXT).scalar_one()
    if conn.dialect.update_returning:
        return conn.execute(_BUMP_RETURNING).scalar_one()
    conn.execute(_BUMP)
    return conn.execute(READ_COUNTER).scalar_one()


def horizon(conn):
    """The highest value a reader may advance to: every write stamped at
    or below it has committed (or rolled back) before this returns.

    On PostgreSQL, call it outside the read transaction and begin that
    transaction afterwards, so its snapshot sees those commits.
    """
    if uses_sequence(conn.dialect):
        return conn.execute(_HORIZON).scalar_one()
    return conn.execute(READ_COUNTER).scalar_one()


# -- PostgreSQL objects (created by migration h19a0002) ---------------------

# A value v is registered as the bigint advisory key (namespace << 48) | v:
# pg_locks shows it as classid = key >> 32, objid = key & 0xffffffff.
_NEXT_SQL = """
CREATE OR REPLACE FUNCTION gantt_change_next() RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $body$
DECLARE v bigint;
BEGIN
    PERFORM pg_advisory_lock_shared(%(gate)d, %(ns)d);
    v := nextval('gantt_change_seq');
    PERFORM pg_advisory_xact_lock_shared((%(ns)d::bigint << 48) | v);
    PERFORM pg_advisory_unlock_shared(%(gate)d, %(ns)d);
    RETURN v;
END
$body$
"""

_HORIZON_SQL = """
CREATE OR REPLACE FUNCTION gantt_change_horizon() RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $body$
DECLARE
    newest bigint;
    called boolean;
    oldest bigint;
BEGIN
    PERFORM pg_advisory_lock(%(gate)d, %(ns)d);
    SELECT last_value, is_called INTO newest, called FROM gantt_change_seq;
    SELECT min(((classid::bigint & 65535) << 32) | objid::bigint)
      INTO oldest FROM pg_locks
     WHERE locktype = 'advisory' AND objsubid = 1
       AND database = (SELECT oid FROM pg_database
                        WHERE datname = current_database())
       AND (classid::bigint >> 16) = %(ns)d;
    PERFORM pg_advisory_unlock(%(gate)d, %(ns)d);
    IF NOT called THEN
        newest := newest - 1;
    END IF;
    IF oldest IS NOT NULL AND oldest - 1 < newest THEN
        RETURN oldest - 1;
    END IF;
    RETURN newest;
END
$body$
"""


def create_postgresql_objects(conn):
    """Make the sequence (continuing the counter) and both functions in
    the current schema. The namespace keeps schemas sharing one database
    (tests) from seeing each other's writers."""
    ns = conn.exec_driver_sql(
        'SELECT hashtext(current_schema()) & 32767').scalar_one()
    start = conn.execute(READ_COUNTER).scalar_one()
    conn.exec_driver_sql('CREATE SEQUENCE gantt_change_seq AS bigint '
                         'MINVALUE 0 START WITH %d' % (start + 1))
    params = {'gate': GATE_CLASS, 'ns': ns}
    conn.exec_driver_sql(_NEXT_SQL % params)
    conn.exec_driver_sql(_HORIZON_SQL % params)


def drop_postgresql_objects(conn):
    """Undo create_postgresql_objects, the counter taking the sequence's
    newest value."""
    newest = conn.exec_driver_sql(
        'SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 '
        'END FROM gantt_change_seq').scalar_one()
    conn.execute(sa.update(_counter).where(_counter.c.id == 1)
                 .values(value=newest))
    conn.exec_driver_sql('DROP FUNCTION gantt_change_horizon()')
    conn.exec_driver_sql('DROP FUNCTION gantt_change_next()')
    conn.exec_driver_sql('DROP SEQUENCE gantt_change_seq')
