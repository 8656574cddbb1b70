"""A newer peer's objects: newer minors accepted, unknown majors refused."""

import fixtures
from oslo_versionedobjects import exception as ovo_exception
import testtools

from gantt.objects import base
from gantt.objects import serializer as objects_serializer
from tests.unit.objects import sample


def _from_future(name, version='1.99', **extra):
    primitive = sample.make(name).obj_to_primitive()
    primitive['versioned_object.version'] = version
    primitive['versioned_object.data'].update(extra)
    primitive['versioned_object.changes'] = sorted(
        primitive['versioned_object.data'])
    return primitive


class TestNewerMinorFromPeer(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.serializer = objects_serializer.GanttObjectSerializer()
        self.log = self.useFixture(fixtures.FakeLogger(name='gantt'))
        objects_serializer._logged_newer.clear()

    def test_unknown_fields_dropped_known_kept(self):
        primitive = _from_future('Flavor', warp_factor=9)
        flavor = self.serializer.deserialize_entity(None, primitive)
        self.assertEqual(7, flavor.vcpus)
        self.assertFalse(hasattr(flavor, 'warp_factor'))
        self.assertEqual(base.GanttObjectRegistry.obj_classes()['Flavor'][0]
                         .VERSION, flavor.VERSION)

    def test_logged_once_per_object_version(self):
        for _ in range(3):
            self.serializer.deserialize_entity(
                None, _from_future('Flavor', warp_factor=9))
        self.assertEqual(1, self.log.output.count('Accepting Flavor 1.99'))
        self.assertIn('warp_factor', self.log.output)

    def test_newer_child_inside_a_known_parent(self):
        node = sample.make('ComputeNode').obj_to_primitive()
        service = node['versioned_object.data']['service']
        service['versioned_object.version'] = '1.7'
        service['versioned_object.data']['uptime'] = 12
        back = self.serializer.deserialize_entity(None, node)
        self.assertEqual('sample', back.service.binary)

    def test_newer_parent_and_newer_child(self):
        node = _from_future('ComputeNode', '1.9', hot_plug=True)
        hyper = node['versioned_object.data']['hypervisor']
        hyper['versioned_object.version'] = '1.4'
        hyper['versioned_object.data']['microcode'] = 'x'
        back = self.serializer.deserialize_entity(None, [node])
        self.assertEqual('sample', back[0].hypervisor.hypervisor_type)
        self.assertIn('Accepting HypervisorInfo 1.4', self.log.output)

    def test_unknown_major_is_refused_naming_the_version(self):
        primitive = _from_future('Selection', '2.0')
        exc = self.assertRaises(ovo_exception.IncompatibleObjectVersion,
                                self.serializer.deserialize_entity, None,
                                primitive)
        self.assertIn('2.0', str(exc))
        self.assertIn('Selection', str(exc))


class TestSendingWithAManifest(testtools.TestCase):

    def test_objects_backported_to_the_manifest(self):
        serializer = objects_serializer.GanttObjectSerializer(
            version_manifest={'Selection': '1.0', 'SchedulerLimits': '1.0'})
        sel = sample.make('Selection')
        wire = serializer.serialize_entity(None, [[sel], {'k': sel}])
        for primitive in (wire[0][0], wire[1]['k']):
            self.assertEqual('1.0', primitive['versioned_object.version'])
            self.assertNotIn('weight', primitive['versioned_object.data'])

    def test_manifest_may_be_a_callable(self):
        current = {}
        serializer = objects_serializer.GanttObjectSerializer(
            version_manifest=lambda: current.get('m'))
        sel = sample.make('Selection')
        self.assertIn('weight', serializer.serialize_entity(
            None, sel)['versioned_object.data'])
        current['m'] = {'Selection': '1.0'}
        self.assertNotIn('weight', serializer.serialize_entity(
            None, sel)['versioned_object.data'])

    def test_manifest_newer_than_the_class_sends_ours(self):
        serializer = objects_serializer.GanttObjectSerializer(
            version_manifest={'Flavor': '1.9'})
        primitive = serializer.serialize_entity(None, sample.make('Flavor'))
        self.assertEqual(sample.make('Flavor').VERSION,
                         primitive['versioned_object.version'])
