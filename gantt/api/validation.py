"""Requests checked against the schemas of gantt.api.schemas: the JSON
body (its content type, its syntax, then the schema the request's
microversion picks) and the query string, refused in placement's words
("JSON does not validate: ...", "Invalid query string parameters: ...")
with jsonschema's account of what is wrong."""

import jsonschema
from oslo_serialization import jsonutils
from oslo_utils import uuidutils

from gantt.api import errors

JSON = 'application/json'
_FORMATS = jsonschema.FormatChecker(())


@_FORMATS.checks('uuid')
def _is_uuid(value):
    return not isinstance(value, str) or uuidutils.is_uuid_like(value)


def pick(req, versions):
    """The schema of ``versions`` ((first microversion, schema), ...,
    oldest first) that the request's microversion uses, or None when it
    predates them all."""
    chosen = None
    for since, schema in versions:
        if req.environ['gantt.version'] >= since:
            chosen = schema
    return chosen


def check(data, schema):
    """``data`` if it matches ``schema``; a 400 saying where not."""
    try:
        jsonschema.validate(data, schema, format_checker=_FORMATS)
    except jsonschema.ValidationError as e:
        raise errors.Error(400, 'JSON does not validate: %s' % e)
    return data


def require_json(req):
    """A 415 unless the request's body is declared application/json."""
    if req.content_type != JSON:
        raise errors.Error(415, 'The media type %s is not supported, use %s'
                           % (req.content_type or None, JSON))


def body(req, versions):
    """The request's JSON body, checked against the schema its
    microversion picks from ``versions``."""
    require_json(req)
    try:
        data = jsonutils.loads(req.body)
    except ValueError as e:
        raise errors.Error(400, 'Malformed JSON: %s' % e)
    return check(data, pick(req, versions))


def query(req, versions):
    """The request's query string ({name: last value}), checked against
    the schema its microversion picks from ``versions``."""
    try:
        params = dict(req.GET)
    except UnicodeDecodeError as e:
        raise errors.Error(400, 'Invalid query string parameters: %s' % e)
    try:
        jsonschema.validate(params, pick(req, versions),
                            format_checker=_FORMATS)
    except jsonschema.ValidationError as e:
        raise errors.Error(400, 'Invalid query string parameters: %s' % e)
    return params
