"""gantt-api's WSGI stack over a real SQLite store, called in-process."""

import uuid as uuid_lib

from oslo_serialization import jsonutils
import webob

from gantt.api import app
from tests.unit.db import base


class APITestCase(base.StoreTestCase):

    version = '1.39'

    def setUp(self):
        super().setUp()
        self.app = app.build(self.conf, self.db)

    def call(self, method, path, body=None, version=None, raw=None):
        """(status, decoded JSON body or None, response)."""
        req = webob.Request.blank(path, method=method)
        req.headers['OpenStack-API-Version'] = 'placement %s' % (
            version or self.version)
        if body is not None or raw is not None:
            req.content_type = 'application/json'
            req.body = raw if raw is not None else jsonutils.dump_as_bytes(
                body)
        resp = req.get_response(self.app)
        data = jsonutils.loads(resp.body) if resp.body else None
        return resp.status_int, data, resp

    def ok(self, method, path, body=None, version=None, status=None):
        code, data, _resp = self.call(method, path, body, version)
        if status is None:
            self.assertLess(code, 300, data)
        else:
            self.assertEqual(status, code, data)
        return data

    def error(self, method, path, body=None, version=None, status=409):
        """The one error of a refused call, checked to have ``status``."""
        code, data, _resp = self.call(method, path, body, version)
        self.assertEqual(status, code, data)
        [error] = data['errors']
        self.assertEqual(status, error['status'])
        return error

    def provider(self, name=None, parent=None, inventories=None):
        """A new provider's uuid, with ``inventories`` ({rc: total})."""
        uuid = str(uuid_lib.uuid4())
        body = {'uuid': uuid, 'name': name or uuid}
        if parent:
            body['parent_provider_uuid'] = parent
        self.ok('POST', '/resource_providers', body)
        if inventories:
            self.ok('PUT', '/resource_providers/%s/inventories' % uuid,
                    {'resource_provider_generation': 0, 'inventories': {
                        rc: {'total': total}
                        for rc, total in inventories.items()}})
        return uuid

    def generation(self, uuid):
        return self.ok('GET', '/resource_providers/%s' % uuid)['generation']
