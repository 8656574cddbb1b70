"""ComputeNode and its parts: what a compute node reports about itself.

A compute sends one ComputeNode per node in ``update_resource_stats``;
:meth:`ComputeNode.validate` rejects a report with impossible figures
before anything is stored.
"""

import hashlib
import json
import math

from oslo_utils import netutils
from oslo_utils import uuidutils
from oslo_utils import versionutils

from gantt import exception
from gantt import limits
from gantt.objects import base
from gantt.objects import fields
from gantt.objects import numa
from gantt.objects import pci_device
from gantt.objects import resource_provider

_TOTALS = ('vcpus', 'memory_mb', 'local_gb')
_RESERVED = {'vcpus': 'reserved_vcpus', 'memory_mb': 'reserved_memory_mb',
             'local_gb': 'reserved_disk_gb'}
_USED = ('vcpus_used', 'memory_mb_used', 'local_gb_used')
_RATIOS = ('cpu_allocation_ratio', 'ram_allocation_ratio',
           'disk_allocation_ratio')
_STATS = ('num_instances', 'num_io_ops', 'failed_builds')


@base.GanttObjectRegistry.register
class ComputeResources(base.GanttObject):
    """Totals, reservations and ratios for VCPU, MEMORY_MB and DISK_GB.

    The ``*_used`` figures are what the compute sees and are informational;
    Gantt's own usage comes from its allocations.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'vcpus': fields.IntegerField(nullable=True, default=0),
        'memory_mb': fields.IntegerField(nullable=True, default=0),
        'local_gb': fields.IntegerField(nullable=True, default=0),
        'reserved_vcpus': fields.IntegerField(nullable=True, default=0),
        'reserved_memory_mb': fields.IntegerField(nullable=True, default=0),
        'reserved_disk_gb': fields.IntegerField(nullable=True, default=0),
        'cpu_allocation_ratio': fields.FloatField(nullable=True,
                                                  default=16.0),
        'ram_allocation_ratio': fields.FloatField(nullable=True, default=1.5),
        'disk_allocation_ratio': fields.FloatField(nullable=True,
                                                   default=1.0),
        'vcpus_used': fields.IntegerField(nullable=True, default=0),
        'memory_mb_used': fields.IntegerField(nullable=True, default=0),
        'local_gb_used': fields.IntegerField(nullable=True, default=0),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)


@base.GanttObjectRegistry.register
class HVSpec(base.GanttObject):
    """One (architecture, hypervisor type, VM mode) the node can run."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'arch': fields.StringField(nullable=True, default=None),
        'hv_type': fields.StringField(nullable=True, default=None),
        'vm_mode': fields.StringField(nullable=True, default=None),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)


@base.GanttObjectRegistry.register
class HypervisorInfo(base.GanttObject):
    """The node's hypervisor; ``host_ip`` is an IPv4 or IPv6 address text."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'hypervisor_type': fields.StringField(nullable=True, default=None),
        'hypervisor_version': fields.IntegerField(nullable=True,
                                                  default=None),
        'cpu_info': fields.StringField(nullable=True, default=None),
        'host_ip': fields.StringField(nullable=True, default=None),
        'supported_instances': fields.ListOfObjectsField(
            'HVSpec', nullable=True, default=[]),
    }

    obj_relationships = {
        'supported_instances': [('1.0', '1.0')],
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)


@base.GanttObjectRegistry.register
class ComputeStats(base.GanttObject):
    """Counters the compute keeps; ``extra`` holds any other stat."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'num_instances': fields.IntegerField(nullable=True, default=0),
        'num_io_ops': fields.IntegerField(nullable=True, default=0),
        'failed_builds': fields.IntegerField(nullable=True, default=0),
        'extra': fields.DictOfStringsField(nullable=True, default={}),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)


@base.GanttObjectRegistry.register
class MonitorMetric(base.GanttObject):
    """One metric sample from a compute monitor (for the metrics weigher)."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'name': fields.StringField(nullable=True, default=None),
        'value': fields.FloatField(nullable=True, default=None),
        'source': fields.StringField(nullable=True, default=None),
        'timestamp': fields.DateTimeField(nullable=True, default=None),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)


@base.GanttObjectRegistry.register
class ServiceStatus(base.GanttObject):
    """The compute service's state as it reports it."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'binary': fields.StringField(nullable=True,
                                     default=fields.COMPUTE_BINARY),
        'disabled': fields.BooleanField(nullable=True, default=False),
        'disabled_reason': fields.StringField(nullable=True, default=None),
        'forced_down': fields.BooleanField(nullable=True, default=False),
        'version': fields.IntegerField(nullable=True, default=0),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)


