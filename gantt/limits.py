"""The limits received messages and object fields are held to, and brief().

``CURRENT`` starts at the [limits] defaults; a gantt-scheduler worker calls
:func:`configure` with its configuration before it serves, so the field
types (which cannot be handed a configuration) read the operator's values.
:func:`brief` describes a value for an error or a log line in bounded size.
"""

import collections
import reprlib

Limits = collections.namedtuple('Limits', (
    'max_message_bytes', 'max_depth', 'max_items', 'max_string_length',
    'max_name_length', 'max_count'))

# Mirrors the defaults of gantt.conf.limits (a unit test keeps them equal).
DEFAULTS = Limits(max_message_bytes=1024 * 1024, max_depth=32,
                  max_items=10000, max_string_length=65536,
                  max_name_length=255, max_count=100000)

# Integers Gantt stores are signed 64-bit columns.
INT_MIN = -2 ** 63
INT_MAX = 2 ** 63 - 1

CURRENT = DEFAULTS


def configure(conf):
    """Hold messages and fields to ``conf``'s [limits] from now on."""
    global CURRENT
    CURRENT = Limits(**{name: getattr(conf.limits, name)
                        for name in Limits._fields})
    return CURRENT


_repr = reprlib.Repr()
_repr.maxstring = 60
_repr.maxother = 60
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = 4
_repr.maxlevel = 2
_repr.maxlong = 40


def brief(value):
    """repr(value) cut to about a hundred characters, whatever its size:
    what an error or a log line may quote of something received."""
    try:
        text = _repr.repr(value)
    except Exception:  # a hostile __repr__ must not break a refusal
        text = '<%s>' % type(value).__name__
    if len(text) > 120:
        text = text[:100] + '...'
    if isinstance(value, (str, bytes, list, tuple, dict, set)) and (
            len(value) > 50):
        text += ' (%s of length %d)' % (type(value).__name__, len(value))
    return text
