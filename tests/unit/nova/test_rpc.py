"""Where nova's scheduler API is served: [nova] exchange, topic and bus."""

# gantt first: it picks oslo.service's threading backend before
# oslo.messaging is imported.
from gantt import conf as gantt_conf  # noqa: I100

import testtools  # noqa: E402

from gantt.nova import rpc as nova_rpc  # noqa: E402


class TestWhere(testtools.TestCase):

    def test_off_by_default_on_novas_exchange_and_topic(self):
        conf = gantt_conf.build_conf()
        self.assertFalse(conf.nova.enabled)
        target = nova_rpc.get_target(conf, server='sched-1')
        self.assertEqual(('nova', 'scheduler', 'sched-1'),
                         (target.exchange, target.topic, target.server))

    def test_novas_own_bus_when_named(self):
        conf = gantt_conf.build_conf()
        conf.set_override('transport_url', 'fake:///gantt')
        self.addCleanup(conf.clear_override, 'transport_url')
        own = nova_rpc.get_transport(conf)
        self.addCleanup(own.cleanup)
        self.assertEqual('gantt', own._driver._url.virtual_host)
        conf.set_override('transport_url', 'fake:///nova-bus', 'nova')
        novas = nova_rpc.get_transport(conf)
        self.addCleanup(novas.cleanup)
        self.assertEqual('nova-bus', novas._driver._url.virtual_host)
