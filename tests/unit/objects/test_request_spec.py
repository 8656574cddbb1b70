"""RequestSpec helpers: hints, defaults and building from plain parts."""

import testscenarios
import testtools

from gantt.objects import flavor
from gantt.objects import image_meta
from gantt.objects import request_group
from gantt.objects import request_spec


class TestGetSchedulerHint(testscenarios.WithScenarios, testtools.TestCase):

    scenarios = [
        ('single_value_unwrapped', dict(
            hints={'group': ['g1']}, name='group', expected='g1')),
        ('several_values_kept_as_list', dict(
            hints={'same_host': ['a', 'b']}, name='same_host',
            expected=['a', 'b'])),
        ('absent_gives_default', dict(
            hints={'group': ['g1']}, name='query', expected='dflt')),
        ('no_hints_gives_default', dict(
            hints={}, name='group', expected='dflt')),
        ('none_hints_gives_default', dict(
            hints=None, name='group', expected='dflt')),
        ('empty_list_kept', dict(
            hints={'group': []}, name='group', expected=[])),
    ]

    def test_get_scheduler_hint(self):
        spec = request_spec.RequestSpec(scheduler_hints=self.hints)
        self.assertEqual(self.expected,
                         spec.get_scheduler_hint(self.name, 'dflt'))


class TestRequestSpecDefaults(testtools.TestCase):

    def test_hint_default_is_none(self):
        spec = request_spec.RequestSpec(scheduler_hints={'a': ['b']})
        self.assertIsNone(spec.get_scheduler_hint('group'))

    def test_a_new_spec_reads_sensibly(self):
        spec = request_spec.RequestSpec()
        self.assertEqual(1, spec.num_instances)
        self.assertIsNone(spec.flavor)
        self.assertIsInstance(spec.image, image_meta.ImageMeta)
        self.assertIsNone(spec.image.properties.get('hw_architecture'))
        self.assertEqual([], spec.requested_resources)
        self.assertEqual(set(), spec.request_level_params.root_required)
        self.assertEqual({}, spec.scheduler_hints)
        self.assertEqual([], spec.force_hosts)
        self.assertIsNone(spec.retry)
        self.assertIsNone(spec.requested_destination)
        self.assertIsNone(spec.instance_group)
        self.assertFalse(spec.is_bfv)

    def test_flavor_defaults(self):
        fl = flavor.Flavor()
        self.assertEqual((0, 0, 0, 0), (fl.vcpus, fl.memory_mb, fl.root_gb,
                                        fl.swap))
        self.assertEqual(1.0, fl.rxtx_factor)
        self.assertEqual({}, fl.extra_specs)

    def test_request_group_defaults_to_one_provider(self):
        group = request_group.RequestGroup()
        self.assertTrue(group.use_same_provider)
        self.assertEqual({}, group.resources)
        self.assertEqual(set(), group.required_traits)


class TestFromComponents(testtools.TestCase):

    def test_builds_from_dicts(self):
        spec = request_spec.RequestSpec.from_components(
            {'vcpus': 2, 'memory_mb': 2048, 'root_gb': 20,
             'extra_specs': {'hw:cpu_policy': 'dedicated'}},
            {'id': '9b3c8e4a-1f2d-4e5f-8a9b-0c1d2e3f4a5b', 'min_ram': 512,
             'properties': {'hw_architecture': 'x86_64',
                            'hypervisor_type_custom': 'kvm'}},
            scheduler_hints={'group': 'g1', 'same_host': ['a', 'b']},
            num_instances=3,
            requested_resources=[{'resources': {'VGPU': 1},
                                  'requester_id': 'port1'}])
        self.assertEqual(2, spec.flavor.vcpus)
        self.assertEqual('dedicated', spec.flavor.extra_specs['hw:cpu_policy'])
        self.assertEqual(512, spec.image.min_ram)
        self.assertEqual('x86_64', spec.image.properties.hw_architecture)
        self.assertEqual('kvm', spec.image.properties.get(
            'hypervisor_type_custom'))
        self.assertEqual({'group': ['g1'], 'same_host': ['a', 'b']},
                         spec.scheduler_hints)
        self.assertEqual(3, spec.num_instances)
        self.assertEqual({'VGPU': 1}, spec.requested_resources[0].resources)

    def test_accepts_objects_and_no_image(self):
        fl = flavor.Flavor(vcpus=1)
        spec = request_spec.RequestSpec.from_components(fl, is_bfv=True)
        self.assertIs(fl, spec.flavor)
        self.assertTrue(spec.is_bfv)
        self.assertEqual({}, spec.image.properties.extra)
