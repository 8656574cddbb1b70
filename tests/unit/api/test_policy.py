"""Policy enforced on gantt-api's calls: who may read and write what,
with placement's noauth2 headers standing in for keystone's."""

import os
import sys

import fixtures
from oslo_serialization import jsonutils
import webob

from gantt.api import app
from tests.unit.api import base

PROJECT = 'b5d4ef0c6bd24c2c8a3e3b0c2b9f5a11'
OTHER = '0c1f4ad4c2f94a1f9a2d6a3b59c0e7d2'


class Noauth2TestCase(base.APITestCase):
    """gantt-api with [api] auth_strategy = noauth2."""

    overrides = {}

    def setUp(self):
        super().setUp()
        self.conf.set_override('auth_strategy', 'noauth2', group='api')
        for name, value in self.overrides.items():
            self.conf.set_override(name, value, group='oslo_policy')
        self.app = app.build(self.conf, self.db)

    def as_(self, method, path, roles=None, token='user', project=PROJECT,
            system=False, body=None):
        """(status, JSON body) of a call made with these credentials."""
        req = webob.Request.blank(path, method=method)
        req.headers['OpenStack-API-Version'] = 'placement latest'
        if token is not None:
            req.headers['X-Auth-Token'] = token
        if roles is not None:
            req.headers['X-Roles'] = roles
        if project and not system:
            req.headers['X-Project-Id'] = project
        if system:
            req.headers['OpenStack-System-Scope'] = 'all'
        if body is not None:
            req.content_type = 'application/json'
            req.body = jsonutils.dump_as_bytes(body)
        resp = req.get_response(self.app)
        return resp.status_int, (jsonutils.loads(resp.body)
                                 if resp.body else None)

    def refused(self, method, path, rule, **kw):
        status, data = self.as_(method, path, **kw)
        self.assertEqual(403, status, data)
        [error] = data['errors']
        self.assertEqual('Forbidden', error['title'])
        self.assertEqual('Policy does not allow %s to be performed.' % rule,
                         error['detail'])


class NewDefaultsTest(Noauth2TestCase):

    def test_reader_is_refused_writes_naming_the_rule(self):
        self.refused('POST', '/resource_providers',
                     'placement:resource_providers:create',
                     roles='member,reader',
                     body={'name': 'cn1'})
        self.refused('PUT', '/traits/CUSTOM_GOLD', 'placement:traits:update',
                     roles='reader')

    def test_project_admin_and_service_may_write(self):
        status, data = self.as_('POST', '/resource_providers',
                                roles='admin,member,reader',
                                body={'name': 'cn1'})
        self.assertEqual(200, status, data)
        status, data = self.as_('PUT', '/traits/CUSTOM_GOLD',
                                roles='service')
        self.assertEqual(201, status, data)

    def test_only_a_service_may_reshape(self):
        body = {'inventories': {}, 'allocations': {}}
        self.refused('POST', '/reshaper', 'placement:reshaper:reshape',
                     roles='admin,member,reader', body=body)
        status, data = self.as_('POST', '/reshaper', roles='service',
                                body=body)
        self.assertEqual(204, status, data)

    def test_system_scoped_admin_is_refused_project_scoped_rules(self):
        self.refused('GET', '/resource_providers',
                     'placement:resource_providers:list',
                     roles='admin,member,reader', system=True)

    def test_project_reader_sees_its_own_usages_only(self):
        status, data = self.as_('GET', '/usages?project_id=%s' % PROJECT,
                                roles='reader')
        self.assertEqual(200, status, data)
        self.assertEqual({}, data['usages'])
        self.refused('GET', '/usages?project_id=%s' % OTHER,
                     'placement:usages', roles='reader')

    def test_the_admin_token_alone_is_an_admin(self):
        status, data = self.as_('GET', '/resource_providers', token='admin',
                                project=None)
        self.assertEqual(200, status, data)
        self.refused('GET', '/resource_providers',
                     'placement:resource_providers:list', token='user',
                     project=None)

    def test_a_call_without_token_is_401_but_the_root_is_open(self):
        status, data = self.as_('GET', '/resource_providers', token=None)
        self.assertEqual(401, status, data)
        self.assertIn('X-Auth-Token', data['errors'][0]['detail'])
        status, data = self.as_('GET', '/', token=None)
        self.assertEqual(200, status, data)


