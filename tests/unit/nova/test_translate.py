"""A RequestSpec nova 34 built (nova_request_spec.json, printed by
tools/nova_object_fields.py --request-spec) read into Gantt's objects, and
Gantt's Selections made nova's."""

import json
import os

import testtools

from gantt.nova import request_spec as nova_objects
from gantt.nova import rpc as nova_rpc
from gantt.nova import selection as nova_selection
from gantt.nova import translate
from gantt import objects as gantt_objects
from gantt import request as request_mod

HERE = os.path.dirname(os.path.abspath(__file__))


def nova_spec():
    with open(os.path.join(HERE, 'nova_request_spec.json')) as f:
        primitive = json.load(f)
    return nova_rpc.NovaObjectSerializer().deserialize_entity(None,
                                                              primitive)


class TestRequestSpec(testtools.TestCase):

    def setUp(self):
        super().setUp()
        gantt_objects.register_all()
        self.nova = nova_spec()
        self.spec = translate.request_spec(self.nova)

    def test_reads_nova_34s_spec_with_every_child(self):
        self.assertEqual('1.15', self.nova.VERSION)
        self.assertEqual({'net1'}, self.nova.network_metadata.physnets)
        self.assertEqual(1, len(self.nova.numa_topology.cells))
        self.assertEqual('nic',
                         self.nova.pci_requests.requests[0].alias_name)

    def test_spec_fields(self):
        spec = self.spec
        self.assertEqual(
            ('b0000000-0000-4000-8000-000000000004', 'project-1', 'user-1',
             'az1', 2, False, ['cmp-9']),
            (spec.instance_uuid, spec.project_id, spec.user_id,
             spec.availability_zone, spec.num_instances, spec.is_bfv,
             spec.ignore_hosts))
        self.assertEqual(['web'], spec.scheduler_hints['group'])

    def test_flavor(self):
        flavor = self.spec.flavor
        self.assertEqual((4, 8192, 40, 10, 1024, 'm1.big'),
                         (flavor.vcpus, flavor.memory_mb, flavor.root_gb,
                          flavor.ephemeral_gb, flavor.swap, flavor.flavorid))
        self.assertEqual('required',
                         flavor.extra_specs['trait:HW_CPU_X86_AVX2'])

    def test_image_typed_and_extra_properties(self):
        props = self.spec.image.properties
        self.assertEqual('c0ffee00-0000-4000-8000-000000000001',
                         self.spec.image.id)
        self.assertEqual(('x86_64', 'ubuntu', ['HW_CPU_X86_SSE42']),
                         (props.hw_architecture, props.os_distro,
                          props.traits_required))
        self.assertEqual('>=6.0', props.img_hv_requested_version)
        # Properties Gantt has no typed field for stay, as strings.
        self.assertEqual({'hw_disk_bus': 'virtio',
                          'hw_vif_multiqueue_enabled': 'True'},
                         props.extra)

    def test_server_group(self):
        group = self.spec.instance_group
        self.assertEqual(('web', 'anti-affinity', {'max_server_per_host': '2'},
                          ['cmp-1']),
                         (group.name, group.policy, group.rules, group.hosts))

    def test_destination_names_the_cell_by_uuid(self):
        dest = self.spec.requested_destination
        self.assertEqual(
            ('cmp-2', 'cmp-2.node', 'ce110000-0000-4000-8000-000000000005',
             ['agg-1,agg-2'], {'agg-3'}),
            (dest.host, dest.node, dest.cell_uuid, dest.aggregates,
             dest.forbidden_aggregates))

    def test_retries_become_host_node_pairs(self):
        self.assertEqual((2, [['cmp-7', 'cmp-7.node']]),
                         (self.spec.retry.num_attempts,
                          self.spec.retry.hosts))

    def test_limits_and_request_groups(self):
        self.assertEqual(64, self.spec.limits.vcpu)
        self.assertIsNone(self.spec.limits.memory_mb)
        group, = self.spec.requested_resources
        self.assertEqual(('port-1', {'NET_BW_EGR_KILOBIT_PER_SEC': 1000},
                          {'CUSTOM_PHYSNET_NET1'}),
                         (group.requester_id, group.resources,
                          group.required_traits))
        self.assertEqual({'COMPUTE_NET_ATTACH_INTERFACE'},
                         self.spec.request_level_params.root_required)

    def test_gantt_reads_the_request_it_asks_for(self):
        request = request_mod.from_spec(self.spec)
        # Swap rounds up to whole GB on the disk, as nova's request does.
        self.assertEqual({'VCPU': 4, 'MEMORY_MB': 8192, 'DISK_GB': 51},
                         request.resources)
        self.assertEqual((('cmp-7', 'cmp-7.node'),), request.retry_hosts)


