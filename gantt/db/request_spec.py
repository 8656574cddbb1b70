"""Persisted request specs (the RequestSpec primitive as JSON, by instance
uuid), written in the claim's own transaction (gantt.stored_spec says what
is kept)."""

from oslo_serialization import jsonutils
import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite

from gantt.db import models
from gantt.db import timestamps

_specs = models.RequestSpec.__table__

# Built once: every claim that stores specs runs these.
_VALUES = {'spec': sa.bindparam('spec'), 'updated_at': sa.bindparam('now')}
_UPDATE = (sa.update(_specs)
           .where(_specs.c.instance_uuid == sa.bindparam('uuid'))
           .values(**_VALUES))
_INSERT = sa.insert(_specs).values(instance_uuid=sa.bindparam('uuid'),
                                   **_VALUES)


def _on_conflict(insert):
    statement = insert(_specs).values(instance_uuid=sa.bindparam('uuid'),
                                      **_VALUES)
    return statement.on_conflict_do_update(
        index_elements=[_specs.c.instance_uuid],
        set_={name: getattr(statement.excluded, name)
              for name in ('spec', 'updated_at')})


def _on_duplicate_key():
    statement = mysql.insert(_specs).values(
        instance_uuid=sa.bindparam('uuid'), **_VALUES)
    return statement.on_duplicate_key_update(
        {name: getattr(statement.inserted, name)
         for name in ('spec', 'updated_at')})


# Dialects with an upsert; others update, then insert.
_UPSERT = {'sqlite': _on_conflict(sqlite.insert),
           'postgresql': _on_conflict(postgresql.insert),
           'mysql': _on_duplicate_key()}


def _text(spec):
    """JSON text of a RequestSpec object, its primitive, or the text."""
    if isinstance(spec, str):
        return spec
    if hasattr(spec, 'obj_to_primitive'):
        spec = spec.obj_to_primitive()
    return jsonutils.dumps(spec)


def save_all(conn, specs):
    """Store each {instance uuid: spec} (an object, a primitive or its
    JSON text), replacing a stored one; one statement where the dialect
    has an upsert."""
    now = timestamps.utcnow()
    rows = [{'uuid': uuid, 'spec': _text(spec), 'now': now}
            for uuid, spec in sorted(specs.items())]
    if not rows:
        return
    statement = _UPSERT.get(conn.dialect.name)
    if statement is not None:
        conn.execute(statement, rows)
        return
    for values in rows:
        if conn.execute(_UPDATE, values).rowcount == 0:
            conn.execute(_INSERT, values)


def save(session, instance_uuid, spec):
    """Store ``spec`` (a RequestSpec object, its primitive dict or its
    JSON text) for the instance."""
    save_all(session.connection(), {instance_uuid: spec})


def get(session, instance_uuid):
    """The stored primitive dict, or None."""
    data = session.execute(
        sa.select(_specs.c.spec)
        .where(_specs.c.instance_uuid == instance_uuid)).scalar()
    return None if data is None else jsonutils.loads(data)


def delete(session, instance_uuid):
    result = session.execute(
        sa.delete(_specs).where(_specs.c.instance_uuid == instance_uuid))
    return result.rowcount > 0
