"""Parsing [upgrade_levels] values into version caps."""

import testscenarios
import testtools

from gantt import exception
from gantt.rpcapi import version_cap

load_tests = testscenarios.load_tests_apply_scenarios


class TestGoodValues(testtools.TestCase):

    scenarios = [
        ('unset', dict(value=None, expected=None)),
        ('empty', dict(value='', expected=None)),
        ('auto', dict(value='auto', expected=None)),
        ('exact', dict(value='1.0', expected='1.0')),
        ('spaces', dict(value=' 1.0 ', expected='1.0')),
        ('newer_minor', dict(value='1.7', expected='1.7')),
        ('alias', dict(value='alpha', expected='1.0')),
    ]

    def test_parses(self):
        self.assertEqual(
            self.expected,
            version_cap.parse(self.value, 'scheduler', '1.0',
                              {'alpha': '1.0'}))


class TestBadValues(testtools.TestCase):

    scenarios = [
        ('word', dict(value='latest')),
        ('no_minor', dict(value='1')),
        ('three_parts', dict(value='1.0.1')),
        ('other_major', dict(value='2.0')),
        ('zero_major', dict(value='0.9')),
        ('letters', dict(value='1.x')),
    ]

    def test_raises_naming_the_value(self):
        exc = self.assertRaises(exception.UnsupportedVersion,
                                version_cap.parse, self.value, 'report',
                                '1.0')
        self.assertIn(repr(self.value), str(exc))
        self.assertIn('[upgrade_levels] report', str(exc))


class TestClientsRefuseBadCaps(testtools.TestCase):

    scenarios = [
        ('scheduler', dict(group_opt='scheduler', module='scheduler',
                           cls='SchedulerAPI')),
        ('report', dict(group_opt='report', module='report',
                        cls='ReportClient')),
    ]

    def test_bad_cap_stops_client_construction(self):
        import importlib
        from gantt import conf as gantt_conf
        conf = gantt_conf.build_conf()
        conf.set_override(self.group_opt, 'banana', group='upgrade_levels')
        module = importlib.import_module('gantt.rpcapi.' + self.module)
        exc = self.assertRaises(exception.UnsupportedVersion,
                                getattr(module, self.cls), conf, None,
                                client=object())
        self.assertIn("'banana'", str(exc))