PORT = 'b0b0b0b0-0000-4000-8000-000000000001'


class TestNumaAndPci(testtools.TestCase):
    """What nova's spec carries that its flavor and image do not: its
    ports' PCI requests, the aliases it resolved, the image's per-node
    lists."""

    def setUp(self):
        super().setUp()
        gantt_objects.register_all()
        self.nova = nova_spec()

    def _port(self, physnet='physnet1', **fields):
        # As nova's neutron API builds one for a vnic_type direct port.
        got = dict(count=1, spec=[{'physical_network': physnet,
                                   'remote_managed': 'False',
                                   'dev_type': 'type-VF',
                                   'trusted': 'True'}],
                   request_id='c0c0c0c0-0000-4000-8000-000000000001',
                   requester_id=PORT)
        got.update(fields)
        return nova_objects.InstancePCIRequest(**got)

    def test_resolved_alias_request_passes_through(self):
        alias, = translate.request_spec(self.nova).pci_requests
        self.assertEqual(('nic', 1, [{'product_id': '1520',
                                      'vendor_id': '8086'}], None),
                         (alias.alias_name, alias.count, alias.spec,
                          alias.requester_id))

    def test_port_request_is_asked_with_the_alias(self):
        self.nova.pci_requests.requests.append(
            self._port(numa_policy='required'))
        request = request_mod.from_spec(translate.request_spec(self.nova))
        alias, port = request.numa.pci
        self.assertEqual(('nic', ({'product_id': '1520',
                                   'vendor_id': '8086'},)),
                         (alias.alias_name, alias.specs))
        self.assertEqual((None, PORT, 'required', 1),
                         (port.alias_name, port.requester_id,
                          port.numa_policy, port.count))
        self.assertEqual('physnet1', port.specs[0]['physical_network'])

    def test_rebuild_asks_no_devices_again(self):
        self.nova.pci_requests.requests.append(self._port())
        spec = translate.without_resources(translate.request_spec(self.nova))
        self.assertEqual((), request_mod.from_spec(spec).numa.pci)

    def test_spec_without_pci_requests_asks_none(self):
        self.nova.pci_requests = None
        self.assertEqual([], translate.request_spec(self.nova).pci_requests)

    def test_image_numa_lists_become_per_node_properties(self):
        # nova reads hw_numa_cpus.N / hw_numa_mem.N into typed lists.
        self.nova.image.properties.received.update(
            hw_numa_nodes=2, hw_numa_cpus=[[0, 1], [2, 3]],
            hw_numa_mem=[2048, 6144])
        spec = translate.request_spec(self.nova)
        self.assertEqual(('0,1', '2,3', '2048', '6144'),
                         tuple(spec.image.properties.extra[k] for k in (
                             'hw_numa_cpus.0', 'hw_numa_cpus.1',
                             'hw_numa_mem.0', 'hw_numa_mem.1')))
        cells = request_mod.from_spec(spec).numa.topology.cells
        self.assertEqual([({0, 1}, 2048), ({2, 3}, 6144)],
                         [(set(c.cpuset), c.memory) for c in cells])


