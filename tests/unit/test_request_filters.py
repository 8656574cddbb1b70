"""Request pre-filters: each narrows a request as configured, and the
decision honours what they add."""

from gantt import exception
from gantt import objects
from gantt import request as request_mod
from gantt import request_filters
from tests.unit import test_scheduler as base
from tests.unit.test_scheduler import host


def _traits(state, name, names):
    uuid = base.node_uuid(name)
    state.set_tree(uuid, [{'uuid': uuid, 'name': name, 'traits': names,
                           'aggregates': [], 'inventories': {}}])


class PrefilterCase(base.SchedulerTestCase):

    weighers = ["RAMWeigher"]
    overrides = {'filter_scheduler': {'enabled_filters': ['RamFilter']}}

    def setUp(self):
        super().setUp()
        objects.register_all()

    def opt(self, name, value):
        self.conf.set_override(name, value, group='scheduler')
        # The scheduler reads the options once, and again on a reload.
        self.sched.request_filters.reload()

    def picked(self, spec, count=1):
        return sorted(self.primaries(self.select(spec, count=count)))

    def narrowed(self, spec):
        request = request_mod.from_spec(spec, self.conf)
        return request_filters.narrow(
            request_filters.Settings.read(self.conf), self.manager.state,
            request).groups

    def spec(self, ram=1024, extra_specs=None, image=None, **fields):
        spec = super().spec(ram=ram, **fields)
        if extra_specs:
            spec.flavor.extra_specs = dict(extra_specs)
        if image is not None:
            spec.image = image
        return spec


class TestTenantAggregates(PrefilterCase):

    AGGS = [{'name': 'a-p1', 'hosts': ['h1'],
             'metadata': {'filter_tenant_id': 'p1'}},
            {'name': 'a-shared', 'hosts': ['h2'],
             'metadata': {'filter_tenant_id:2': 'p1',
                          'filter_tenant_id:3': 'p9'}}]

    def setUp(self):
        super().setUp()
        self.make([host('h1'), host('h2'), host('h3', ram=65536)],
                  aggregates=self.AGGS)

    def test_off_by_default_any_host_serves_the_project(self):
        self.assertEqual(['h3'], self.picked(self.spec()))

    def test_confines_the_project_to_its_aggregates(self):
        self.opt('limit_tenants_to_placement_aggregate', True)
        self.assertEqual(['h1', 'h1', 'h2', 'h2'],
                         self.picked(self.spec(ram=2048), count=4))
        self.assertRaises(exception.NoValidHost, self.select,
                          self.spec(ram=2048))

    def test_project_without_aggregate_goes_anywhere_unless_required(self):
        self.opt('limit_tenants_to_placement_aggregate', True)
        self.assertEqual(['h3'], self.picked(self.spec(project_id='p2')))
        self.opt('placement_aggregate_required_for_tenants', True)
        error = self.assertRaises(exception.NoValidHost, self.select,
                                  self.spec(project_id='p2'))
        self.assertIn('no aggregate is set aside for project p2',
                      str(error))

    def test_refusal_names_the_prefilter(self):
        self.opt('limit_tenants_to_placement_aggregate', True)
        error = self.assertRaises(exception.NoValidHost, self.select,
                                  self.spec(ram=8192))
        self.assertIn('AllocationCandidates removed 1 of 1 hosts', str(error))
        self.assertIn('removed by request filters: TenantAggregate',
                      str(error))


class TestAvailabilityZone(PrefilterCase):

    def setUp(self):
        super().setUp()
        self.make([host('h1'), host('h2', ram=65536)],
                  aggregates=[{'name': 'az1', 'hosts': ['h1'],
                               'metadata': {'availability_zone': 'az1'}}])

    def test_narrows_to_the_zone_aggregates_when_enabled(self):
        spec = self.spec(availability_zone='az1')
        self.assertEqual(['h2'], self.picked(spec))
        self.opt('query_placement_for_availability_zone', True)
        self.assertEqual([frozenset({'az1'})],
                         self.narrowed(spec).root_member_of)
        self.assertEqual(['h1'], self.picked(spec))

    def test_zone_no_aggregate_names_leaves_the_request_alone(self):
        self.opt('query_placement_for_availability_zone', True)
        groups = self.narrowed(self.spec(availability_zone='nova'))
        self.assertNotIn('AvailabilityZone', groups.narrowed_by)
        self.assertEqual([], groups.root_member_of)


class TestImageType(PrefilterCase):

    def setUp(self):
        super().setUp()
        self.make([host('h1'), host('h2', ram=65536)])
        _traits(self.manager.state, 'h1', ['COMPUTE_IMAGE_TYPE_QCOW2'])

    def image(self, disk_format='qcow2'):
        return objects.ImageMeta(disk_format=disk_format,
                                 properties=objects.ImageMetaProps())

    def test_requires_the_disk_format_trait_when_enabled(self):
        self.assertEqual(['h2'], self.picked(self.spec(image=self.image())))
        self.opt('query_placement_for_image_type_support', True)
        self.assertEqual(['h1'], self.picked(self.spec(image=self.image())))

    def test_boot_from_volume_ignores_the_image_format(self):
        self.opt('query_placement_for_image_type_support', True)
        self.assertEqual(['h2'], self.picked(
            self.spec(image=self.image(), is_bfv=True)))

    def test_unknown_format_adds_nothing(self):
        self.opt('query_placement_for_image_type_support', True)
        groups = self.narrowed(self.spec(image=self.image('floppy')))
        self.assertNotIn('ImageType', groups.narrowed_by)


