"""The embedded simulator's message bus: kombu's in-memory broker, polled.

oslo.messaging sets a zero polling interval on any ``memory://`` kombu
connection, so every idle listener spins and takes the interpreter lock
from the threads doing real work. This registers the same in-memory broker
under its own name with a 1 ms polling interval instead; it still runs the
real rabbit driver code, in one process only.
"""

from kombu import transport as kombu_transport
from kombu.transport import memory

NAME = 'gantt-memory'
URL = 'kombu+%s:////' % NAME


class Transport(memory.Transport):
    """kombu's memory transport (same global broker), polled every 1 ms."""

    polling_interval = 0.001
    driver_type = NAME
    driver_name = NAME


def register():
    """Make ``kombu+gantt-memory:////`` usable as a transport_url."""
    kombu_transport.TRANSPORT_ALIASES.setdefault(
        NAME, '%s:Transport' % __name__)
    return URL
