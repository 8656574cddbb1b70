"""gantt.rpc.VersionedDispatcher: what it cannot dispatch is a typed
refusal on one log line, and an unreachable database ServiceUnavailable."""

import fixtures
import oslo_messaging
from oslo_db import exception as db_exception
import testscenarios
import testtools

from gantt import context
from gantt import exception
from gantt import message_guard
from gantt import rpc

load_tests = testscenarios.load_tests_apply_scenarios

EXPECTED = oslo_messaging.rpc.dispatcher.ExpectedException


class Endpoint:
    target = oslo_messaging.Target(version='1.1')

    def __init__(self, error=None):
        self.error = error

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def get(self, ctxt, consumer_uuid, limit=None):
        if self.error is not None:
            raise self.error
        return consumer_uuid


def _incoming(message, msg_id='m1'):
    return type('Incoming', (), {
        'message': message, 'client_timeout': None, 'orig_msg_id': msg_id,
        'ctxt': context.RequestContext(request_id='req-9').to_dict()})()


def _dispatch(message, error=None, msg_id='m1'):
    dispatcher = rpc.VersionedDispatcher([Endpoint(error)],
                                         rpc.get_serializer(), None)
    return dispatcher.dispatch(_incoming(message, msg_id))


GOOD = {'method': 'get', 'args': {'consumer_uuid': 'c1'}, 'version': '1.1'}


class TestRefusals(testtools.TestCase):

    scenarios = [
        ('unknown_method', dict(change={'method': 'nope'},
                                cls=exception.MalformedMessage,
                                words="no method 'nope'")),
        ('private_method', dict(change={'method': '_secret'},
                                cls=exception.MalformedMessage,
                                words='no method')),
        ('method_not_a_name', dict(change={'method': 5},
                                   cls=exception.MalformedMessage,
                                   words='method 5 is not a method name')),
        ('other_major', dict(change={'version': '2.0'},
                             cls=exception.UnsupportedVersion,
                             words="'2.0'")),
        ('version_not_a_version', dict(change={'version': 'one'},
                                       cls=exception.MalformedMessage,
                                       words='not MAJOR.MINOR')),
        ('unexpected_argument', dict(
            change={'args': {'consumer_uuid': 'c', 'surprise': 1}},
            cls=exception.MalformedMessage,
            words="unexpected keyword argument 'surprise'")),
        ('missing_argument', dict(change={'args': {}},
                                  cls=exception.MalformedMessage,
                                  words="missing a required argument")),
        ('args_not_a_dict', dict(change={'args': [1]},
                                 cls=exception.MalformedMessage,
                                 words='args is not an object')),
        ('stand_in', dict(change={message_guard.REFUSED: (
            'MessageTooLarge', 'the message is 9 bytes')},
            cls=exception.MessageTooLarge, words='the message is 9 bytes')),
    ]

    def test_refused_with_a_typed_error_on_one_line(self):
        log = self.useFixture(fixtures.FakeLogger(name='gantt.rpc'))
        exc = self.assertRaises(EXPECTED,
                                _dispatch, dict(GOOD, **self.change))
        refused = exc.exc_info[1]
        self.assertIsInstance(refused, self.cls)
        self.assertIn(self.words, str(refused))
        lines = log.output.splitlines()
        self.assertEqual(1, len(lines), log.output)
        self.assertIn("Refused call", lines[0])
        self.assertIn('req-9', lines[0])


class TestDispatch(testtools.TestCase):

    def test_a_good_message_is_served(self):
        self.assertEqual('c1', _dispatch(dict(GOOD)))

    def test_a_cast_is_logged_as_a_cast(self):
        log = self.useFixture(fixtures.FakeLogger(name='gantt.rpc'))
        self.assertRaises(EXPECTED, _dispatch,
                          dict(GOOD, method='nope'), msg_id=None)
        self.assertIn('Refused cast', log.output)

    def test_an_unreachable_database_is_service_unavailable(self):
        for error in (db_exception.DBConnectionError(),
                      db_exception.DBDeadlock()):
            exc = self.assertRaises(EXPECTED,
                                    _dispatch, dict(GOOD), error)
            self.assertIsInstance(exc.exc_info[1],
                                  exception.ServiceUnavailable)
            self.assertIn('database', str(exc.exc_info[1]))

    def test_an_endpoint_refusal_passes_through(self):
        exc = self.assertRaises(
            EXPECTED, _dispatch, dict(GOOD),
            exception.InvalidRequest(reason='bad'))
        self.assertIsInstance(exc.exc_info[1], exception.InvalidRequest)