class TestIsolatedAggregates(PrefilterCase):

    def setUp(self):
        super().setUp()
        self.make([host('h1', ram=65536), host('h2')],
                  aggregates=[{'name': 'gpu', 'hosts': ['h1'],
                               'metadata': {'trait:CUSTOM_GPU': 'required'}}])
        _traits(self.manager.state, 'h1', ['CUSTOM_GPU'])

    def test_keeps_requests_without_the_trait_out_when_enabled(self):
        self.assertEqual(['h1'], self.picked(self.spec()))
        self.opt('enable_isolated_aggregate_filtering', True)
        self.assertEqual(['h2'], self.picked(self.spec()))
        self.assertEqual(frozenset({'gpu'}),
                         self.narrowed(self.spec()).root_forbidden_aggs)

    def test_request_requiring_the_trait_may_use_the_aggregate(self):
        self.opt('enable_isolated_aggregate_filtering', True)
        spec = self.spec(extra_specs={'trait:CUSTOM_GPU': 'required'})
        self.assertEqual(['h1'], self.picked(spec))


class TestComputeStatus(PrefilterCase):

    def setUp(self):
        super().setUp()
        self.make([host('h1', ram=65536), host('h2')])
        _traits(self.manager.state, 'h1', ['COMPUTE_STATUS_DISABLED'])

    def test_forbids_disabled_hosts_by_default(self):
        self.assertEqual(['h2'], self.picked(self.spec()))

    def test_can_be_switched_off(self):
        self.opt('compute_status_prefilter', False)
        self.assertEqual(['h1'], self.picked(self.spec()))

    def test_explain_shows_the_stage_only_when_it_removes_hosts(self):
        explained = self.sched.explain(self.ctxt, self.spec())
        self.assertEqual([('AllocationCandidates', 1)],
                         [(f['name'], f['removed'])
                          for f in explained['filters']
                          if f['name'] == 'AllocationCandidates'])
        self.manager.state.set_tree(base.node_uuid('h1'), [])
        explained = self.sched.explain(self.ctxt, self.spec())
        self.assertNotIn('AllocationCandidates',
                         [f['name'] for f in explained['filters']])


class TestAcceleratorsAndEncryption(PrefilterCase):

    def setUp(self):
        super().setUp()
        self.make([host('h1'), host('h2', ram=65536)])
        _traits(self.manager.state, 'h1', [
            'COMPUTE_ACCELERATORS', 'COMPUTE_EPHEMERAL_ENCRYPTION',
            'COMPUTE_EPHEMERAL_ENCRYPTION_LUKS'])

    def test_device_profile_requires_accelerator_support(self):
        spec = self.spec(extra_specs={'accel:device_profile': 'fpga'})
        self.assertEqual(['h1'], self.picked(spec))
        self.opt('accelerators_prefilter', False)
        self.assertEqual(['h2'], self.picked(spec))

    def test_ephemeral_encryption_from_flavor_or_image(self):
        spec = self.spec(extra_specs={'hw:ephemeral_encryption': 'true'})
        self.assertEqual(['h1'], self.picked(spec))
        image = objects.ImageMeta(properties=objects.ImageMetaProps(
            extra={'hw_ephemeral_encryption': 'yes',
                   'hw_ephemeral_encryption_format': 'luks'}))
        self.assertEqual(
            frozenset({'COMPUTE_EPHEMERAL_ENCRYPTION',
                       'COMPUTE_EPHEMERAL_ENCRYPTION_LUKS'}),
            self.narrowed(self.spec(image=image)).root_required)
        self.assertEqual(['h2'], self.picked(self.spec()))

    def test_flavor_and_image_disagreeing_is_a_clear_error(self):
        image = objects.ImageMeta(properties=objects.ImageMetaProps(
            extra={'hw_ephemeral_encryption': 'false'}))
        spec = self.spec(extra_specs={'hw:ephemeral_encryption': 'true'},
                         image=image)
        error = self.assertRaises(exception.InvalidRequest, self.narrowed,
                                  spec)
        self.assertIn('hw:ephemeral_encryption=True conflicts', str(error))

    def test_unknown_format_is_refused(self):
        spec = self.spec(extra_specs={
            'hw:ephemeral_encryption': 'true',
            'hw:ephemeral_encryption_format': 'rot13'})
        error = self.assertRaises(exception.InvalidRequest, self.narrowed,
                                  spec)
        self.assertIn("'rot13' is not one of plain, luks, luksv2", str(error))


class TestSettings(PrefilterCase):

    def test_options_are_read_again_when_the_configuration_mutates(self):
        self.make([host('h1')])
        filters = self.sched.request_filters
        self.assertTrue(filters.settings.compute_status_prefilter)
        self.conf.set_override('compute_status_prefilter', False,
                               group='scheduler')
        self.assertTrue(filters.settings.compute_status_prefilter)
        self.conf.mutate_config_files()
        self.assertFalse(filters.settings.compute_status_prefilter)
