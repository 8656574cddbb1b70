"""Messages past a limit are replaced before decoding by a small refusal."""

import json

import testtools

from gantt import exception
from gantt import limits
from gantt import message_guard


def _body(message):
    """A body as oslo.messaging sends it: the message JSON in an envelope."""
    return json.dumps({'oslo.version': '2.0',
                       'oslo.message': json.dumps(message)}).encode()


CALL = {'method': 'select_destinations', 'namespace': None,
        'version': '1.1', 'args': {'instance_uuids': []},
        '_msg_id': 'abc123', '_reply_q': 'reply_0f0f', '_unique_id': 'u1',
        '_timeout': None, '_context_request_id': 'req-1'}


def _deep(depth):
    text = '[' * depth + ']' * depth
    return text


class TestDecode(testtools.TestCase):

    def test_a_good_message_is_decoded_unwrapped(self):
        self.assertEqual(CALL, message_guard.decode(_body(CALL)))

    def test_an_oversized_body_is_never_parsed_but_can_be_answered(self):
        big = dict(CALL, args={'spec_obj': 'x' * (2 * 1024 * 1024)})
        got = message_guard.decode(_body(big))
        kind, reason = got[message_guard.REFUSED]
        self.assertEqual('MessageTooLarge', kind)
        self.assertIn('above [limits] max_message_bytes 1048576', reason)
        # The reply address was found without parsing the body.
        self.assertEqual('abc123', got['_msg_id'])
        self.assertEqual('reply_0f0f', got['_reply_q'])
        self.assertEqual('select_destinations', got['method'])
        self.assertEqual({}, got['args'])

    def test_ten_thousand_deep_arguments_are_refused_not_recursed(self):
        text = json.dumps(CALL)[:-1] + ', "deep": ' + _deep(10000) + '}'
        body = json.dumps({'oslo.version': '2.0', 'oslo.message': text})
        got = message_guard.decode(body.encode())
        kind, reason = got[message_guard.REFUSED]
        self.assertEqual('MalformedMessage', kind)
        self.assertEqual('abc123', got['_msg_id'])

    def test_nine_hundred_deep_arguments_are_refused_by_depth(self):
        deep = json.loads(_deep(900))
        got = message_guard.decode(_body(dict(CALL, args={'spec_obj': deep})))
        kind, reason = got[message_guard.REFUSED]
        self.assertIn("argument 'spec_obj' is nested deeper than [limits] "
                      "max_depth 32", reason)
        self.assertEqual('abc123', got['_msg_id'])

    def test_wide_lists_long_strings_and_huge_integers_are_refused(self):
        for args, words in (
                ({'instance_uuids': ['u'] * 20000}, 'list of 20000 items'),
                ({'host': 'h' * 70000}, 'string of length 70000'),
                ({'limit': 2 ** 70}, 'integer beyond 64 bits')):
            got = message_guard.decode(_body(dict(CALL, args=args)))
            self.assertIn(words, got[message_guard.REFUSED][1])

    def test_a_body_that_is_not_json_is_refused(self):
        for body in (b'\xff\xfe', b'{"oslo.version": "2.0"', b'[1, 2]',
                     b'"text"', json.dumps({'oslo.version': '9.0',
                                            'oslo.message': '{}'}).encode()):
            got = message_guard.decode(body)
            self.assertEqual('MalformedMessage',
                             got[message_guard.REFUSED][0], body)

    def test_routing_keys_of_odd_types_are_refused(self):
        for change in ({'_msg_id': {'a': 1}}, {'method': 5},
                       {'method': 'not a name'}, {'_timeout': 'soon'},
                       {'args': []}, {'_context_roles': {'x': 1}}):
            got = message_guard.decode(_body(dict(CALL, **change)))
            self.assertIn(message_guard.REFUSED, got, change)
            self.assertEqual({}, got['args'])

    def test_the_limits_are_those_configured(self):
        self.addCleanup(setattr, limits, 'CURRENT', limits.CURRENT)
        limits.CURRENT = limits.CURRENT._replace(max_items=16)
        got = message_guard.decode(_body(dict(
            CALL, args={'instance_uuids': ['u'] * 17})))
        self.assertIn('max_items 16', got[message_guard.REFUSED][1])


class TestRefusal(testtools.TestCase):

    def test_the_stand_in_becomes_a_typed_refusal(self):
        self.assertIsInstance(
            message_guard.refusal(('MessageTooLarge', 'big')),
            exception.MessageTooLarge)
        exc = message_guard.refusal(('MalformedMessage', 'odd'))
        self.assertIsInstance(exc, exception.InvalidRequest)
        self.assertEqual('Malformed message refused: odd', str(exc))


class TestBrief(testtools.TestCase):

    def test_a_large_value_is_quoted_in_bounded_size(self):
        text = limits.brief('h' * 10 ** 7)
        self.assertLess(len(text), 160)
        self.assertIn('str of length 10000000', text)

    def test_exception_messages_are_cut(self):
        exc = exception.InvalidRequest(reason='x' * 10 ** 6)
        self.assertLess(len(str(exc)), exception.MAX_MESSAGE + 1)
        self.assertLess(len(exc.kwargs['reason']), exception.MAX_MESSAGE + 1)