class TestLegacy(testtools.TestCase):

    def test_legacy_dicts_of_a_4_0_caller(self):
        gantt_objects.register_all()
        spec = translate.legacy_request_spec(
            {'instance_type': {'vcpus': 1, 'memory_mb': 512, 'root_gb': 1,
                               'ephemeral_gb': 0, 'swap': 0,
                               'flavorid': 'tiny', 'extra_specs': {}},
             'instance_properties': {'project_id': 'p', 'user_id': 'u',
                                     'availability_zone': 'az1'},
             'image': {'properties': {'os_distro': 'cirros'}},
             'num_instances': 1,
             'instance_uuids': ['d0000000-0000-4000-8000-000000000006']},
            {'scheduler_hints': {'group': 'web'}, 'ignore_hosts': ['h9'],
             'retry': {'num_attempts': 1, 'hosts': [['h1', 'h1.node']]}})
        request = request_mod.from_spec(spec)
        self.assertEqual({'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1},
                         request.resources)
        self.assertEqual(('d0000000-0000-4000-8000-000000000006', 'az1',
                          ('h9',), (('h1', 'h1.node'),), 'web', 'cirros'),
                         (request.instance_uuid, request.availability_zone,
                          request.ignore_hosts, request.retry_hosts,
                          request.hint('group'),
                          request.image_props.get('os_distro')))


class TestSelection(testtools.TestCase):

    def _gantt(self, cell_uuid=None):
        gantt_objects.register_all()
        return gantt_objects.Selection(
            compute_node_uuid='1c1c1c1c-0000-4000-8000-000000000001',
            service_host='cmp-1', nodename='cmp-1.node', cell_uuid=cell_uuid,
            limits=gantt_objects.SchedulerLimits(vcpu=32),
            allocation_request='{"allocations": {}}',
            allocation_request_version='1.36', availability_zone='az1',
            weight=2.5)

    def test_fields_pass_through(self):
        sel = translate.selection(
            self._gantt('ce110000-0000-4000-8000-000000000005'))
        self.assertEqual(
            ('cmp-1', 'cmp-1.node', 'ce110000-0000-4000-8000-000000000005',
             '{"allocations": {}}', '1.36', 'az1'),
            (sel.service_host, sel.nodename, sel.cell_uuid,
             sel.allocation_request, sel.allocation_request_version,
             sel.availability_zone))
        self.assertEqual({'vcpu': 32}, sel.limits.to_dict())
        self.assertIsNone(sel.limits.numa_topology)

    def test_numa_ratios_become_numa_topology_limits(self):
        gantt = self._gantt()
        gantt.limits.with_numa_ratios(16, 1.5)
        networks = nova_objects.NetworkMetadata(physnets={'physnet1'},
                                                tunneled=False)
        sel = translate.selection(gantt, network_metadata=networks)
        numa = sel.limits.numa_topology
        self.assertIsInstance(numa, nova_selection.NUMATopologyLimits)
        self.assertEqual((16.0, 1.5, {'physnet1'}),
                         (numa.cpu_allocation_ratio,
                          numa.ram_allocation_ratio,
                          numa.network_metadata.physnets))
        # nova's compute reads them with to_dict().
        self.assertIs(numa, sel.limits.to_dict()['numa_topology'])
        # A 1.0 reader (nova before network_metadata) gets the ratios.
        primitive = numa.obj_to_primitive(target_version='1.0')
        self.assertNotIn('network_metadata', primitive['nova_object.data'])

    def test_no_numa_ratios_no_numa_limits(self):
        networks = nova_objects.NetworkMetadata(physnets={'physnet1'},
                                                tunneled=False)
        sel = translate.selection(self._gantt(), network_metadata=networks)
        self.assertIsNone(sel.limits.numa_topology)

    def test_host_without_cell_takes_the_configured_one(self):
        sel = translate.selection(self._gantt(),
                                  'ce110000-0000-4000-8000-000000000009')
        self.assertEqual('ce110000-0000-4000-8000-000000000009',
                         sel.cell_uuid)

    def test_host_without_any_cell_names_the_nil_uuid(self):
        self.assertEqual(translate.NIL_UUID,
                         translate.selection(self._gantt()).cell_uuid)

    def test_legacy_dict(self):
        self.assertEqual({'host': 'cmp-1', 'nodename': 'cmp-1.node',
                          'limits': {'vcpu': 32}},
                         translate.selection(self._gantt()).to_dict())
