"""gantt-api as a process, with placement's noauth2 and a policy file named
(relative to it) by its configuration file: the roles a caller claims
and the operator's overrides decide what it may do."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import testtools

from gantt import exception

from tests.unit.db import base


class GanttAPIPolicyProcessTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.store = self.useFixture(base.DatabaseFixture())
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            self.port = s.getsockname()[1]
        state = self.store.state_path
        with open(os.path.join(state, 'policy.yaml'), 'w') as f:
            f.write('"placement:traits:list": "role:reader"\n')
        config = os.path.join(state, 'gantt.conf')
        with open(config, 'w') as f:
            f.write('[DEFAULT]\nstate_path = %s\n[api]\nbind_port = %d\n'
                    'auth_strategy = noauth2\n[oslo_policy]\n'
                    'policy_file = policy.yaml\n' % (state, self.port))
        proc = subprocess.Popen(
            [sys.executable, '-m', 'gantt.cmd.api', '--config-file', config],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.addCleanup(proc.wait)
        self.addCleanup(proc.terminate)
        self.assertIn('listening', proc.stdout.readline())

    def call(self, method, path, token='user', roles=None, body=None):
        """(status, JSON body) of a call as ``token`` with ``roles``."""
        headers = {'OpenStack-API-Version': 'placement 1.39',
                   'X-Project-Id': 'p1'}
        if token:
            headers['X-Auth-Token'] = token
        if roles:
            headers['X-Roles'] = roles
        data = None
        if body is not None:
            headers['Content-Type'] = 'application/json'
            data = json.dumps(body).encode()
        req = urllib.request.Request(
            'http://127.0.0.1:%d%s' % (self.port, path), method=method,
            data=data, headers=headers)
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(req) as resp:
                    raw = resp.read()
                    return resp.status, json.loads(raw) if raw else None
            except urllib.error.HTTPError as e:
                return e.code, json.loads(e.read())
            except ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def test_roles_and_the_operators_policy_file_decide(self):
        rp = str(uuid.uuid4())
        status, data = self.call('POST', '/resource_providers',
                                 roles='member,reader',
                                 body={'uuid': rp, 'name': 'cn1'})
        self.assertEqual(403, status, data)
        self.assertEqual('Policy does not allow '
                         'placement:resource_providers:create to be '
                         'performed.', data['errors'][0]['detail'])
        self.assertRaises(exception.ResourceProviderNotFound,
                          self.store.db.get_provider, rp)

        status, data = self.call('POST', '/resource_providers', token='admin',
                                 body={'uuid': rp, 'name': 'cn1'})
        self.assertEqual(200, status, data)
        self.assertEqual('cn1', self.store.db.get_provider(rp)['name'])

        # policy.yaml, beside gantt.conf, lets a reader list traits...
        status, data = self.call('GET', '/traits', roles='reader')
        self.assertEqual(200, status, data)
        # ... and leaves the other defaults as they are.
        status, data = self.call('GET', '/resource_classes', roles='reader')
        self.assertEqual(403, status, data)

        status, data = self.call('GET', '/traits', token=None)
        self.assertEqual(401, status, data)
