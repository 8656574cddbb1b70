"""/resource_classes: standard classes and custom ones (created with POST
from 1.2, or PUT from 1.7)."""

from gantt.api import errors
from gantt.api import http
from gantt.db import resource_class as rc_db


def _one(name):
    return {'name': name, 'links': [
        {'rel': 'self', 'href': '/resource_classes/%s' % name}]}


def index(req):
    return http.json({'resource_classes': [
        _one(n) for n in http.db(req).read(rc_db.list_names)]})


def show(req, name):
    if not http.db(req).read(rc_db.exists, name):
        raise errors.Error(404, 'no resource class named %s' % name)
    return http.json(_one(name))


def create(req):
    name = http.field(http.body(req), 'name', str)
    if not http.db(req).write(rc_db.create, name):
        raise errors.Error(409, 'resource class %s already exists' % name,
                           errors.DUPLICATE_NAME)
    resp = http.empty(201)
    resp.headers['Location'] = '/resource_classes/%s' % name
    return resp


def ensure(req, name):
    if not http.at_least(req, (1, 7)):
        raise errors.Error(405, 'PUT /resource_classes/{name} needs '
                           'microversion 1.7')
    return http.created_or_found(http.db(req).write(rc_db.create, name),
                                 '/resource_classes/%s' % name)


def delete(req, name):
    http.db(req).write(rc_db.delete, name)
    return http.empty()
