"""Versioning rules every Gantt object must keep, generated from the registry.

A field change without a version bump, a child bump without a parent bump,
a version missing from the history comment or a backport that breaks all
fail here; new objects are covered without touching this file except the
two tables.
"""

import inspect
import re

from oslo_utils import versionutils
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import exception as ovo_exception
from oslo_versionedobjects import fields as ovo_fields
from oslo_versionedobjects import fixture
import testtools

from gantt import objects
from gantt.objects import base
from gantt.objects import serializer as objects_serializer
from gantt.objects import fields
from gantt.rpcapi import object_versions
from gantt.rpcapi import releases
from tests.unit.objects import sample

# Bump the version (and add a history line) when one of these changes.
OBJECT_HASHES = {
    'Aggregate': '1.0-70b8660bf0bdb8eaed04e564bd071c29',
    'ComputeNode': '1.2-971f46afaf648719d450591e261eb982',
    'ComputeNodeList': '1.2-15ecf022a68ddbb8c2a6739cfc9f8f5e',
    'ComputeResources': '1.0-d80bba0389849d267ddc9957239e8e37',
    'ComputeStats': '1.0-fb3a0117920c81149f7b3c5909c5c0c4',
    'Destination': '1.0-a900f718ecec49bc3cc3088e33256f97',
    'FilterStagePayload': '1.0-14a0e1bc377b1b3df41bd6327d89cb18',
    'Flavor': '1.0-8a840cd2f385d4b5943a8bd606cb874c',
    'HostStalePayload': '1.0-8a2d1bb03d83980a041b325cbe6ea5bd',
    'HVSpec': '1.0-3dee2110d8bdb30b1c1645715f5d287b',
    'HypervisorInfo': '1.0-79ab1ae04e982216dcb909f9809700a0',
    'ImageMeta': '1.0-c40c83829de2eb172cc7aa5ab5d5de6f',
    'ImageMetaProps': '1.0-8d0d2c18f25d4332d0237beb6cbcf556',
    'InstanceGroup': '1.0-36a24ac2241b4469a4bf1cdd38ee5321',
    'InstanceInfo': '1.0-497fad3e13290a616321eba3144ad4c5',
    'InstanceNUMACell': '1.0-6b9dc624827e85f2e1b39117d19ca11e',
    'InstanceNUMATopology': '1.0-72911c246aeabb041e51f99607e676b0',
    'InstancePCIRequest': '1.0-773d0c18b839b6c8a92c38e05c4ee76a',
    'InstanceInfoList': '1.0-15ecf022a68ddbb8c2a6739cfc9f8f5e',
    'Inventory': '1.0-e4afaf3e2f517e1c89b397e22a55f8d0',
    'MonitorMetric': '1.0-663cdec5e9505137db5ca0c597c82720',
    'NoValidHostPayload': '1.0-1937b856559be1a6b63331f428678759',
    'NUMACell': '1.0-21a86c18a7126087f146afcfc211c5eb',
    'NUMAPagesTopology': '1.0-d18b46ac2624480a2b48771657d9a336',
    'NUMATopology': '1.0-429fe2a66d163131723d4a35cb1b6d1c',
    'PciDevice': '1.0-e41c94f649d96f3615a960069c1ca55a',
    'RequestGroup': '1.0-9fc2b40d4c36fb037f369f211c2dcaa3',
    'RequestLevelParams': '1.0-9371d1ad307fd5681fec39af93c2ce65',
    'ResourceProvider': '1.0-4fa646de1408041965cdadea5f589d95',
    'RequestSpec': '1.1-1afa7883fcda39f596bdc32cb0896250',
    'SchedulerLimits': '1.0-c66f676ee4049d579b9b184e3ed4826c',
    'SchedulerRetries': '1.0-e21a84fedc557af30a743ca0537c47d1',
    'SelectDestinationsPayload': '1.0-18b44cf8cb95e202d49f128ef3c5ebf2',
    'Selection': '1.2-624c6a208535cdc53f7edf46e4e591f0',
    'ServiceStatus': '1.0-2173870a427fc5d60c082f45b453155e',
}

