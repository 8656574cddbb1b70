"""gantt.rpc: targets, and the serializer both ends of every API use."""

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
