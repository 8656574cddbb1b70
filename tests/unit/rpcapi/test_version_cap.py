"""Parsing [upgrade_levels] values into version caps, auto included."""

import fixtures
from oslo_db import exception as db_exc
import testscenarios
import testtools

from gantt import exception
from gantt.rpcapi import releases
from gantt.rpcapi import version_cap
from tests.unit.rpcapi import fakes

load_tests = testscenarios.load_tests_apply_scenarios


class TestGoodValues(testtools.TestCase):

    scenarios = [
        ('unset', dict(value=None, expected=None)),
        ('empty', dict(value='', expected=None)),
        ('auto', dict(value='auto', expected=version_cap.AUTO)),
        ('exact', dict(value='1.0', expected='1.0')),
        ('newest', dict(value='1.1', expected='1.1')),
        ('spaces', dict(value=' 1.0 ', expected='1.0')),
        ('above_newest_means_newest', dict(value='1.7', expected=None)),
        ('alias', dict(value='alpha', expected='1.0')),
        ('alias_newest', dict(value='beta', expected='1.1')),
    ]

    def test_parses(self):
        self.assertEqual(
            self.expected,
            version_cap.parse(self.value, 'scheduler', '1.1',
                              releases.aliases('scheduler')))


class TestBadValues(testtools.TestCase):

    scenarios = [
        ('word', dict(value='latest')),
        ('unknown_alias', dict(value='omega')),
        ('no_minor', dict(value='1')),
        ('three_parts', dict(value='1.0.1')),
        ('other_major', dict(value='2.0')),
        ('zero_major', dict(value='0.9')),
        ('letters', dict(value='1.x')),
        ('auto_typo', dict(value='Auto')),
    ]

    def test_raises_naming_the_value(self):
        exc = self.assertRaises(exception.UnsupportedVersion,
                                version_cap.parse, self.value, 'report',
                                '1.1', releases.aliases('report'))
        self.assertIn(repr(self.value), str(exc))
        self.assertIn('[upgrade_levels] report', str(exc))

    def test_resolve_raises_too(self):
        self.assertRaises(exception.UnsupportedVersion, version_cap.resolve,
                          self.value, 'report', '1.1', {}, lambda: [])


class TestAuto(testtools.TestCase):

    scenarios = [
        ('one_old_one_new', dict(
            api='scheduler', rows=[('s1', '1.0', 1), ('s2', '1.1', 2)],
            expected='1.0')),
        ('all_current', dict(
            api='scheduler', rows=[('s1', '1.1', 2), ('s2', '1.1', 2)],
            expected=None)),
        ('newer_than_us', dict(
            api='scheduler', rows=[('s1', '1.5', 9)], expected=None)),
        ('report_from_service_version', dict(
            api='report', rows=[('s1', '1.1', 1), ('s2', '1.1', 2)],
            expected='1.0')),
        ('report_all_current', dict(
            api='report', rows=[('s1', '1.1', 2)], expected=None)),
        ('report_newer_service', dict(
            api='report', rows=[('s1', '1.9', 7)], expected=None)),
        ('unknown_service_version_is_oldest', dict(
            api='report', rows=[('s1', None, None)], expected='1.0')),
        ('scheduler_without_rpc_version_uses_service_version', dict(
            api='scheduler', rows=[('s1', None, 1)], expected='1.0')),
        ('other_major_ignored', dict(
            api='scheduler', rows=[('s1', '2.3', 2), ('s2', '1.1', 2)],
            expected=None)),
    ]

    def test_lowest_registered(self):
        rows = [fakes.scheduler_row(h, r, v) for h, r, v in self.rows]
        self.assertEqual(self.expected, version_cap.resolve(
            'auto', self.api, '1.1', releases.aliases(self.api),
            lambda: rows))


