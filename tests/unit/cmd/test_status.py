"""gantt-status upgrade check: schema, service versions, version pins."""

from oslo_upgradecheck import upgradecheck
import testscenarios
import testtools

from gantt.cmd import status
from tests.unit.db import base as db_base

load_tests = testscenarios.load_tests_apply_scenarios

Code = upgradecheck.Code


class StatusTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        fixture = self.useFixture(db_base.DatabaseFixture())
        self.conf, self.db = fixture.conf, fixture.db
        self.checks = status.Checks(self.conf, db=self.db)

    def register(self, binary, host, version, rpc_version):
        self.db.register_service(binary, host,
                                 version, rpc_version)


class TestDatabaseAndServices(StatusTestCase):

    def test_everything_current_passes(self):
        self.register('gantt-scheduler', 's1', 2, '1.1')
        self.register('gantt-compute', 'c1', 2, '1.1')
        for check in (self.checks._check_database_at_head,
                      self.checks._check_service_versions,
                      self.checks._check_version_pins):
            self.assertEqual(Code.SUCCESS, check().code, check.__name__)

    def test_service_of_another_major_fails_naming_it(self):
        self.register('gantt-scheduler', 's-ancient', 2, '0.9')
        result = self.checks._check_service_versions()
        self.assertEqual(Code.FAILURE, result.code)
        self.assertIn('gantt-scheduler on s-ancient', result.details)
        self.assertIn('0.9', result.details)

    def test_service_below_the_minimum_fails_naming_it(self):
        self.addCleanup(setattr, status.releases, 'MINIMUM_SERVICE_VERSION',
                        status.releases.MINIMUM_SERVICE_VERSION)
        status.releases.MINIMUM_SERVICE_VERSION = 2
        self.register('gantt-compute', 'c-old', 1, '1.0')
        self.register('gantt-scheduler', 's-new', 2, '1.1')
        result = self.checks._check_service_versions()
        self.assertEqual(Code.FAILURE, result.code)
        self.assertIn('gantt-compute on c-old (service version 1)',
                      result.details)
        self.assertNotIn('s-new', result.details)
        # And says how to forget a service that is gone.
        self.assertIn('gantt-manage service delete', result.details)


class TestPins(StatusTestCase):

    scenarios = [
        ('unset', dict(scheduler=None, report=None, code=Code.SUCCESS,
                       words=('none',))),
        ('versions', dict(scheduler='1.0', report='1.1', code=Code.SUCCESS,
                          words=('scheduler = 1.0', 'report = 1.1'))),
        ('aliases', dict(scheduler='alpha', report='beta',
                         code=Code.SUCCESS,
                         words=('scheduler = 1.0', 'report = 1.1'))),
        ('auto', dict(scheduler='auto', report='auto', code=Code.SUCCESS,
                      words=('scheduler = auto (now 1.0)',
                             'report = auto (now 1.0)'))),
        ('above_known', dict(scheduler='1.9', report=None,
                             code=Code.FAILURE,
                             words=('[upgrade_levels] scheduler = 1.9',
                                    'above 1.7'))),
        ('other_major', dict(scheduler=None, report='2.0',
                             code=Code.FAILURE, words=('report = 2.0',))),
        ('garbage', dict(scheduler='soon', report=None, code=Code.FAILURE,
                         words=("'soon'",))),
    ]

    def test_pins(self):
        self.register('gantt-scheduler', 's-old', 1, '1.0')
        self.conf.set_override('scheduler', self.scheduler,
                               group='upgrade_levels')
        self.conf.set_override('report', self.report, group='upgrade_levels')
        result = self.checks._check_version_pins()
        self.assertEqual(self.code, result.code, result.details)
        for word in self.words:
            self.assertIn(word, result.details)


class TestAutoWithoutSchedulers(StatusTestCase):

    def test_warns(self):
        self.conf.set_override('scheduler', 'auto', group='upgrade_levels')
        result = self.checks._check_version_pins()
        self.assertEqual(Code.WARNING, result.code)
        self.assertIn('no scheduler is registered', result.details)


class TestAutoWithUnreadableServices(StatusTestCase):

    def test_warns_naming_the_fallback_cap(self):
        def down():
            raise RuntimeError('database is down')
        self.checks._services = down
        self.conf.set_override('report', 'auto', group='upgrade_levels')
        result = self.checks._check_version_pins()
        self.assertEqual(Code.WARNING, result.code)
        self.assertIn('database is down', result.details)
        self.assertIn("clients send up to 1.0, the oldest supported "
                      "release's version", result.details)
