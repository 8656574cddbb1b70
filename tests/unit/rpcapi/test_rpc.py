"""gantt.rpc: targets, and the serializer both ends of every API use."""

import types

import fixtures
from oslo_messaging._drivers import amqpdriver
import testtools

from gantt import conf as gantt_conf
from gantt import context
from gantt import objects
from gantt import rpc

objects.register_all()


class TestSerializer(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.serializer = rpc.get_serializer()
        self.ctxt = context.RequestContext(request_id='req-1', user_id='u',
                                           project_id='p')

    def test_context_round_trip(self):
        back = self.serializer.deserialize_context(
            self.serializer.serialize_context(self.ctxt))
        self.assertIsInstance(back, context.RequestContext)
        self.assertEqual(('req-1', 'u', 'p'),
                         (back.request_id, back.user_id, back.project_id))

    def test_nested_selections_round_trip(self):
        value = [[objects.Selection(service_host='h1', nodename='n1'),
                  objects.Selection(service_host='h2', nodename='n2')]]
        primitive = self.serializer.serialize_entity(self.ctxt, value)
        back = self.serializer.deserialize_entity(self.ctxt, primitive)
        self.assertEqual([['h1', 'h2']],
                         [[s.service_host for s in row] for row in back])

    def test_plain_values_pass_through(self):
        for value in ('x', 1, None, ['a'], {'k': 'v'}):
            self.assertEqual(value, self.serializer.deserialize_entity(
                self.ctxt, value))

    def test_malformed_object_becomes_marker_not_error(self):
        primitive = objects.Selection().obj_to_primitive()
        primitive['versioned_object.name'] = 'NoSuchThing'
        back = self.serializer.deserialize_entity(self.ctxt, primitive)
        self.assertIsInstance(back, rpc.MalformedEntity)
        self.assertIs(primitive, back.primitive)
        self.assertIn('malformed argument', repr(back))


class TestTargets(testtools.TestCase):

    def test_server_listens_on_topic_as_host(self):
        conf = gantt_conf.build_conf()
        conf.set_override('host', 'sched-9')
        conf.set_override('topic', 't1', group='scheduler')
        target = rpc.get_target(conf, server=conf.host)
        self.assertEqual(('gantt', 't1', 'sched-9'),
                         (target.exchange, target.topic, target.server))


class TestVersionedServing(testtools.TestCase):

    def test_server_dispatches_through_the_versioned_dispatcher(self):
        conf = gantt_conf.build_conf()
        conf.set_override('transport_url', 'fake://')
        transport = rpc.get_transport(conf)
        self.addCleanup(transport.cleanup)
        server = rpc.get_rpc_server(conf, transport, [])
        self.assertIsInstance(server.dispatcher, rpc.VersionedDispatcher)

    def test_reply_manifest_only_inside_a_message(self):
        self.assertIsNone(rpc._reply_manifest())
        token = rpc._INCOMING.set((None, '1.0'))
        self.addCleanup(rpc._INCOMING.reset, token)
        self.assertEqual('1.0', rpc._reply_manifest()['Selection'])

    def test_client_serializer_raises_on_an_unknown_major(self):
        primitive = objects.Selection().obj_to_primitive()
        primitive['versioned_object.version'] = '3.0'
        client_side = rpc.get_serializer(lenient=False)
        from oslo_versionedobjects import exception as ovo_exception
        exc = self.assertRaises(ovo_exception.IncompatibleObjectVersion,
                                client_side.deserialize_entity, None,
                                primitive)
        self.assertIn('3.0', str(exc))
        server_side = rpc.get_serializer()
        self.assertIsInstance(server_side.deserialize_entity(None, primitive),
                              rpc.MalformedEntity)


class TestIdlePolling(testtools.TestCase):
    """settle_idle_polling: the first wait of AMQP consumer loops."""

    def setUp(self):
        super().setUp()
        # The setting is process-wide: put back whatever was there.
        self.useFixture(fixtures.MonkeyPatch(
            'oslo_messaging._drivers.amqpdriver.' + rpc._IDLE_POLL_SETTING,
            0.001))

    def _listener(self):
        return amqpdriver.AMQPListener(types.SimpleNamespace(prefetch_size=1),
                                       conn=None)

    def test_listeners_start_with_the_settled_wait(self):
        self.assertEqual(0.001, self._listener()._current_timeout)
        conf = gantt_conf.build_conf()
        conf.set_override('transport_url', 'fake://')
        transport = rpc.get_transport(conf)
        self.addCleanup(transport.cleanup)
        rpc.get_rpc_server(conf, transport, [])
        self.assertEqual(rpc.IDLE_POLL_START,
                         self._listener()._current_timeout)

    def test_never_shortens_and_stays_under_the_ceiling(self):
        setting = rpc._IDLE_POLL_SETTING
        setattr(amqpdriver, setting, 0.2)
        self.assertTrue(rpc.settle_idle_polling(0.05))
        self.assertEqual(0.2, getattr(amqpdriver, setting))
        self.assertTrue(rpc.settle_idle_polling(1e6))
        self.assertEqual(amqpdriver.ACK_REQUEUE_EVERY_SECONDS_MAX,
                         getattr(amqpdriver, setting))

    def test_an_oslo_messaging_without_the_setting_is_left_alone(self):
        self.useFixture(fixtures.MonkeyPatch(
            'oslo_messaging._drivers.amqpdriver.' + rpc._IDLE_POLL_SETTING,
            fixtures.MonkeyPatch.delete))
        self.assertFalse(rpc.settle_idle_polling())
        self.assertFalse(hasattr(amqpdriver, rpc._IDLE_POLL_SETTING))
