"""ComputeNode.validate(): one scenario per impossible figure."""


import testscenarios
import testtools

from gantt import exception
from gantt.objects import compute_node
from gantt.objects import fields

NODE_UUID = '0d8c7a3e-6f5b-4a61-9c1d-2e3f4a5b6c7d'
CELL_UUID = 'a1b2c3d4-e5f6-4789-8abc-def012345678'


def good_node():
    node = compute_node.ComputeNode(
        uuid=NODE_UUID, host='compute1', hypervisor_hostname='node1',
        cell_uuid=CELL_UUID, report_seq=3)
    node.resources = compute_node.ComputeResources(
        vcpus=32, memory_mb=65536, local_gb=1000, reserved_vcpus=2,
        reserved_memory_mb=512, reserved_disk_gb=10, vcpus_used=4,
        memory_mb_used=4096, local_gb_used=40)
    node.hypervisor = compute_node.HypervisorInfo(
        hypervisor_type='QEMU', hypervisor_version=8002000,
        host_ip='192.0.2.10', supported_instances=[
            compute_node.HVSpec(arch='x86_64', hv_type='kvm',
                                vm_mode='hvm')])
    node.stats = compute_node.ComputeStats(num_instances=2, num_io_ops=1)
    node.metrics = [compute_node.MonitorMetric(name='cpu.percent',
                                               value=12.5, source='libvirt')]
    return node


def _unset(name):
    def change(node):
        delattr(node, name)
    return change


def _set(path, value):
    def change(node):
        target = node
        *parents, leaf = path.split('.')
        for parent in parents:
            target = getattr(target, parent)
        setattr(target, leaf, value)
    return change


def _zero_totals(node):
    node.resources = compute_node.ComputeResources(
        vcpus=0, memory_mb=0, local_gb=0)


def _metric(name, value):
    def change(node):
        node.metrics = [compute_node.MonitorMetric(name=name, value=value)]
    return change


class TestValidateRejects(testscenarios.WithScenarios, testtools.TestCase):

    scenarios = [
        ('missing_uuid', dict(change=_unset('uuid'), field='uuid')),
        ('empty_uuid', dict(change=_set('uuid', ''), field='uuid')),
        ('not_a_uuid', dict(change=_set('uuid', 'node-one'), field='uuid')),
        ('missing_host', dict(change=_unset('host'), field='host')),
        ('empty_host', dict(change=_set('host', ''), field='host')),
        ('missing_hypervisor_hostname', dict(
            change=_unset('hypervisor_hostname'),
            field='hypervisor_hostname')),
        ('bad_cell_uuid', dict(change=_set('cell_uuid', 'cell0'),
                               field='cell_uuid')),
        ('negative_report_seq', dict(change=_set('report_seq', -1),
                                     field='report_seq')),
        ('missing_resources', dict(change=_set('resources', None),
                                   field='resources')),
        ('negative_vcpus', dict(change=_set('resources.vcpus', -1),
                                field='resources.vcpus')),
        ('negative_memory', dict(change=_set('resources.memory_mb', -512),
                                 field='resources.memory_mb')),
        ('negative_disk', dict(change=_set('resources.local_gb', -1),
                               field='resources.local_gb')),
        ('missing_vcpus', dict(change=_set('resources.vcpus', None),
                               field='resources.vcpus')),
        ('absurd_memory', dict(
            change=_set('resources.memory_mb', fields.MAX_RESOURCE_TOTAL + 1),
            field='resources.memory_mb')),
        ('negative_reserved_vcpus', dict(
            change=_set('resources.reserved_vcpus', -1),
            field='resources.reserved_vcpus')),
        ('reserved_memory_above_total', dict(
            change=_set('resources.reserved_memory_mb', 65537),
            field='resources.reserved_memory_mb')),
        ('reserved_disk_above_total', dict(
            change=_set('resources.reserved_disk_gb', 1001),
            field='resources.reserved_disk_gb')),
        ('negative_vcpus_used', dict(
            change=_set('resources.vcpus_used', -2),
            field='resources.vcpus_used')),
        ('negative_memory_used', dict(
            change=_set('resources.memory_mb_used', -2),
            field='resources.memory_mb_used')),
        ('negative_disk_used', dict(
            change=_set('resources.local_gb_used', -2),
            field='resources.local_gb_used')),
        ('zero_cpu_ratio', dict(
            change=_set('resources.cpu_allocation_ratio', 0.0),
            field='resources.cpu_allocation_ratio')),
        ('negative_ram_ratio', dict(
            change=_set('resources.ram_allocation_ratio', -1.5),
            field='resources.ram_allocation_ratio')),
        ('absurd_disk_ratio', dict(
            change=_set('resources.disk_allocation_ratio', 1000.5),
            field='resources.disk_allocation_ratio')),
        ('nan_cpu_ratio', dict(
            change=_set('resources.cpu_allocation_ratio', float('nan')),
            field='resources.cpu_allocation_ratio')),
        ('missing_ram_ratio', dict(
            change=_set('resources.ram_allocation_ratio', None),
            field='resources.ram_allocation_ratio')),
        ('bad_host_ip', dict(change=_set('hypervisor.host_ip', '300.1.2.3'),
                             field='hypervisor.host_ip')),
        ('word_host_ip', dict(change=_set('hypervisor.host_ip', 'compute1'),
                              field='hypervisor.host_ip')),
        ('negative_hypervisor_version', dict(
            change=_set('hypervisor.hypervisor_version', -1),
            field='hypervisor.hypervisor_version')),
        ('negative_num_instances', dict(
            change=_set('stats.num_instances', -1),
            field='stats.num_instances')),
        ('a_billion_instances', dict(
            change=_set('stats.num_instances', 10 ** 9),
            field='stats.num_instances')),
        ('text_vcpus', dict(change=_set('resources.vcpus', '16'),
                            field='resources.vcpus')),
        ('fractional_vcpus', dict(change=_set('resources.vcpus', 16.5),
                                  field='resources.vcpus')),
        ('ten_megabyte_host', dict(change=_set('host', 'h' * 10 ** 7),
                                   field='host')),
        ('negative_io_ops', dict(change=_set('stats.num_io_ops', -3),
                                 field='stats.num_io_ops')),
        ('negative_failed_builds', dict(
            change=_set('stats.failed_builds', -1),
            field='stats.failed_builds')),
        ('negative_service_version', dict(
            change=_set('service.version', -1), field='service.version')),
        ('nameless_metric', dict(change=_metric(None, 1.0),
                                 field='metrics[0].name')),
        ('infinite_metric', dict(change=_metric('cpu', float('inf')),
                                 field='metrics[0].value')),
    ]

    def test_rejects_and_names_the_field(self):
        node = good_node()
        try:
            self.change(node)
        except ValueError as exc:
            # The strict field types refuse it as it is set (or received).
            leaf = self.field.split('.')[-1].split('[')[0]
            self.assertIn('.%s ' % leaf, str(exc))
            self.assertLess(len(str(exc)), 300)
            return
        exc = self.assertRaises(exception.InvalidReport, node.validate)
        self.assertIn(self.field, str(exc))
        self.assertEqual(self.field, exc.kwargs['field'])


