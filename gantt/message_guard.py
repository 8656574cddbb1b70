"""What one received RPC message may cost: checked before it is decoded.

A gantt-scheduler worker installs :func:`decode` as kombu's JSON decoder.
A body above [limits] max_message_bytes is never parsed; one that is not
JSON, nests deeper than max_depth, holds a list or dict of more than
max_items, a string longer than max_string_length or an integer beyond 64
bits is never handed on as it is. Each becomes a small stand-in message
that keeps only what answering needs (method, reply queue, message id,
request id), marked with ``REFUSED``; gantt.rpc's dispatcher answers a
marked call with MessageTooLarge or MalformedMessage and logs one line,
and drops a marked cast after that line. Nothing of the refused message
is kept, so a flood of them leaves no memory behind.
"""

import json
import re

from kombu import serialization
from kombu.utils import json as kombu_json

from gantt import exception
from gantt import limits

# Key of the stand-in's (exception class name, reason).
REFUSED = 'gantt.refused'

_ENVELOPE_VERSION = 'oslo.version'
_ENVELOPE_MESSAGE = 'oslo.message'

# Keys a stand-in keeps when they are short plain values.
_ROUTING = ('method', 'namespace', 'version', '_msg_id', '_reply_q',
            '_unique_id', '_context_request_id', '_context_user_id',
            '_context_project_id')
_SHORT = 255
# Where routing keys are looked for in a body that is not parsed: oslo
# writes method, namespace and version first and the reply address last.
_SCAN = 16 * 1024
_TEXT_KEY = re.compile(
    rb'\\*"(%s)\\*"\s*:\s*\\*"([A-Za-z0-9_.:\-]{1,%d})\\*"' % (
        '|'.join(k for k in _ROUTING).encode(), _SHORT))
# Keys whose first occurrence is the real one (the reply address is last).
_FIRST = ('method', 'namespace', 'version')


def _a(noun):
    return ('an ' if noun[:1].lower() in 'aeiou' else 'a ') + noun


def _short(value):
    return value is None or (isinstance(value, str) and
                             len(value) <= _SHORT)


def _bytes(chunk):
    if isinstance(chunk, str):
        return chunk.encode('utf-8', 'surrogatepass')
    return bytes(chunk)


def stand_in(kind, reason, message=None, body=None):
    """The small message that replaces a refused one."""
    kept = {}
    if isinstance(message, dict):
        for key in _ROUTING:
            if key in message and _short(message[key]):
                kept[key] = message[key]
    elif body is not None:
        head, tail = _bytes(body[:_SCAN]), _bytes(body[-_SCAN:])
        for chunk in (head, tail):
            for match in _TEXT_KEY.finditer(chunk):
                key = match.group(1).decode()
                if key in _FIRST and key in kept:
                    continue
                kept[key] = match.group(2).decode()
    kept['args'] = {}
    kept[REFUSED] = (kind, reason)
    return kept


def _scalar_problem(value, lim):
    kind = type(value)
    if kind is str and len(value) > lim.max_string_length:
        return ('holds a string of length %d, above [limits] '
                'max_string_length %d' % (len(value), lim.max_string_length))
    if kind is int and not limits.INT_MIN <= value <= limits.INT_MAX:
        return 'holds an integer beyond 64 bits'
    return None


def shape_problem(value, lim=None, depth=1):
    """Why ``value`` (decoded JSON) is too deep, wide or long, or None.

    Level by level, so a 10,000-deep value costs no recursion and each
    item one type test; stops at the first problem. ``depth`` is how deep
    ``value`` itself lies.
    """
    lim = lim or limits.CURRENT
    max_items, max_string = lim.max_items, lim.max_string_length
    level = [value]
    while level:
        if depth > lim.max_depth:
            return 'is nested deeper than [limits] max_depth %d' % (
                lim.max_depth)
        below = []
        for item in level:
            kind = type(item)
            if kind is dict:
                if len(item) > max_items:
                    return ('holds a dict of %d items, above [limits] '
                            'max_items %d' % (len(item), max_items))
                for key in item:
                    if type(key) is not str or len(key) > max_string:
                        return _scalar_problem(key, lim) or (
                            'holds a key that is not a string')
                below.extend(item.values())
            elif kind is list:
                if len(item) > max_items:
                    return ('holds a list of %d items, above [limits] '
                            'max_items %d' % (len(item), max_items))
                below.extend(item)
            elif kind is str:
                if len(item) > max_string:
                    return _scalar_problem(item, lim)
            elif kind is int:
                if not limits.INT_MIN <= item <= limits.INT_MAX:
                    return _scalar_problem(item, lim)
        level = below
        depth += 1
    return None


