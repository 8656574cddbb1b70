"""The reservation endpoints: good arguments are delegated with a
deadline, bad ones are refused naming what was wrong."""

import datetime

import oslo_messaging
import testtools

from gantt import conf as gantt_conf
from gantt import context
from gantt.db import timestamps
from gantt import exception
from gantt import manager
from gantt import objects

objects.register_all()

UUID = '4f2b0a3e-5d7c-4a43-9d5b-0c6e7f1a2b3c'


class FakeScheduler:

    def __init__(self):
        self.asked = []

    def clock(self):
        return 1700000000.5

    def reserve(self, ctxt, request, count, deadline, uuid):
        self.asked.append((request.flavor.name, count, deadline, uuid))
        return {'uuid': uuid}


class FakeDatabase:

    def __init__(self):
        self.released = []

    def release_reservation(self, uuid):
        self.released.append(uuid)
        return 2


class TestReservationEndpoints(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = gantt_conf.build_conf()
        self.scheduler = FakeScheduler()
        self.db = FakeDatabase()
        self.manager = manager.SchedulerManager(self.conf, self.scheduler,
                                                self.db)
        self.ctxt = context.get_admin_context()

    def spec(self):
        return objects.RequestSpec(flavor=objects.Flavor(
            name='m1.small', vcpus=1, memory_mb=512, root_gb=1,
            ephemeral_gb=0, swap=0, extra_specs={}))

    def refused(self, **kwargs):
        args = dict(spec_obj=self.spec(), instances=2, seconds=60)
        args.update(kwargs)
        return self.refusal(self.manager.reserve, **args)

    def refusal(self, method, *args, **kwargs):
        exc = self.assertRaises(oslo_messaging.ExpectedException, method,
                                self.ctxt, *args, **kwargs)
        self.assertIsInstance(exc.exc_info[1], exception.InvalidRequest)
        return str(exc.exc_info[1])

    def test_reserve_delegates_with_a_deadline_seconds_ahead(self):
        before = timestamps.utcnow()
        self.manager.reserve(self.ctxt, self.spec(), 2, seconds=60,
                             uuid=UUID)
        (flavor, count, deadline, uuid), = self.scheduler.asked
        self.assertEqual(('m1.small', 2, UUID), (flavor, count, uuid))
        ahead = (deadline - before).total_seconds()
        self.assertTrue(59 < ahead < 120, ahead)

    def test_reserve_takes_an_iso_deadline(self):
        when = (timestamps.utcnow() + datetime.timedelta(hours=1)).replace(
            microsecond=0)
        self.manager.reserve(self.ctxt, self.spec(), 1, seconds=None,
                             deadline=when.isoformat() + 'Z')
        self.assertEqual(when, self.scheduler.asked[0][2])

    def test_bad_arguments_are_refused_naming_them(self):
        self.assertIn('exactly one of seconds and deadline',
                      self.refused(seconds=None))
        self.assertIn('exactly one of seconds and deadline',
                      self.refused(deadline='2030-01-01T00:00:00Z'))
        self.assertIn('seconds must be a positive number',
                      self.refused(seconds=-5))
        self.assertIn('max_seconds', self.refused(seconds=10 ** 9))
        self.assertIn('has passed', self.refused(
            seconds=None, deadline='2001-01-01T00:00:00Z'))
        self.assertIn('ISO 8601', self.refused(seconds=None,
                                               deadline='tomorrow'))
        self.assertIn('instances must be an integer from 1 to 1000',
                      self.refused(instances=0))
        self.assertIn('uuid must be a UUID', self.refused(uuid='r1'))
        self.assertEqual([], self.scheduler.asked)

    def test_release_checks_the_uuid(self):
        self.assertEqual(2, self.manager.release_reservation(self.ctxt,
                                                             UUID))
        self.assertIn('must be a reservation UUID', self.refusal(
            self.manager.release_reservation, 'nope'))
        self.assertEqual([UUID], self.db.released)
