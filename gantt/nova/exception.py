"""The exception nova's conductor re-raises as its own NoValidHost.

oslo.messaging sends a remote exception as its class's module and name,
and a caller rebuilds it only from a module it allows: nova's callers allow
``nova.exception``. This class names that module (Gantt never imports it),
so a conductor sees ``nova.exception.NoValidHost`` with Gantt's reason.
"""


class NoValidHost(Exception):
    """No host fits; str() is Gantt's message, which names each filter's
    count of hosts removed."""

    __module__ = 'nova.exception'

    def __init__(self, message, reason=''):
        super().__init__(message)
        # oslo.messaging sends args and kwargs; nova rebuilds its
        # NoValidHost(message, reason=...) from them.
        self.kwargs = {'reason': reason}
        self.message = message
