"""Persisted request specs (the RequestSpec primitive as JSON, by instance
uuid), written in the claim's own transaction (gantt.stored_spec says what
is kept)."""

from oslo_serialization import jsonutils
import sqlalchemy as sa

from gantt.db import models
from gantt.db import timestamps
from gantt.db import row_upsert

_specs = models.RequestSpec.__table__

# Built once: every claim that stores specs runs it.
UPSERT = row_upsert.Upsert(_specs, 'instance_uuid', {
    'spec': sa.bindparam('spec'), 'updated_at': sa.bindparam('now')})


def text(spec):
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
    rows = [{'uuid': uuid, 'spec': text(spec), 'now': now}
            for uuid, spec in sorted(specs.items())]
    UPSERT.execute(conn, rows)


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
