"""A messaging-layer record with a traceback becomes one bounded line."""

import logging
import sys

import testtools

from gantt import log_lines


def _record(name, msg, exc=None, args=None):
    exc_info = None
    if exc is not None:
        try:
            raise exc
        except type(exc):
            exc_info = sys.exc_info()
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args,
                             exc_info)


class TestOneLine(testtools.TestCase):

    def test_a_traceback_becomes_the_exception_and_where(self):
        record = _record('oslo_messaging.rpc.server',
                         'Exception during message handling',
                         TypeError('x' * 100000))
        self.assertTrue(log_lines.OneLine().filter(record))
        text = logging.Formatter().format(record)
        self.assertNotIn('\n', text)
        self.assertNotIn('Traceback', text)
        self.assertIn('Exception during message handling: TypeError: ',
                      text)
        self.assertIn('test_log_lines.py', text)
        self.assertLess(len(text), log_lines.MAX_LINE + 1)

    def test_a_long_message_is_cut(self):
        record = _record('oslo.messaging._drivers.impl_rabbit', '%s',
                         args=('y' * 100000,))
        log_lines.OneLine().filter(record)
        self.assertLess(len(record.getMessage()), log_lines.MAX_LINE + 1)

    def test_other_records_are_left_alone(self):
        record = _record('gantt.manager', 'z' * 5000, ValueError('v'))
        log_lines.OneLine().filter(record)
        self.assertIsNotNone(record.exc_info)
        self.assertEqual('z' * 5000, record.getMessage())
