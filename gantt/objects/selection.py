"""Selection: one host chosen (or offered as an alternate) for an instance."""

import json

from oslo_utils import versionutils

from gantt.objects import base
from gantt.objects import fields
from gantt.objects import instance_numa  # noqa: F401 (registers it)
from gantt.objects import scheduler_limits  # noqa: F401 (registers the class)

ALLOCATION_REQUEST_VERSION = '1.36'


@base.GanttObjectRegistry.register
class Selection(base.GanttObject):
    """A destination with the allocation request that claims it.

    ``allocation_request`` is the JSON text of a placement-shaped allocation
    request, at microversion ``allocation_request_version``. ``weight`` is
    the host's total weight when the scheduler ranked it (None otherwise),
    for conductors and explanations; higher ranked better.
    ``numa_topology`` (an InstanceNUMATopology) is the guest topology and
    PCI devices claimed on the primary host (None on alternates and for
    requests that ask neither): the compute applies exactly that.
    """

    # Version 1.0: Initial version
    # Version 1.1: Added weight
    # Version 1.2: Added numa_topology
    VERSION = '1.2'

    fields = {
        'compute_node_uuid': fields.UUIDField(nullable=True, default=None),
        'service_host': fields.StringField(nullable=True, default=None),
        'nodename': fields.StringField(nullable=True, default=None),
        'cell_uuid': fields.UUIDField(nullable=True, default=None),
        'limits': fields.ObjectField('SchedulerLimits', nullable=True,
                                     default=None),
        'allocation_request': fields.StringField(nullable=True,
                                                 default=None),
        'allocation_request_version': fields.StringField(nullable=True,
                                                         default=None),
        'availability_zone': fields.StringField(nullable=True, default=None),
        'weight': fields.FloatField(nullable=True, default=None),
        'numa_topology': fields.ObjectField('InstanceNUMATopology',
                                            nullable=True, default=None),
    }

    obj_relationships = {
        'limits': [('1.0', '1.0'), ('1.1', '1.0'), ('1.2', '1.0')],
        'numa_topology': [('1.2', '1.0')],
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)
        target = versionutils.convert_version_to_tuple(target_version)
        if target < (1, 1):
            primitive.pop('weight', None)
        if target < (1, 2):
            primitive.pop('numa_topology', None)

    @classmethod
    def from_host(cls, host, allocation_request=None,
                  allocation_request_version=ALLOCATION_REQUEST_VERSION,
                  limits=None, weight=None):
        """Build from anything with ``uuid``, ``host``, ``nodename``.

        ``cell_uuid`` and ``availability_zone`` are read when present; a
        dict ``allocation_request`` is dumped to JSON.
        """
        if isinstance(allocation_request, dict):
            allocation_request = json.dumps(allocation_request,
                                            sort_keys=True)
        if allocation_request is None:
            allocation_request_version = None
        return cls(
            compute_node_uuid=host.uuid,
            service_host=host.host,
            nodename=host.nodename,
            cell_uuid=getattr(host, 'cell_uuid', None),
            availability_zone=getattr(host, 'availability_zone', None),
            limits=limits,
            allocation_request=allocation_request,
            allocation_request_version=allocation_request_version,
            weight=None if weight is None else float(weight))
