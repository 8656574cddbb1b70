"""/resource_classes: standard classes and custom ones (created with POST
from 1.2, or PUT from 1.7; PUT renames one from 1.2 to 1.6)."""

from gantt.api import errors
from gantt.api import http
from gantt.api.schemas import resource_class as schemas
from gantt.api import validation
from gantt.db import resource_class as rc_db
from gantt import exception


def _one(name):
    return {'name': name, 'links': [
        {'rel': 'self', 'href': '/resource_classes/%s' % name}]}


def _not_found(name):
    return errors.Error(404, 'No such resource class %s.' % name)


def index(req):
    return http.json({'resource_classes': [
        _one(n) for n in http.db(req).read(rc_db.list_names)]})


def show(req, name):
    if not http.db(req).read(rc_db.exists, name):
        raise _not_found(name)
    return http.json(_one(name))


def create(req):
    name = validation.body(req, schemas.CREATE)['name']
    if not http.db(req).write(rc_db.create, name):
        raise errors.Error(409, 'Conflicting resource class already '
                           'exists: %s' % name)
    resp = http.empty(201)
    resp.headers['Location'] = '/resource_classes/%s' % name
    return resp


def ensure(req, name):
    if not http.at_least(req, (1, 7)):
        return _rename(req, name)
    validation.check({'name': name}, validation.pick(req, schemas.CREATE))
    return http.fresh(req, http.created_or_found(
        http.db(req).write(rc_db.create, name),
        '/resource_classes/%s' % name))


def _rename(req, name):
    """PUT /resource_classes/{name} before 1.7: a new name for a custom
    class."""
    new_name = validation.body(req, schemas.RENAME)['name']
    try:
        http.db(req).write(rc_db.rename, name, new_name)
    except exception.InvalidResourceClass:
        raise errors.Error(400, 'Cannot update standard resource class %s'
                           % name)
    except exception.ResourceClassExists:
        raise errors.Error(409, 'Resource class already exists: %s'
                           % new_name)
    except exception.InUse:
        raise errors.Error(409, 'Cannot rename resource class %s: it is in '
                           'use in inventories or allocations' % name)
    except exception.NotFound:
        raise _not_found(name)
    return http.json(_one(new_name))


def delete(req, name):
    try:
        http.db(req).write(rc_db.delete, name)
    except exception.InvalidResourceClass:
        raise errors.Error(400, 'Error in delete resource class: Cannot '
                           'delete standard resource class %s.' % name)
    except exception.InUse:
        raise errors.Error(409, 'Error in delete resource class: Cannot '
                           'delete resource class %s. Class is in use in '
                           'inventory.' % name)
    except exception.NotFound:
        raise _not_found(name)
    return http.empty()
