"""Gantt's nova objects carry nova 34's names, versions and field types.

nova_objects.json is what tools/nova_object_fields.py printed inside
nova 34's virtualenv; the fingerprints below are from nova 34's own
object hash table (nova/tests/unit/objects/test_objects.py).
"""

import json
import os

# gantt first: it picks oslo.service's threading backend before
# oslo.versionedobjects imports oslo.messaging.
from gantt.nova import base  # noqa: I100

from oslo_versionedobjects import base as ovo_base  # noqa: E402
from oslo_versionedobjects import exception as ovo_exception  # noqa: E402
from oslo_versionedobjects import fixture  # noqa: E402
import testtools  # noqa: E402

from gantt.nova import rpc as nova_rpc  # noqa: E402
from gantt.nova import schema  # noqa: E402
from gantt.nova import selection  # noqa: E402
from gantt import objects as gantt_objects  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(HERE, 'nova_objects.json')) as f:
    NOVA = json.load(f)

# Objects whose every field Gantt declares as nova does (and which have no
# remotable methods in nova): their fingerprint is nova's own.
NOVA_FINGERPRINTS = {
    'Destination': '1.4-3b440d29459e2c98987ad5b25ad1cb2c',
    'NUMATopologyLimits': '1.1-4235c5da7a76c7e36075f0cd2f5cf922',
    'NetworkMetadata': '1.0-2cb8d21b34f87b0261d3e1d1ae5cf218',
    'RequestGroup': '1.3-0458d350a8ec9d0673f9be5640a990ce',
    'RequestLevelParams': '1.1-3a718a0ae0bfdec669e7108631b3f313',
    'SchedulerLimits': '1.0-249c4bd8e62a9b327b7026b7f19cc641',
    'SchedulerRetries': '1.1-3c9c8b16143ebbb6ad7030e999d14cc0',
    'Selection': '1.1-548e3c2f04da2a61ceaf9c4e1589f264',
}


class TestNovaSchemas(testtools.TestCase):

    def test_every_class_is_recorded_from_nova(self):
        self.assertEqual(set(NOVA), set(base.classes()))

    def test_versions_are_nova_34s(self):
        ours = {n: c.VERSION for n, c in base.classes().items()}
        self.assertEqual({n: d['version'] for n, d in NOVA.items()}, ours)

    def test_declared_fields_have_nova_types(self):
        wrong = {}
        for name, cls in base.classes().items():
            theirs = NOVA[name]['fields']
            for field, described in schema.describe(cls)['fields'].items():
                nova_type = theirs.get(field)
                # nova's enums are read as strings, so a value a newer
                # nova adds is not refused.
                lenient = (nova_type or '').startswith('Enum(') and (
                    described == 'String' + (
                        ' nullable' if nova_type.endswith(' nullable')
                        else ''))
                if described != nova_type and not lenient:
                    wrong['%s.%s' % (name, field)] = (described, nova_type)
        self.assertEqual({}, wrong)

    def test_objects_gantt_sends_declare_every_nova_field(self):
        for name in ('Selection', 'SchedulerLimits', 'NUMATopologyLimits'):
            self.assertEqual(set(NOVA[name]['fields']),
                             set(base.classes()[name].fields), name)

    def test_fingerprints_match_novas_table(self):
        checker = fixture.ObjectVersionChecker(
            {n: [base.classes()[n]] for n in NOVA_FINGERPRINTS})
        expected, actual = checker.test_hashes(NOVA_FINGERPRINTS)
        self.assertEqual(expected, actual)


class TestRegistry(testtools.TestCase):

    def test_nova_classes_stay_out_of_ovos_shared_table(self):
        gantt_objects.register_all()
        shared = ovo_base.VersionedObjectRegistry.obj_classes()
        for name, cls in base.classes().items():
            self.assertNotIn(cls, shared.get(name, []), name)
        self.assertEqual('gantt', shared['Selection'][0].OBJ_PROJECT_NAMESPACE)

    def _receive(self, primitive):
        return nova_rpc.NovaObjectSerializer().deserialize_entity(
            None, primitive)

    def test_newer_minor_is_read_without_its_new_fields(self):
        got = self._receive({
            'nova_object.name': 'NetworkMetadata',
            'nova_object.namespace': 'nova',
            'nova_object.version': '1.7',
            'nova_object.data': {'physnets': ['net1'], 'tunneled': True,
                                 'added_later': 'x'}})
        self.assertEqual(({'net1'}, True), (got.physnets, got.tunneled))

    def test_other_major_is_refused(self):
        self.assertRaises(
            ovo_exception.IncompatibleObjectVersion, self._receive,
            {'nova_object.name': 'NetworkMetadata',
             'nova_object.namespace': 'nova',
             'nova_object.version': '2.0', 'nova_object.data': {}})

    def test_gantt_namespace_is_not_read_as_nova(self):
        self.assertRaises(
            ovo_exception.UnsupportedObjectError, self._receive,
            {'nova_object.name': 'NetworkMetadata',
             'nova_object.namespace': 'gantt',
             'nova_object.version': '1.0', 'nova_object.data': {}})


class TestSelectionBackport(testtools.TestCase):

    def _selection(self):
        return selection.Selection(
            compute_node_uuid='1c1c1c1c-0000-4000-8000-000000000001',
            service_host='cmp-1', nodename='cmp-1.node',
            cell_uuid='ce110000-0000-4000-8000-000000000005',
            limits=selection.SchedulerLimits(
                vcpu=None, disk_gb=None, memory_mb=None,
                numa_topology=None),
            allocation_request='{}', allocation_request_version='1.36',
            availability_zone='az1')

    def test_1_0_drops_availability_zone(self):
        primitive = self._selection().obj_to_primitive(target_version='1.0')
        self.assertEqual('1.0', primitive['nova_object.version'])
        self.assertNotIn('availability_zone', primitive['nova_object.data'])
        self.assertEqual(
            '1.0', primitive['nova_object.data']['limits'][
                'nova_object.version'])

    def test_1_1_keeps_availability_zone(self):
        primitive = self._selection().obj_to_primitive()
        self.assertEqual('az1',
                         primitive['nova_object.data']['availability_zone'])
        self.assertEqual(('nova', '1.1'), (
            primitive['nova_object.namespace'],
            primitive['nova_object.version']))
