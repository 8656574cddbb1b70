"""The resource class catalogue: os-resource-classes' standard names and
the custom ones recorded in the store (on first use, or created through the
API)."""

import sqlalchemy as sa

from gantt.db import catalogue
from gantt.db import models
from gantt import exception
from gantt import resource_classes

_classes = models.ResourceClass.__table__
_inventories = models.Inventory.__table__
_allocations = models.Allocation.__table__
CATALOGUE = catalogue.Catalogue(
    _classes, lambda: resource_classes.STANDARD,
    resource_classes.CUSTOM_PATTERN,
    lambda name, reason: exception.InvalidResourceClass(name=name,
                                                        reason=reason))


def list_names(session):
    return sorted(resource_classes.STANDARD | CATALOGUE.recorded(session))


def exists(session, name):
    return CATALOGUE.exists(session, name)


def create(session, name):
    """Record a custom class; True if it is new."""
    return CATALOGUE.create(session, name)


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


def rename(session, name, new_name):
    """Rename a custom class no inventory offers and nobody holds (the
    old name forgotten, the new one recorded); raises InvalidResourceClass
    for a standard class, NotFound, InUse, and ResourceClassExists when
    ``new_name`` is taken."""
    if name in resource_classes.STANDARD:
        raise exception.InvalidResourceClass(
            name=name, reason='standard resource classes cannot be renamed')
    if new_name != name and exists(session, new_name):
        raise exception.ResourceClassExists(name=new_name)
    delete(session, name)
    create(session, new_name)