class LegacyDefaultsTest(Noauth2TestCase):

    overrides = {'enforce_new_defaults': False}

    def test_admin_role_still_passes_and_a_member_is_still_refused(self):
        status, data = self.as_('GET', '/resource_providers',
                                roles='admin')
        self.assertEqual(200, status, data)
        self.refused('GET', '/resource_providers',
                     'placement:resource_providers:list', roles='member')

    def test_admin_may_reshape_under_the_legacy_rule(self):
        status, data = self.as_('POST', '/reshaper', roles='admin',
                                body={'inventories': {}, 'allocations': {}})
        self.assertEqual(204, status, data)


class PolicyFileTest(Noauth2TestCase):

    def setUp(self):
        path = os.path.join(self.useFixture(
            fixtures.TempDir()).path, 'policy.yaml')
        with open(path, 'w') as f:
            f.write('"placement:traits:list": "role:reader"\n')
        self.overrides = {'policy_file': path}
        super().setUp()

    def test_policy_file_overrides_a_default(self):
        status, data = self.as_('GET', '/traits', roles='reader')
        self.assertEqual(200, status, data)
        self.refused('GET', '/resource_classes',
                     'placement:resource_classes:list', roles='reader')


class TrustedAdminTest(base.APITestCase):
    """[api] auth_strategy = noauth (the default): every caller is an
    admin, whatever roles it claims."""

    def test_caller_without_credentials_may_write(self):
        self.ok('PUT', '/traits/CUSTOM_GOLD', status=201)

    def test_claimed_reader_role_is_ignored(self):
        req = webob.Request.blank('/traits/CUSTOM_SILVER', method='PUT',
                                  headers={'X-Roles': 'reader'})
        req.headers['OpenStack-API-Version'] = 'placement 1.39'
        self.assertEqual(201, req.get_response(self.app).status_int)


class _FakeAuthToken:
    """keystonemiddleware.auth_token as far as gantt-api sees it: a token
    validated into the X-User-Id, X-Project-Id and X-Roles headers (a
    token "reader" is a project reader, any other a service)."""

    @staticmethod
    def filter_factory(global_conf, **local_conf):
        def wrap(app):
            def middleware(environ, start_response):
                token = environ.get('HTTP_X_AUTH_TOKEN')
                if token is None:
                    start_response('401 Unauthorized', [])
                    return [b'']
                environ['HTTP_X_USER_ID'] = 'u1'
                environ['HTTP_X_PROJECT_ID'] = PROJECT
                environ['HTTP_X_ROLES'] = (
                    'reader' if token == 'reader' else 'service')
                return app(environ, start_response)
            return middleware
        return wrap


class KeystoneTest(base.APITestCase):
    """[api] auth_strategy = keystone: the roles come from the token."""

    def setUp(self):
        super().setUp()
        package = type(os)('keystonemiddleware')
        package.auth_token = _FakeAuthToken
        self.useFixture(fixtures.MonkeyPatch('sys.modules', dict(
            sys.modules, keystonemiddleware=package,
            **{'keystonemiddleware.auth_token': _FakeAuthToken})))
        self.conf.set_override('auth_strategy', 'keystone', group='api')
        self.app = app.build(self.conf, self.db)

    def _status(self, method, path, token=None):
        req = webob.Request.blank(path, method=method)
        req.headers['OpenStack-API-Version'] = 'placement 1.39'
        if token:
            req.headers['X-Auth-Token'] = token
        return req.get_response(self.app).status_int

    def test_token_roles_decide_and_the_root_needs_no_token(self):
        self.assertEqual(200, self._status('GET', '/'))
        self.assertEqual(401, self._status('GET', '/traits'))
        self.assertEqual(403, self._status('PUT', '/traits/CUSTOM_A',
                                           'reader'))
        self.assertEqual(201, self._status('PUT', '/traits/CUSTOM_A',
                                           'svc'))