# Parent -> {child: version}; a child bump must bump every parent here.
OBJECT_RELATIONSHIPS = {
    'ComputeNode': {'ComputeResources': '1.0', 'ComputeStats': '1.0',
                    'HypervisorInfo': '1.0', 'MonitorMetric': '1.0',
                    'ServiceStatus': '1.0', 'ResourceProvider': '1.0',
                    'NUMATopology': '1.0', 'PciDevice': '1.0'},
    'ComputeNodeList': {'ComputeNode': '1.2'},
    'HypervisorInfo': {'HVSpec': '1.0'},
    'ImageMeta': {'ImageMetaProps': '1.0'},
    'InstanceInfoList': {'InstanceInfo': '1.0'},
    'NoValidHostPayload': {'FilterStagePayload': '1.0'},
    'NUMACell': {'NUMAPagesTopology': '1.0'},
    'NUMATopology': {'NUMACell': '1.0'},
    'ResourceProvider': {'Inventory': '1.0'},
    'RequestSpec': {'Destination': '1.0', 'Flavor': '1.0',
                    'ImageMeta': '1.0', 'InstanceGroup': '1.0',
                    'RequestGroup': '1.0', 'RequestLevelParams': '1.0',
                    'SchedulerLimits': '1.0', 'SchedulerRetries': '1.0',
                    'InstancePCIRequest': '1.0'},
    'InstanceNUMATopology': {'InstanceNUMACell': '1.0'},
    'Selection': {'SchedulerLimits': '1.0', 'InstanceNUMATopology': '1.0'},
}


def _child_name(field):
    """The object name a field holds (directly or as list items), or None."""
    field_type = field._type
    if isinstance(field_type, ovo_fields.List):
        field_type = field_type._element_type._type
    if isinstance(field_type, ovo_fields.Object):
        return field_type._obj_name
    return None


def _object_fields(cls):
    return {name: _child_name(field) for name, field in cls.fields.items()
            if _child_name(field)}


def _history(cls):
    """Every version of ``cls``'s current major, oldest first."""
    major, minor = versionutils.convert_version_to_tuple(cls.VERSION)
    return ['%d.%d' % (major, m) for m in range(minor + 1)]


