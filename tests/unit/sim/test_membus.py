"""The embedded bus: kombu's memory broker under its own, polled name."""

import kombu
from kombu.transport import memory
import testtools

from gantt.sim import membus


class TestMembus(testtools.TestCase):

    def test_url_resolves_to_the_polled_memory_transport(self):
        url = membus.register()
        self.assertEqual('kombu+gantt-memory:////', url)
        with kombu.Connection('gantt-memory://') as conn:
            transport = conn.transport
            self.assertIsInstance(transport, membus.Transport)
            self.assertEqual(0.001, transport.polling_interval)
            # Same global broker as plain memory://, so one process only.
            self.assertIs(memory.Transport.global_state, transport.state)

    def test_register_is_idempotent(self):
        membus.register()
        membus.register()
        with kombu.Connection('gantt-memory://') as conn:
            self.assertIsInstance(conn.transport, membus.Transport)
