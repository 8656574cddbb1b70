"""Persisted request specs (the RequestSpec primitive, by instance uuid)."""

from oslo_serialization import jsonutils
import sqlalchemy as sa

from gantt.db import models
from gantt.db import timestamps

_specs = models.RequestSpec.__table__


def save(session, instance_uuid, spec):
    """Store ``spec`` (a RequestSpec object or its primitive dict)."""
    if hasattr(spec, 'obj_to_primitive'):
        spec = spec.obj_to_primitive()
    values = {'spec': jsonutils.dumps(spec),
              'updated_at': timestamps.utcnow()}
    result = session.execute(
        sa.update(_specs).where(_specs.c.instance_uuid == instance_uuid)
        .values(**values))
    if result.rowcount == 0:
        session.execute(sa.insert(_specs).values(
            instance_uuid=instance_uuid, **values))


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