def report_digest(primitive):
    """A digest of what a ComputeNode primitive says, its sequence aside.

    Two reports with equal digests say the same; the same facts with
    their change lists in another order (a set's order, per process)
    digest differently, which only costs storing them whole once.
    """
    data = primitive.get('versioned_object.data')
    seq = data.pop('report_seq', None) if isinstance(data, dict) else None
    try:
        text = json.dumps(primitive, sort_keys=True, separators=(',', ':'),
                          default=str)
    finally:
        if seq is not None:
            data['report_seq'] = seq
    return hashlib.sha1(text.encode('utf-8')).hexdigest()


@base.GanttObjectRegistry.register
class ComputeNode(base.GanttObject):
    """One node's report; ``uuid``, ``host`` and ``hypervisor_hostname``
    are required.

    ``report_seq`` grows with every report of the node; a report whose
    sequence is not above the stored one is ignored. ``numa_topology`` and
    ``pci_device_pools`` are JSON text placeholders for later versions.
    ``provider_tree`` lists the node's providers: the root (uuid = node
    uuid) with inventories and traits beyond ``resources``, and its
    children (NUMA nodes, physical GPUs, NICs); empty means root only.
    ``numa`` is the node's NUMA topology (cells, pCPUs, huge pages) and
    ``pci_devices`` its passthrough devices; a node without them (or an
    older compute) offers no NUMA placement and no PCI devices.
    """

    # Version 1.0: Initial version
    # Version 1.1: Added provider_tree
    # Version 1.2: Added numa and pci_devices
    VERSION = '1.2'

    fields = {
        'uuid': fields.UUIDField(),
        'host': fields.NameField(),
        'hypervisor_hostname': fields.NameField(),
        'cell_uuid': fields.UUIDField(nullable=True, default=None),
        'report_seq': fields.IntegerField(default=0),
        'resources': fields.ObjectField('ComputeResources', nullable=True),
        'hypervisor': fields.ObjectField('HypervisorInfo', nullable=True),
        'stats': fields.ObjectField('ComputeStats', nullable=True),
        'metrics': fields.ListOfObjectsField('MonitorMetric', nullable=True,
                                             default=[]),
        'service': fields.ObjectField('ServiceStatus', nullable=True),
        'numa_topology': fields.StringField(nullable=True, default=None),
        'pci_device_pools': fields.StringField(nullable=True, default=None),
        'provider_tree': fields.ListOfObjectsField(
            'ResourceProvider', nullable=True, default=[]),
        'numa': fields.ObjectField('NUMATopology', nullable=True,
                                   default=None),
        'pci_devices': fields.ListOfObjectsField(
            'PciDevice', nullable=True, default=[]),
    }

    obj_relationships = {
        'resources': [('1.0', '1.0'), ('1.1', '1.0'), ('1.2', '1.0')],
        'hypervisor': [('1.0', '1.0'), ('1.1', '1.0'), ('1.2', '1.0')],
        'stats': [('1.0', '1.0'), ('1.1', '1.0'), ('1.2', '1.0')],
        'metrics': [('1.0', '1.0'), ('1.1', '1.0'), ('1.2', '1.0')],
        'service': [('1.0', '1.0'), ('1.1', '1.0'), ('1.2', '1.0')],
        'provider_tree': [('1.1', '1.0'), ('1.2', '1.0')],
        'numa': [('1.2', '1.0')],
        'pci_devices': [('1.2', '1.0')],
    }

    child_defaults = ('resources', 'hypervisor', 'stats', 'service')

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)
        target = versionutils.convert_version_to_tuple(target_version)
        if target < (1, 2):
            primitive.pop('numa', None)
            primitive.pop('pci_devices', None)
        if target < (1, 1):
            primitive.pop('provider_tree', None)

    #: report_digest() of the primitive this object was received as
    #: (set by the RPC serializer), or None.
    wire_digest = None

    def obj_received(self, primitive):
        """Called by the RPC serializer with the primitive just read."""
        self.wire_digest = report_digest(primitive)

    def validate(self):
        """Raise InvalidReport naming the first impossible field, if any."""
        _check_identity(self)
        _check_resources(self.resources)
        _check_hypervisor(self.hypervisor)
        _check_stats(self.stats)
        if self.service is not None:
            _check_count(self.service, 'version', 'service.')
        for i, metric in enumerate(self.metrics or ()):
            if not metric.name:
                _invalid('metrics[%d].name' % i, 'is missing')
            if metric.value is not None and not math.isfinite(metric.value):
                _invalid('metrics[%d].value' % i,
                         '%r is not a finite number' % metric.value)
        if self.obj_attr_is_set('provider_tree') and self.provider_tree:
            resource_provider.validate_tree(self.uuid, self.provider_tree)
        if self.obj_attr_is_set('numa') and self.numa is not None:
            numa.validate(self.numa, _invalid)
        if self.obj_attr_is_set('pci_devices') and self.pci_devices:
            pci_device.validate(self.pci_devices, _invalid)


