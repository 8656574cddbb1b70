"""Who is calling gantt-api: keystonemiddleware (or one of the two
no-authentication modes standing in for it) says it in headers, and the
request context read from them (user, project, roles, system scope) is
what policy checks. The version document at / needs no token, as in
placement."""

from oslo_context import context as oslo_context
from oslo_middleware import request_id
import webob.dec

from gantt.api import errors

CONTEXT = 'gantt.context'
_ROOT = ('', '/')


def _is_root(environ):
    return environ.get('PATH_INFO', '') in _ROOT


def _unauthorized(req, detail):
    return errors.response(errors.Error(401, detail),
                           req.environ.get(request_id.ENV_REQUEST_ID))


class _Middleware:

    def __init__(self, app):
        self.app = app


class TrustedAdmin(_Middleware):
    """[api] auth_strategy = noauth: no token, every caller is an
    administrator and a service (so it may also reshape) in the project it
    names (X-Project-Id, else "admin")."""

    @webob.dec.wsgify
    def __call__(self, req):
        headers = req.headers
        headers['X-User-Id'] = headers.get('X-User-Id') or 'admin'
        headers['X-Project-Id'] = headers.get('X-Project-Id') or 'admin'
        headers['X-Roles'] = 'admin,service,member,reader'
        headers.pop('OpenStack-System-Scope', None)
        return self.app


class TokenNamesCaller(_Middleware):
    """[api] auth_strategy = noauth2, placement's test stand-in for
    keystone: X-Auth-Token is required and reads USER[:PROJECT]; X-Roles
    (comma separated, implied roles spelled out) gives the roles, else
    the token "admin" is an admin and any other token has none;
    OpenStack-System-Scope makes the call system scoped."""

    @webob.dec.wsgify
    def __call__(self, req):
        if _is_root(req.environ):
            return self.app
        token = req.headers.get('X-Auth-Token')
        if token is None:
            return _unauthorized(req, 'The request needs an X-Auth-Token '
                                 'header (USER or USER:PROJECT).')
        user, _sep, project = token.partition(':')
        if 'X-Roles' in req.headers:
            roles = req.headers['X-Roles'].split(',')
        else:
            roles = ['admin'] if user == 'admin' else []
        req.headers['X-User-Id'] = user
        if not req.headers.get('OpenStack-System-Scope'):
            # X-Project-Id, when sent, still names the project.
            req.headers['X-Tenant-Id'] = project or user
        req.headers['X-Roles'] = ','.join(roles)
        return self.app


class Keystone(_Middleware):
    """[api] auth_strategy = keystone: keystonemiddleware's auth_token
    validates every call but the version document, reading
    [keystone_authtoken] from ``conf``."""

    def __init__(self, app, conf):
        super().__init__(app)
        try:
            from keystonemiddleware import auth_token
        except ImportError:
            raise RuntimeError(
                '[api] auth_strategy = keystone needs keystonemiddleware, '
                'which is not installed (pip install keystonemiddleware)')
        self.protected = auth_token.filter_factory(
            {}, oslo_config_config=conf)(app)

    def __call__(self, environ, start_response):
        if _is_root(environ):
            return self.app(environ, start_response)
        return self.protected(environ, start_response)


class RequestContext(_Middleware):
    """Reads the caller from the headers into environ['gantt.context'];
    a call with no user (the version document aside) is a 401."""

    @webob.dec.wsgify
    def __call__(self, req):
        ctx = oslo_context.RequestContext.from_environ(
            req.environ,
            request_id=req.environ.get(request_id.ENV_REQUEST_ID))
        if ctx.user_id is None and not _is_root(req.environ):
            return _unauthorized(req, 'The request names no user: no '
                                 'X-User-Id (or X-User) header.')
        req.environ[CONTEXT] = ctx
        return self.app


STRATEGIES = {'noauth': TrustedAdmin, 'noauth2': TokenNamesCaller}


def wrap(app, conf):
    """``app`` behind the context reader and [api] auth_strategy's
    authentication."""
    app = RequestContext(app)
    if conf.api.auth_strategy == 'keystone':
        return Keystone(app, conf)
    return STRATEGIES[conf.api.auth_strategy](app)