def message_problem(message, lim=None):
    """Why a decoded message cannot be dispatched as it is, or None."""
    lim = lim or limits.CURRENT
    if not isinstance(message, dict):
        return 'is %s, not a JSON object' % (
            _a(type(message).__name__))
    if _ENVELOPE_MESSAGE in message:
        return 'wraps another oslo.messaging envelope'
    for key in ('method', 'namespace', 'version', '_msg_id', '_reply_q',
                '_unique_id'):
        if not _short(message.get(key)):
            return '%s is not a short string' % key
    method = message.get('method')
    if method is not None and not method.isidentifier():
        return 'method %s is not a method name' % limits.brief(method)
    timeout = message.get('_timeout')
    if timeout is not None and (isinstance(timeout, bool) or
                                not isinstance(timeout, (int, float)) or
                                not 0 < timeout <= 86400):
        return '_timeout %s is not a number of seconds' % (
            limits.brief(timeout))
    args = message.get('args', {})
    if not isinstance(args, dict):
        return 'args is %s, not a JSON object' % (
            _a(type(args).__name__))
    for key, value in message.items():
        if key.startswith('_context_'):
            problem = _context_problem(value)
            if problem:
                return 'context value %s %s' % (key[9:], problem)
    for name, value in args.items():
        # The message is depth 1, its args 2, an argument 3.
        problem = shape_problem(value, lim, depth=3)
        if problem:
            return 'argument %s %s' % (limits.brief(name), problem)
    return None


def _context_problem(value):
    if value is None or type(value) in (bool, int, float):
        return None
    if type(value) is str:
        return None if len(value) <= 4096 else 'is a string above 4096'
    if type(value) is list and len(value) <= 64 and all(
            type(v) is str and len(v) <= _SHORT for v in value):
        return None
    return 'is not a plain value'


def decode(body):
    """kombu's JSON decoder, bounded: the message, or a stand-in."""
    lim = limits.CURRENT
    size = len(body)
    if size > lim.max_message_bytes:
        return stand_in(
            'MessageTooLarge', 'the message is %d bytes, above [limits] '
            'max_message_bytes %d' % (size, lim.max_message_bytes),
            body=body)
    try:
        # Plain json: kombu's own loads would also revive its tagged
        # types (bytes, datetimes, decimals) from whatever the sender wrote.
        outer = json.loads(bytes(body) if isinstance(
            body, (bytearray, memoryview)) else body)
        message = outer
        if isinstance(outer, dict) and _ENVELOPE_MESSAGE in outer:
            version = outer.get(_ENVELOPE_VERSION)
            inner = outer[_ENVELOPE_MESSAGE]
            if not (isinstance(version, str) and version.startswith('2.')
                    and isinstance(inner, str)):
                return stand_in('MalformedMessage', 'the envelope is not '
                                'oslo.messaging 2.x', body=body)
            message = json.loads(inner)
    except (ValueError, TypeError, RecursionError) as exc:
        # RecursionError: nested too deep for the parser itself.
        return stand_in('MalformedMessage', 'the message is not JSON that '
                        'can be read (%s)' % type(exc).__name__, body=body)
    problem = message_problem(message, lim)
    if problem:
        return stand_in('MalformedMessage', 'the message ' + problem,
                        message=message, body=body)
    # oslo.messaging hands a dict without the envelope keys on as it is.
    return message


def install():
    """Make ``decode`` kombu's JSON decoder in this process (a worker)."""
    serialization.register('json', kombu_json.dumps, decode,
                           content_type='application/json',
                           content_encoding='utf-8')


def refusal(refused):
    """The Gantt exception a stand-in's (kind, reason) stands for."""
    kind, reason = refused
    cls = (exception.MessageTooLarge if kind == 'MessageTooLarge'
           else exception.MalformedMessage)
    return cls(reason=reason)