@base.GanttObjectRegistry.register
class ComputeNodeList(base.GanttObjectListBase, base.GanttObject):
    """Several node reports (a compute with many nodes, or a dump)."""

    # Version 1.0: Initial version
    # Version 1.1: ComputeNode 1.1
    # Version 1.2: ComputeNode 1.2
    VERSION = '1.2'

    fields = {
        'objects': fields.ListOfObjectsField('ComputeNode'),
    }

    obj_relationships = {
        'objects': [('1.0', '1.0'), ('1.1', '1.1'), ('1.2', '1.2')],
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)


def _invalid(field, reason):
    raise exception.InvalidReport(field=field, reason=reason)


def _check_identity(node):
    for name in ('uuid', 'host', 'hypervisor_hostname'):
        if not node.obj_attr_is_set(name) or not getattr(node, name):
            _invalid(name, 'is missing')
    if not uuidutils.is_uuid_like(node.uuid):
        _invalid('uuid', '%r is not a UUID' % node.uuid)
    if node.cell_uuid is not None and not uuidutils.is_uuid_like(
            node.cell_uuid):
        _invalid('cell_uuid', '%r is not a UUID' % node.cell_uuid)
    if node.report_seq is None or node.report_seq < 0:
        _invalid('report_seq', '%r is not a non-negative integer'
                 % node.report_seq)


def _check_count(obj, name, prefix, maximum=None):
    value = getattr(obj, name)
    if value is None:
        return
    if value < 0:
        _invalid(prefix + name, '%r is negative' % value)
    if maximum is not None and value > maximum:
        _invalid(prefix + name, '%r is above the limit %d' % (value, maximum))


def _check_resources(res):
    if res is None:
        _invalid('resources', 'is missing')
    limit = fields.MAX_RESOURCE_TOTAL
    for total_name in _TOTALS:
        if getattr(res, total_name) is None:
            _invalid('resources.' + total_name, 'is missing')
        _check_count(res, total_name, 'resources.', limit)
        reserved_name = _RESERVED[total_name]
        _check_count(res, reserved_name, 'resources.', limit)
        total = getattr(res, total_name)
        reserved = getattr(res, reserved_name) or 0
        if reserved > total:
            _invalid('resources.' + reserved_name,
                     '%d is above the total %s %d'
                     % (reserved, total_name, total))
    for used_name in _USED:
        _check_count(res, used_name, 'resources.', limit)
    for ratio_name in _RATIOS:
        ratio = getattr(res, ratio_name)
        if ratio is None:
            _invalid('resources.' + ratio_name, 'is missing')
        # Written so that NaN fails too.
        if not 0.0 < ratio <= fields.MAX_ALLOCATION_RATIO:
            _invalid('resources.' + ratio_name,
                     '%r is not in (0, %g]'
                     % (ratio, fields.MAX_ALLOCATION_RATIO))


def _check_hypervisor(hyp):
    if hyp is None:
        return
    _check_count(hyp, 'hypervisor_version', 'hypervisor.')
    if hyp.host_ip is not None and not netutils.is_valid_ip(hyp.host_ip):
        _invalid('hypervisor.host_ip', '%r is not an IP address'
                 % hyp.host_ip)


def _check_stats(stats):
    if stats is None:
        return
    for name in _STATS:
        _check_count(stats, name, 'stats.', limits.CURRENT.max_count)
