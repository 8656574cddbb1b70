"""The WSGI application: placement's routes mapped to Gantt's handlers,
microversion negotiation, placement's error format, oslo.middleware's
request ids, authentication ([api] auth_strategy) and placement's policy
rules (gantt.api.policies) checked before each handler runs.
"""

from oslo_log import log as logging
from oslo_middleware import request_id
import routes
import webob
import webob.dec

from gantt.api import auth
from gantt.api import errors
from gantt.api.handlers import aggregate
from gantt.api.handlers import allocation
from gantt.api.handlers import allocation_candidate
from gantt.api.handlers import inventory
from gantt.api.handlers import reshaper
from gantt.api.handlers import resource_class
from gantt.api.handlers import resource_provider
from gantt.api.handlers import root
from gantt.api.handlers import trait
from gantt.api.handlers import usage
from gantt.api import http
from gantt.api import microversion
from gantt.api import policies
from gantt.api import policy
from gantt import exception
from gantt import host_manager

LOG = logging.getLogger(__name__)

_RP = '/resource_providers/{uuid}'
# path -> {method: handler}
ROUTES = {
    '/': {'GET': root.home},
    '/resource_providers': {'GET': resource_provider.index,
                            'POST': resource_provider.create},
    _RP: {'GET': resource_provider.show, 'PUT': resource_provider.update,
          'DELETE': resource_provider.delete},
    _RP + '/inventories': {'GET': inventory.index, 'PUT': inventory.replace,
                           'POST': inventory.add,
                           'DELETE': inventory.delete_all},
    _RP + '/inventories/{resource_class}': {
        'GET': inventory.show, 'PUT': inventory.update,
        'DELETE': inventory.delete},
    _RP + '/aggregates': {'GET': aggregate.index, 'PUT': aggregate.replace},
    _RP + '/traits': {'GET': trait.provider_index,
                      'PUT': trait.provider_replace,
                      'DELETE': trait.provider_delete},
    _RP + '/usages': {'GET': usage.provider_usages},
    _RP + '/allocations': {'GET': allocation.on_provider},
    '/usages': {'GET': usage.project_usages},
    '/traits': {'GET': trait.index},
    '/traits/{name}': {'GET': trait.show, 'PUT': trait.create,
                       'DELETE': trait.delete},
    '/resource_classes': {'GET': resource_class.index,
                          'POST': resource_class.create},
    '/resource_classes/{name}': {'GET': resource_class.show,
                                 'PUT': resource_class.ensure,
                                 'DELETE': resource_class.delete},
    '/allocations': {'POST': allocation.replace_many},
    '/allocations/{consumer}': {'GET': allocation.show,
                                'PUT': allocation.replace,
                                'DELETE': allocation.delete},
    '/reshaper': {'POST': reshaper.reshape},
    '/allocation_candidates': {'GET': allocation_candidate.index},
}

# Paths placement serves from a microversion on; before it they are not
# there at all (404), as in placement.
SINCE = {
    _RP + '/aggregates': (1, 1),
    '/resource_classes': (1, 2),
    '/resource_classes/{name}': (1, 2),
    '/traits': (1, 6),
    '/traits/{name}': (1, 6),
    _RP + '/traits': (1, 6),
    '/usages': (1, 9),
    '/allocation_candidates': (1, 10),
    '/reshaper': (1, 30),
}
# (path, method) served from a microversion on.
METHOD_SINCE = {
    ('/allocations', 'POST'): (1, 13),
}


def _mapper():
    mapper = routes.Mapper()
    for path, methods in ROUTES.items():
        mapper.connect(path, route=path)
    return mapper


class PlacementApp:
    """Route, negotiate the microversion, call the handler, and answer
    every refusal in placement's error format."""

    def __init__(self, conf, db):
        self.db = db
        self.mapper = _mapper()
        self.enforcer = policy.enforcer(conf)
        # The scheduler's view of the store, for allocation candidates.
        self.hosts = host_manager.HostManager(conf, db)

    @webob.dec.wsgify
    def __call__(self, req):
        req.environ['gantt.db'] = self.db
        req.environ['gantt.host_manager'] = self.hosts
        req.environ['gantt.version'] = microversion.MIN
        rid = req.environ.get(request_id.ENV_REQUEST_ID)
        try:
            req.environ['gantt.version'] = microversion.negotiate(req.headers)
            resp = self._dispatch(req)
        except errors.Error as e:
            resp = errors.response(e, rid, req.accept)
        except exception.GanttException as e:
            error = errors.from_exception(e)
            if error is None:
                LOG.exception('%s %s failed', req.method, req.path)
                error = errors.Error(500, str(e))
            resp = errors.response(error, rid, req.accept)
        return http.version_headers(resp, req)

    def _dispatch(self, req):
        path = req.path_info.rstrip('/') or '/'
        match = self.mapper.match(path)
        if match is None:
            raise errors.Error(404, 'The resource could not be found: %s'
                               % req.path_info)
        route = match.pop('route')
        since = max(SINCE.get(route, microversion.MIN),
                    METHOD_SINCE.get((route, req.method), microversion.MIN))
        if not http.at_least(req, since):
            raise errors.Error(404, 'The resource could not be found: %s '
                               '(from microversion %s)' % (
                                   req.path_info, microversion.text(since)))
        methods = ROUTES[route]
        handler = methods.get(req.method)
        if handler is None:
            error = errors.Error(405, 'The method %s is not allowed for '
                                 'this resource.\n\n Allowed: %s' % (
                                     req.method, ', '.join(sorted(methods))))
            resp = errors.response(error)
            resp.headers['Allow'] = ', '.join(sorted(methods))
            return resp
        # Like placement, only reads answer 406 to an Accept they cannot
        # meet; a write's answer is empty or the same JSON either way.
        if (req.method == 'GET' and req.accept and
                not req.accept.acceptable_offers(['application/json'])):
            raise errors.Error(406, 'Only application/json is provided; '
                               'the request accepts %s' % req.accept)
        _check_body_headers(req)
        self._authorize(req, route)
        return handler(req, **match)

    def _authorize(self, req, route):
        """Raise a 403 unless the caller passes the rule guarding this
        call (placement checks it after routing, before reading the
        body)."""
        action = policies.rule_for(route, req.method)
        if action is None:
            return
        context = req.environ[auth.CONTEXT]
        policy.authorize(self.enforcer, context, action,
                         policies.target(route, req, context))


def _check_body_headers(req):
    """A 400 for a Content-Length that is no integer, or that announces a
    body without a Content-Type."""
    length = req.environ.get('CONTENT_LENGTH')
    if not length:
        return
    try:
        length = int(length)
    except ValueError:
        raise errors.Error(400, 'content-length header must be an integer')
    if length > 0 and not req.environ.get('CONTENT_TYPE'):
        raise errors.Error(400, 'content-type header required when '
                           'content-length > 0')


def build(conf, db):
    """The whole WSGI stack for ``conf`` over the store ``db``."""
    app = auth.wrap(PlacementApp(conf, db), conf)
    return request_id.RequestId(app)
