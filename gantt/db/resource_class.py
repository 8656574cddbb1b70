"""The resource class catalogue: os-resource-classes' standard names and
the custom ones recorded in the store (on first use, or created through the
API)."""

import sqlalchemy as sa

from gantt.db import models
from gantt import exception
from gantt import resource_classes

_classes = models.ResourceClass.__table__
_inventories = models.Inventory.__table__
_allocations = models.Allocation.__table__


def list_names(session):
    recorded = set(session.execute(sa.select(_classes.c.name)).scalars())
    return sorted(resource_classes.STANDARD | recorded)


def exists(session, name):
    return name in resource_classes.STANDARD or session.execute(
        sa.select(_classes.c.id).where(_classes.c.name == name)
    ).first() is not None


def create(session, name):
    """Record a custom class; True if it is new."""
    if not resource_classes.CUSTOM_PATTERN.match(name or ''):
        raise exception.InvalidResourceClass(
            name=name, reason='only classes matching %s can be created'
            % resource_classes.CUSTOM_PATTERN.pattern)
    if exists(session, name):
        return False
    session.execute(sa.insert(_classes).values(name=name))
    return True


def delete(session, name):
    """Forget a custom class no inventory offers and nobody holds."""
    if name in resource_classes.STANDARD:
        raise exception.InvalidResourceClass(
            name=name, reason='standard resource classes cannot be deleted')
    if not exists(session, name):
        raise exception.NotFound(what='Resource class %s' % name)
    for table in (_inventories, _allocations):
        query = sa.select(table.c.id).where(table.c.resource_class == name)
        if table is _inventories:
            query = query.where(_inventories.c.total > 0)
        if session.execute(query).first() is not None:
            raise exception.InUse(what='Resource class %s' % name,
                                  reason='inventories or allocations use it')
    session.execute(sa.delete(_classes).where(_classes.c.name == name))
