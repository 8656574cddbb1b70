"""Run placement 16's own gabbi files against gantt-api.

Run by the nova virtualenv's interpreter (gabbi and openstack-placement
installed there; it never imports gantt)::

    python run_placement_gabbits.py GANTT_PYTHON WORKDIR [FILE.yaml ...]

Each file runs under its own placement fixture (APIFixture,
AllocationFixture, SharedStorageFixture...), which sets the environment
the file reads and fills an in-memory placement database with
placement's own objects. That database is copied to WORKDIR, and a
gantt-api of its own (tests/functional/gabbi/gantt_side.py, Gantt's
interpreter, one process for the whole run) imports it with
import-nova's code into a fresh store and serves it with the fixture's
policy settings (placement's noauth2, [oslo_policy] enforce_new_defaults,
and the open rules of OpenPolicyFixture); gabbi's requests go to that
gantt-api through a small WSGI forwarder. Without FILE
arguments every file runs. It prints one JSON line: {file: {run,
passed, failures: {test: first line of the reason}, skipped}}.
"""

import http.client
import io
import itertools
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import types
import unittest
import urllib.parse
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
URL_ENV = 'GANTT_GABBI_URL'
_HOP_BY_HOP = ('connection', 'transfer-encoding', 'keep-alive')


def forwarder():
    """A WSGI app handing each request to the gantt-api now serving."""
    def app(environ, start_response):
        target = urllib.parse.urlsplit(os.environ[URL_ENV])
        path = urllib.parse.quote(environ.get('PATH_INFO') or '/',
                                  safe="/:@!$&'()*+,;=-._~")
        if environ.get('QUERY_STRING'):
            path += '?' + environ['QUERY_STRING']
        headers = {k[5:].replace('_', '-').title(): v
                   for k, v in environ.items() if k.startswith('HTTP_')}
        for key, name in (('CONTENT_TYPE', 'Content-Type'),
                          ('CONTENT_LENGTH', 'Content-Length')):
            if environ.get(key):
                headers[name] = environ[key]
        length = environ.get('CONTENT_LENGTH') or ''
        # A bad Content-Length goes on as it came, for gantt-api to judge.
        body = (environ['wsgi.input'].read(int(length))
                if length.isdigit() and int(length) else None)
        conn = http.client.HTTPConnection(target.hostname, target.port,
                                          timeout=60)
        try:
            conn.request(environ['REQUEST_METHOD'], path, body=body,
                         headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        start_response('%d %s' % (resp.status, resp.reason),
                       [(k, v) for k, v in resp.getheaders()
                        if k.lower() not in _HOP_BY_HOP])
        return [data]
    return app


def policy_settings(fixture, base, workdir, n):
    """``key=value`` words telling gantt-api the fixture's [oslo_policy]:
    enforce_new_defaults as it set it and, for a fixture that rewrote the
    rules (OpenPolicyFixture), those rules as a policy file."""
    from placement import policy as placement_policy
    from placement.tests.functional.fixtures import gabbits
    words = ['enforce_new_defaults=%s'
             % fixture.conf_fixture.conf.oslo_policy.enforce_new_defaults]
    if issubclass(base, gabbits.OpenPolicyFixture):
        path = os.path.join(workdir, 'policy-%d.json' % n)
        with open(path, 'w') as f:
            json.dump({name: str(check) for name, check in
                       placement_policy._ENFORCER.rules.items()}, f)
        words.append('policy_file=%s' % path)
    return ' '.join(words)


def fixture_module(gantt_python, workdir):
    """placement's gabbi fixtures, each also starting a gantt-api over
    what the fixture wrote."""
    from gabbi import fixture as gabbi_fixture
    from placement import db_api as placement_db
    from placement.tests.functional.fixtures import gabbits

    side = subprocess.Popen(
        [gantt_python, '-m', 'tests.functional.gabbi.gantt_side', workdir],
        cwd=ROOT, env=dict(os.environ, PYTHONPATH=ROOT),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    counter = itertools.count()

    def ask(command):
        side.stdin.write(command + '\n')
        side.stdin.flush()
        return side.stdout.readline().strip()

    def wrap(base):
        class Fixture(base):
            def start_fixture(self):
                super().start_fixture()
                n = next(counter)
                dump = os.path.join(workdir, 'placement-%d.db' % n)
                raw = placement_db.get_placement_engine().raw_connection()
                copy = sqlite3.connect(dump)
                try:
                    raw.driver_connection.backup(copy)
                finally:
                    copy.close()
                    raw.close()
                url = ask('serve %d %s %s' % (
                    n, dump, policy_settings(self, base, workdir, n)))
                if not url.startswith('http'):
                    raise RuntimeError('gantt-api did not start for %s: %s'
                                       % (base.__name__, url))
                os.environ[URL_ENV] = url

            def stop_fixture(self):
                ask('stop')
                super().stop_fixture()
        Fixture.__name__ = base.__name__
        return Fixture

    module = types.ModuleType('gantt_gabbi_fixtures')
    for name in dir(gabbits):
        value = getattr(gabbits, name)
        if (isinstance(value, type) and
                issubclass(value, gabbi_fixture.GabbiFixture) and
                value is not gabbi_fixture.GabbiFixture):
            setattr(module, name, wrap(value))
    return module, side


def gabbits_dir():
    import placement.tests.functional as functional
    return os.path.join(os.path.dirname(functional.__file__), 'gabbits')


def _name(test):
    """A gabbi test's name: its class's, less the loader's prefix and
    the method (names may hold dots: "get inventory v1.14")."""
    name = test.id()
    if name.endswith('.test_request'):
        name = name[:-len('.test_request')]
    return name.split('.', 1)[-1].replace('gantt_gabbi_', '', 1)


def _reason(trace):
    """The line of a traceback that says what went wrong."""
    lines = [line.strip() for line in trace.splitlines() if line.strip()]
    for line in reversed(lines):
        if re.match(r'^[\w.]*(Error|Exception|Failure)\b', line):
            return line[:300]
    return lines[-1][:300] if lines else ''


def run_file(path, fixtures, workdir):
    from gabbi import driver
    single = os.path.join(workdir, 'one')
    shutil.rmtree(single, ignore_errors=True)
    os.makedirs(single)
    shutil.copy(path, single)
    loader = unittest.TestLoader()
    suite = driver.build_tests(single, loader, intercept=forwarder,
                               test_loader_name='gantt_gabbi',
                               fixture_module=fixtures)
    result = unittest.TextTestRunner(stream=io.StringIO(),
                                     verbosity=0).run(suite)
    failures = {}
    for test, trace in result.failures + result.errors:
        failures[_name(test)] = _reason(trace)
    skipped = len(result.skipped) + len(result.expectedFailures)
    return {'run': result.testsRun,
            'passed': result.testsRun - len(failures) - skipped,
            'failures': failures, 'skipped': skipped}


def main(gantt_python, workdir, *files):
    warnings.simplefilter('ignore')
    os.makedirs(workdir, exist_ok=True)
    fixtures, side = fixture_module(gantt_python, workdir)
    names = files or sorted(f for f in os.listdir(gabbits_dir())
                            if f.endswith('.yaml'))
    out = {}
    for name in names:
        try:
            out[name] = run_file(os.path.join(gabbits_dir(), name),
                                 fixtures, workdir)
        except Exception as e:
            out[name] = {'run': 0, 'passed': 0, 'skipped': 0,
                         'failures': {'(file)': '%s: %s'
                                      % (type(e).__name__, e)}}
    side.stdin.close()
    side.wait(60)
    sys.stdout = sys.__stdout__
    print(json.dumps(out, sort_keys=True))
    return 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
