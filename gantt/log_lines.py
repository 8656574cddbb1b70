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

# Loggers of oslo.messaging that report per-message failures.
MESSAGING_LOGGERS = (
    'oslo_messaging.rpc.server',
    'oslo_messaging.rpc.dispatcher',
    'oslo_messaging._drivers.impl_rabbit',
    'oslo_messaging._drivers.amqpdriver',
    'oslo_messaging._drivers.amqp',
    'oslo_messaging.server',
)


class OneLine(logging.Filter):
    """Turn a record's traceback into ``Type: message (at file:line in
    function)`` and cut the line to MAX_LINE characters."""

    def filter(self, record):
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


def install(names=MESSAGING_LOGGERS):
    """Bound the records of the named loggers (a worker calls it once)."""
    one_line = OneLine()
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, OneLine) for f in logger.filters):
            logger.addFilter(one_line)
