"""Placement's JSON error bodies (errors: [{status, title, detail, code,
request_id}]) and which Gantt refusal becomes which status and code.

nova's report client reads ``code`` (placement.concurrent_update,
placement.inventory.inuse, ...) to decide whether to retry.
"""

import html

from oslo_serialization import jsonutils
import webob

from gantt import exception

CONCURRENT_UPDATE = 'placement.concurrent_update'
DUPLICATE_NAME = 'placement.duplicate_name'
INVENTORY_IN_USE = 'placement.inventory.inuse'
PROVIDER_IN_USE = 'placement.resource_provider.inuse'
CANNOT_DELETE_PARENT = 'placement.resource_provider.cannot_delete_parent'
PROVIDER_NOT_FOUND = 'placement.resource_provider.not_found'
BAD_QUERY = 'placement.query.bad_value'
UNDEFINED = 'placement.undefined_code'


_JSON = 'application/json'
_HTML = 'text/html'


class Error(Exception):
    """An HTTP error answered in placement's format."""

    def __init__(self, status, detail, code=UNDEFINED):
        if code == BAD_QUERY:
            # placement's wording for a query it refuses.
            detail = 'Invalid query string parameters: %s' % detail
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code


# Gantt refusal -> (status, code); the first class that matches wins, so
# subclasses come before their parents.
_MAP = (
    (exception.ProviderGenerationConflict, 409, CONCURRENT_UPDATE),
    (exception.ConsumerGenerationConflict, 409, CONCURRENT_UPDATE),
    (exception.ResourceProviderExists, 409, DUPLICATE_NAME),
    (exception.InventoryInUse, 409, INVENTORY_IN_USE),
    (exception.ResourceProviderHasChildren, 409, CANNOT_DELETE_PARENT),
    (exception.ResourceProviderInUse, 409, PROVIDER_IN_USE),
    (exception.ClaimConflict, 409, UNDEFINED),
    (exception.InUse, 409, UNDEFINED),
    (exception.NotFound, 404, UNDEFINED),
    (exception.ResourceProviderNotFound, 404, PROVIDER_NOT_FOUND),
    (exception.InvalidInventory, 400, UNDEFINED),
    (exception.InvalidClaim, 400, UNDEFINED),
    (exception.InvalidTrait, 400, UNDEFINED),
    (exception.InvalidResourceClass, 400, UNDEFINED),
)


def from_exception(exc):
    """The Error a Gantt refusal answers as, or None (a server error)."""
    for cls, status, code in _MAP:
        if isinstance(exc, cls):
            return Error(status, str(exc), code)
    return None


# What placement's error details start with, per status, before the
# particular reason (its clients and tests match either part).
_PREAMBLE = {
    400: 'The server could not comply with the request since it is either '
         'malformed or otherwise incorrect.',
    404: 'The resource could not be found.',
    409: 'There was a conflict when trying to complete your request.',
}


def response(error, request_id=None, accept=None):
    """The error's response: placement's JSON body, or a small HTML page
    for a request that accepts HTML and not JSON (as placement answers a
    browser)."""
    status = webob.Response(status=error.status).status
    detail = error.detail
    if error.status in _PREAMBLE:
        detail = '%s\n\n %s' % (_PREAMBLE[error.status], detail)
    if (accept and not accept.acceptable_offers([_JSON]) and
            accept.acceptable_offers([_HTML])):
        title = html.escape(status)
        page = ('<html>\n <head>\n  <title>%s</title>\n </head>\n <body>\n'
                '  <h1>%s</h1>\n  %s\n </body>\n</html>' % (
                    title, title, html.escape(detail)))
        return webob.Response(status=error.status, content_type=_HTML,
                              charset='utf-8', body=page.encode('utf-8'))
    body = {'errors': [{'status': error.status,
                        'title': status.split(' ', 1)[1],
                        'detail': detail, 'code': error.code,
                        'request_id': request_id}]}
    return webob.Response(status=error.status, content_type='application/json',
                          charset='utf-8', body=jsonutils.dump_as_bytes(body))


# Lookups that fail because a named thing does not exist (handlers that
# read a uuid from a body answer those with a 400, not a 404).
NOT_FOUND_TYPES = (exception.ResourceProviderNotFound, exception.NotFound)