class TestObjectVersions(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.classes = sample.gantt_classes()

    def test_hashes_match_the_table(self):
        checker = fixture.ObjectVersionChecker(self.classes)
        expected, actual = checker.test_hashes(OBJECT_HASHES)
        self.assertEqual(expected, actual,
                         'Fields changed: bump VERSION, add a history line '
                         'and obj_make_compatible code, then update '
                         'OBJECT_HASHES.')

    def test_hash_changes_when_a_field_changes(self):
        flavor_cls = self.classes['Flavor'][0]

        class ChangedFlavor(flavor_cls):
            fields = dict(flavor_cls.fields,
                          vcpus=fields.StringField(nullable=True))

        checker = fixture.ObjectVersionChecker({'Flavor': [ChangedFlavor]})
        expected, actual = checker.test_hashes(OBJECT_HASHES)
        self.assertIn('Flavor', expected)
        self.assertNotEqual(expected['Flavor'], actual['Flavor'])

    def test_child_versions_match_the_table(self):
        tree = {}
        for name, classes in self.classes.items():
            children = _object_fields(classes[0]).values()
            if children:
                tree[name] = {child: self.classes[child][0].VERSION
                              for child in children}
        self.assertEqual(OBJECT_RELATIONSHIPS, tree)

    def test_every_object_field_has_a_relationship(self):
        # Backporting without a version manifest relies on these entries;
        # the newest must name the child's current version.
        for name, classes in self.classes.items():
            cls = classes[0]
            for field, child in _object_fields(cls).items():
                rules = cls.obj_relationships.get(field)
                self.assertTrue(rules, '%s.%s has no obj_relationships'
                                % (name, field))
                self.assertEqual(
                    (cls.VERSION, self.classes[child][0].VERSION),
                    tuple(rules[-1]), '%s.%s' % (name, field))
        checker = fixture.ObjectVersionChecker(self.classes)
        checker.test_relationships_in_order()

    def test_every_version_has_a_history_line(self):
        for name, classes in self.classes.items():
            source = inspect.getsource(classes[0])
            for version in _history(classes[0]):
                self.assertIsNotNone(
                    re.search(r'^\s*# Version %s: \S' % re.escape(version),
                              source, re.MULTILINE),
                    '%s lacks "# Version %s: <what changed>"'
                    % (name, version))

    def test_every_object_defines_its_compat_hook(self):
        for name, classes in self.classes.items():
            self.assertIn('obj_make_compatible', vars(classes[0]), name)

    def test_no_remotable_methods(self):
        checker = fixture.ObjectVersionChecker(self.classes)
        for name, classes in self.classes.items():
            for attr in dir(classes[0]):
                thing = getattr(classes[0], attr)
                self.assertIsNone(
                    checker._find_remotable_method(classes[0], thing),
                    '%s.%s' % (name, attr))

    def test_no_dict_style_access(self):
        for name, classes in self.classes.items():
            self.assertFalse(
                issubclass(classes[0], ovo_base.VersionedObjectDictCompat),
                name)

    def test_every_class_is_published_on_the_package(self):
        for name, classes in self.classes.items():
            self.assertIs(classes[0], getattr(objects, name))
            self.assertEqual('gantt', classes[0].OBJ_PROJECT_NAMESPACE)


class TestBackports(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.classes = sample.gantt_classes()

    def _check_backport(self, name, obj, version, manifest):
        kwargs = {'target_version': version}
        if manifest:
            kwargs['version_manifest'] = manifest
        primitive = obj.obj_to_primitive(**kwargs)
        self.assertEqual(version, primitive['versioned_object.version'])
        back = base.GanttObject.obj_from_primitive(primitive)
        self.assertEqual(name, back.obj_name())

    def test_backports_every_object_to_every_version(self):
        for name, classes in self.classes.items():
            for cls in classes:
                for version in _history(cls):
                    for manifest in (None, ovo_base.obj_tree_get_versions(
                            name)):
                        obj = sample.make(name)
                        self._check_backport(name, obj, version, manifest)
                        self._check_backport(name, cls(), version, manifest)

    def test_oslo_compatibility_routines(self):
        checker = fixture.ObjectVersionChecker(self.classes)
        checker.test_compatibility_routines()
        checker.test_compatibility_routines(use_manifest=True)

    def test_rejects_a_target_newer_than_the_object(self):
        obj = sample.make('Flavor')
        self.assertRaises(ovo_exception.InvalidTargetVersion,
                          obj.obj_to_primitive,
                          target_version='1.99')


class TestRoundTrip(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.classes = sample.gantt_classes()
        self.serializer = objects_serializer.GanttObjectSerializer()

    def test_every_object_survives_the_serializer(self):
        for name in self.classes:
            obj = sample.make(name)
            primitive = self.serializer.serialize_entity(None, obj)
            self.assertIsInstance(primitive, dict)
            back = self.serializer.deserialize_entity(None, primitive)
            sample.assert_same(self, obj, back, name)

    def test_defaults_survive_the_serializer(self):
        for name, classes in self.classes.items():
            obj = classes[0]()
            back = self.serializer.deserialize_entity(
                None, self.serializer.serialize_entity(None, obj))
            sample.assert_same(self, obj, back, name)

    def test_objects_inside_containers_are_serialised(self):
        spec = sample.make('RequestSpec')
        args = {'spec': spec, 'uuids': ['a', 'b'], 'plain': {'k': 1}}
        wire = self.serializer.serialize_entity(None, args)
        self.assertEqual('RequestSpec',
                         wire['spec']['versioned_object.name'])
        back = self.serializer.deserialize_entity(None, wire)
        sample.assert_same(self, spec, back['spec'])
        self.assertEqual({'k': 1}, back['plain'])

    def test_missing_fields_take_their_defaults(self):
        primitive = {'versioned_object.name': 'Flavor',
                     'versioned_object.namespace': 'gantt',
                     'versioned_object.version': '1.0',
                     'versioned_object.data': {'vcpus': 4}}
        flavor = self.serializer.deserialize_entity(None, primitive)
        self.assertEqual(4, flavor.vcpus)
        self.assertEqual({}, flavor.extra_specs)
        self.assertTrue(flavor.is_public)

    def test_unknown_fields_from_a_newer_sender_are_ignored(self):
        primitive = sample.make('InstanceInfo').obj_to_primitive()
        primitive['versioned_object.data']['future_field'] = 'x'
        info = self.serializer.deserialize_entity(None, primitive)
        self.assertEqual(sample.UUID, info.uuid)

    def test_backport_with_every_manifest_matches_the_full_walk(self):
        # backport() skips ovo's backport walk when the manifest names this
        # code's versions throughout; the primitive must not differ.
        for api, rows in object_versions.MANIFESTS.items():
            for api_version, manifest in rows.items():
                for name in manifest:
                    if name not in self.classes:
                        continue
                    obj = sample.make(name)
                    target = manifest[name]
                    self.assertEqual(
                        obj.obj_to_primitive(target_version=target,
                                             version_manifest=manifest),
                        objects_serializer.backport(obj, manifest),
                        '%s in %s %s' % (name, api, api_version))

    def test_a_manifest_is_current_only_when_every_child_is(self):
        newest = object_versions.manifest(releases.SCHEDULER)
        spec = self.classes['RequestSpec'][0]
        self.assertTrue(objects_serializer.is_current(spec, newest))
        self.assertFalse(objects_serializer.is_current(
            spec, dict(newest, SchedulerLimits='0.9')))
        self.assertFalse(objects_serializer.is_current(
            spec, {k: v for k, v in newest.items() if k != 'Flavor'}))
        self.assertFalse(objects_serializer.is_current(
            self.classes['Selection'][0],
            object_versions.manifest(releases.SCHEDULER, '1.0')))
