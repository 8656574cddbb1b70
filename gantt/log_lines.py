"""One bounded line per log record of the messaging layer.

oslo.messaging logs a full traceback for every message it cannot handle;
a flood of bad messages would write kilobytes each. In a gantt-scheduler
worker those records become one line naming the exception and where it
was raised, cut to MAX_LINE characters.
"""

import logging
import traceback

from gantt import limits

MAX_LINE = 2048

# Where the records of the messaging layer come from (oslo.log may name
# oslo_messaging's loggers either way).
MESSAGING = ('oslo_messaging', 'oslo.messaging', 'kombu', 'amqp')


class OneLine(logging.Filter):
    """Turn a messaging record's traceback into ``Type: message (at
    file:line in function)`` and cut the line to MAX_LINE characters."""

    def filter(self, record):
        if not record.name.startswith(MESSAGING):
            return True
        exc_info = record.exc_info
        if not exc_info and len(str(record.msg)) <= MAX_LINE and (
                not record.args):
            return True
        text = record.getMessage()
        if exc_info and exc_info[1] is not None:
            exc = exc_info[1]
            where = ''
            frames = traceback.extract_tb(exc_info[2]) if exc_info[2] else ()
            if frames:
                last = frames[-1]
                where = ' (at %s:%s in %s)' % (last.filename, last.lineno,
                                               last.name)
            text = '%s: %s: %s%s' % (text, type(exc).__name__,
                                     limits.brief(str(exc)), where)
        if len(text) > MAX_LINE:
            text = text[:MAX_LINE - 40] + '... (%d characters cut)' % (
                len(text) - MAX_LINE + 40)
        record.msg = text.replace('\n', ' ')
        record.args = None
        record.exc_info = None
        record.exc_text = None
        return True


def install(logger=None):
    """Bound the messaging records every handler of ``logger`` (the root
    logger) writes; a worker calls it once, after logging is set up.
    (A filter on a handler sees the records of every logger below.)"""
    one_line = OneLine()
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, OneLine) for f in handler.filters):
            handler.addFilter(one_line)
