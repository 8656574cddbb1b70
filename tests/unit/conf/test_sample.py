"""The committed sample config is exactly what the generator produces now."""

import importlib
import os
import pkgutil
import subprocess
import sys

import fixtures
import testtools

from gantt import conf as gantt_conf
from gantt.conf import opts

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
GENERATOR_CONF = os.path.join(ROOT, 'etc', 'gantt',
                              'gantt-config-generator.conf')
SAMPLE = os.path.join(ROOT, 'etc', 'gantt', 'gantt.conf.sample')


class TestSample(testtools.TestCase):

    def test_committed_sample_matches_generator(self):
        out = self.useFixture(fixtures.TempDir()).join('gantt.conf.sample')
        generator = os.path.join(os.path.dirname(sys.executable),
                                 'oslo-config-generator')
        subprocess.run(
            [generator, '--config-file', GENERATOR_CONF,
             '--output-file', out],
            cwd=ROOT, check=True, capture_output=True)
        with open(out) as fresh, open(SAMPLE) as committed:
            self.assertEqual(
                fresh.read(), committed.read(),
                'etc/gantt/gantt.conf.sample is stale; regenerate it with '
                '.venv/bin/oslo-config-generator --config-file '
                'etc/gantt/gantt-config-generator.conf')


class TestModules(testtools.TestCase):

    def test_every_conf_module_is_gathered_and_lists_opts(self):
        package = os.path.dirname(gantt_conf.__file__)
        # opts gathers the groups and groups registers them: not groups.
        helpers = {'opts', 'groups'}
        names = {m.name for m in pkgutil.iter_modules([package])} - helpers
        self.assertEqual(names, set(opts.MODULES))
        for name in names:
            module = importlib.import_module('gantt.conf.' + name)
            self.assertTrue(callable(getattr(module, 'list_opts', None)),
                            'gantt.conf.%s lacks list_opts()' % name)

    def test_module_without_list_opts_fails_loudly(self):
        self.useFixture(fixtures.MonkeyPatch(
            'gantt.conf.opts.MODULES', opts.MODULES + ('context_free',)))
        fake = type(sys)('gantt.conf.context_free')
        fake.register_opts = lambda conf: None
        self.useFixture(fixtures.MonkeyPatch(
            'sys.modules', dict(sys.modules,
                                **{'gantt.conf.context_free': fake})))
        exc = self.assertRaises(AttributeError, opts.list_opts)
        self.assertIn('gantt.conf.context_free has no list_opts()', str(exc))

    def test_every_group_has_help(self):
        for group, _ in opts.list_opts():
            if group is not None:
                self.assertTrue(group.help, '%s has no help' % group.name)