class TestValidateAccepts(testscenarios.WithScenarios, testtools.TestCase):

    scenarios = [
        ('full_report', dict(change=lambda node: None)),
        ('defaults_only', dict(change=lambda node: None, bare=True)),
        ('ipv6_host_ip', dict(change=_set('hypervisor.host_ip',
                                          '2001:db8::10'))),
        ('no_host_ip', dict(change=_set('hypervisor.host_ip', None))),
        ('no_cell', dict(change=_set('cell_uuid', None))),
        ('reserved_equals_total', dict(
            change=_set('resources.reserved_vcpus', 32))),
        ('ratio_at_the_limit', dict(
            change=_set('resources.cpu_allocation_ratio', 1000.0))),
        ('total_at_the_limit', dict(
            change=_set('resources.memory_mb', fields.MAX_RESOURCE_TOTAL))),
        ('zero_totals', dict(change=_zero_totals)),
        ('no_hypervisor', dict(change=_set('hypervisor', None))),
        ('no_metrics', dict(change=_set('metrics', []))),
    ]
    bare = False

    def test_accepts(self):
        if self.bare:
            node = compute_node.ComputeNode(
                uuid=NODE_UUID, host='compute1', hypervisor_hostname='node1')
        else:
            node = good_node()
        self.change(node)
        self.assertIsNone(node.validate())


class TestComputeNodeDefaults(testtools.TestCase):

    def test_a_new_node_has_empty_children(self):
        node = compute_node.ComputeNode()
        self.assertEqual(16.0, node.resources.cpu_allocation_ratio)
        self.assertEqual(1.5, node.resources.ram_allocation_ratio)
        self.assertEqual(1.0, node.resources.disk_allocation_ratio)
        self.assertEqual(0, node.resources.reserved_memory_mb)
        self.assertEqual('gantt-compute', node.service.binary)
        self.assertFalse(node.service.disabled)
        self.assertEqual([], node.hypervisor.supported_instances)
        self.assertEqual({}, node.stats.extra)
        self.assertEqual([], node.metrics)
        self.assertEqual(0, node.report_seq)

    def test_identity_fields_are_required(self):
        node = compute_node.ComputeNode()
        self.assertFalse(node.obj_attr_is_set('uuid'))
        self.assertRaises(ValueError, setattr, node, 'host', None)

    def test_a_list_holds_nodes(self):
        nodes = compute_node.ComputeNodeList(objects=[good_node()])
        self.assertEqual(1, len(nodes))
        self.assertEqual('node1', nodes[0].hypervisor_hostname)
