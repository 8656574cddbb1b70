"""What every handler needs: the request's JSON body, its query, its
microversion, the store, and JSON or empty responses."""

import email.utils

from oslo_serialization import jsonutils
from oslo_utils import uuidutils
import webob

from gantt.api import errors
from gantt.api import microversion
from gantt.api import validation


CACHE_HEADERS_FROM = (1, 15)
# How placement starts the detail of a body it refuses (its clients and
# tests match it).
INVALID = 'JSON does not validate: '


def version(req):
    return req.environ['gantt.version']


def at_least(req, major_minor):
    return version(req) >= major_minor


def db(req):
    return req.environ['gantt.db']


def body(req, kind=dict):
    """The request's JSON body (a ``kind``), or a 400 saying what is
    wrong with it."""
    validation.require_json(req)
    try:
        data = jsonutils.loads(req.body or b'null')
    except ValueError as e:
        raise errors.Error(400, 'Malformed JSON: the body is not valid '
                           'JSON: %s' % e)
    if not isinstance(data, kind):
        raise errors.Error(400, '%sthe body must be a JSON %s' % (
            INVALID, 'object' if kind is dict else 'array'))
    return data


def field(data, name, kind, required=True, default=None, where='body'):
    """``data[name]`` checked to be a ``kind`` (a type or tuple)."""
    if name not in data:
        if required:
            raise errors.Error(400, "%s'%s' is a required property of the "
                               "%s" % (INVALID, name, where))
        return default
    value = data[name]
    if isinstance(value, bool) and bool not in (
            kind if isinstance(kind, tuple) else (kind,)):
        raise errors.Error(400, '%s%s: %r is not a valid %s' % (
            INVALID, name, value, _name(kind)))
    if not isinstance(value, kind):
        raise errors.Error(400, '%s%s: %r is not a valid %s' % (
            INVALID, name, value, _name(kind)))
    return value


def _name(kind):
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return ' or '.join({int: 'integer', str: 'string', dict: 'object',
                        list: 'array', float: 'number',
                        type(None): 'null'}.get(k, k.__name__)
                       for k in kinds)


def generation(data, name='resource_provider_generation'):
    return field(data, name, int)


def json(data, status=200):
    return webob.Response(status=status, content_type='application/json',
                          charset='utf-8',
                          body=jsonutils.dump_as_bytes(data))


def empty(status=204):
    resp = webob.Response(status=status)
    resp.content_type = None
    return resp


def version_headers(resp, req):
    resp.headers[microversion.HEADER] = '%s %s' % (
        microversion.SERVICE_TYPE, microversion.text(version(req)))
    resp.headers['Vary'] = microversion.HEADER.lower()
    if (at_least(req, CACHE_HEADERS_FROM) and resp.status_int in (200, 201)
            and resp.content_type == 'application/json'):
        # From 1.15 placement marks what it returns as not to be cached
        # and says when it was read; Gantt's answer is as fresh as now.
        resp.headers['Cache-Control'] = 'no-cache'
        resp.headers['Last-Modified'] = email.utils.formatdate(usegmt=True)
    return resp


def fresh(req, resp):
    """``resp`` (a 201 or 204 of a catalogue entry, which has no JSON
    body) marked as not to be cached from 1.15, as version_headers marks
    JSON answers."""
    if at_least(req, CACHE_HEADERS_FROM):
        resp.headers['Cache-Control'] = 'no-cache'
        resp.headers['Last-Modified'] = email.utils.formatdate(usegmt=True)
    return resp


def uuid(value, what):
    """``value`` if it is a uuid, else a 400 naming ``what``."""
    if not isinstance(value, str) or not uuidutils.is_uuid_like(value):
        raise errors.Error(400, '%s: %r is not a valid uuid' % (what, value))
    return value


def created_or_found(created, location):
    """201 when a PUT created what ``location`` names, 204 when it was
    there already; Location set either way."""
    resp = empty(201 if created else 204)
    resp.headers['Location'] = location
    return resp