class TestAutoFallsBack(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(name='gantt'))

    def test_no_services_means_newest_with_warning(self):
        self.assertIsNone(version_cap.resolve('auto', 'scheduler', '1.1',
                                              {}, lambda: []))
        self.assertIn('no gantt-scheduler is registered', self.log.output)

    def test_unreadable_database_caps_at_oldest_release_with_warning(self):
        def boom():
            raise RuntimeError('no such table: services')
        self.assertEqual('1.0', version_cap.resolve('auto', 'scheduler',
                                                    '1.1', {}, boom))
        self.assertIn('no such table: services', self.log.output)
        self.assertIn('sending up to 1.0, what the oldest supported release '
                      '(alpha, service version 1) speaks', self.log.output)

    def test_database_down_caps_every_api_at_oldest_release(self):
        def down():
            raise db_exc.DBConnectionError('connection refused')
        for api in releases.APIS:
            self.assertEqual(
                releases.oldest_supported(api),
                version_cap.resolve('auto', api, '1.1',
                                    releases.aliases(api), down))
        self.assertIn('connection refused', self.log.output)

    def test_readable_database_caps_at_lowest_registered_not_oldest(self):
        rows = [fakes.scheduler_row('s1', '1.1', 2)]
        self.assertIsNone(version_cap.resolve('auto', 'scheduler', '1.1',
                                              {}, lambda: rows))
        self.assertNotIn('oldest supported', self.log.output)

    def test_unreadable_database_is_uncapped_when_oldest_is_newest(self):
        # A client that speaks no more than the oldest release needs no cap.
        def boom():
            raise RuntimeError('db down')
        self.assertIsNone(version_cap.resolve('auto', 'scheduler', '1.0',
                                              {}, boom))

    def test_services_not_read_unless_auto(self):
        def boom():
            raise AssertionError('read')
        self.assertEqual('1.0', version_cap.resolve('1.0', 'report', '1.1',
                                                    {}, boom))


class TestReleases(testtools.TestCase):

    def test_newest_release_is_what_this_code_speaks(self):
        from gantt.rpcapi import report
        from gantt.rpcapi import scheduler
        newest = list(releases.RELEASES.values())[-1]
        self.assertEqual({'scheduler': scheduler.SchedulerAPI.VERSION,
                          'report': report.ReportClient.VERSION}, newest)
        self.assertEqual(newest,
                         releases.SERVICE_VERSIONS[releases.SERVICE_VERSION])

    def test_oldest_supported_is_what_the_minimum_service_speaks(self):
        self.assertEqual(
            releases.speaks(releases.MINIMUM_SERVICE_VERSION, 'scheduler'),
            releases.oldest_supported('scheduler'))
        self.assertEqual('1.0', releases.oldest_supported('report'))

    def test_release_speaking(self):
        self.assertEqual('alpha', releases.release_speaking('1.0', 'report'))
        self.assertIsNone(releases.release_speaking('1.7', 'report'))

    def test_speaks(self):
        self.assertEqual('1.0', releases.speaks(None, 'report'))
        self.assertEqual('1.0', releases.speaks(0, 'report'))
        self.assertEqual('1.0', releases.speaks(1, 'report'))
        self.assertEqual('1.1', releases.speaks(2, 'report'))
        self.assertEqual('1.1', releases.speaks(2, 'scheduler'))
        self.assertEqual('1.2', releases.speaks(3, 'scheduler'))
        self.assertEqual('1.3', releases.speaks(5, 'scheduler'))
        self.assertEqual('1.4', releases.speaks(6, 'scheduler'))
        self.assertEqual('1.5', releases.speaks(7, 'scheduler'))
        self.assertEqual('1.6', releases.speaks(8, 'scheduler'))
        self.assertEqual('1.7', releases.speaks(9, 'scheduler'))
        self.assertEqual('1.7', releases.speaks(99, 'scheduler'))


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
                                client=fakes.FakeClient())
        self.assertIn("'banana'", str(exc))
        self.assertIn('alpha, beta', str(exc))
