"""nova's Selection and SchedulerLimits: what Gantt answers a conductor with.

Both declare every field nova 34 has, so their fingerprints are nova's.
Selection 1.1 added availability_zone; it is dropped for older callers.
"""

from oslo_utils import versionutils
from oslo_versionedobjects import fields

from gantt.nova import base


@base.register
class NUMATopologyLimits(base.NovaObject):
    """The allocation ratios a guest NUMA topology was fitted with, and
    the request's networks: what nova's compute checks its claim of the
    topology against. Sent for a request with a guest NUMA topology on a
    host with NUMA cells."""

    # Version 1.1: Added network_metadata
    VERSION = '1.1'

    fields = {
        'cpu_allocation_ratio': fields.FloatField(),
        'ram_allocation_ratio': fields.FloatField(),
        'network_metadata': fields.ObjectField('NetworkMetadata'),
    }

    obj_relationships = {
        'network_metadata': [('1.1', '1.0')],
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)
        if versionutils.convert_version_to_tuple(target_version) < (1, 1):
            primitive.pop('network_metadata', None)


@base.register
class SchedulerLimits(base.NovaObject):
    VERSION = '1.0'

    fields = {
        'numa_topology': fields.ObjectField('NUMATopologyLimits',
                                            nullable=True, default=None),
        'vcpu': fields.IntegerField(nullable=True, default=None),
        'disk_gb': fields.IntegerField(nullable=True, default=None),
        'memory_mb': fields.IntegerField(nullable=True, default=None),
    }

    obj_relationships = {
        'numa_topology': [('1.0', '1.1')],
    }

    def to_dict(self):
        """The limits a legacy (pre-Selection) caller gets: those set."""
        return {name: getattr(self, name) for name in self.fields
                if self.obj_attr_is_set(name) and
                getattr(self, name) is not None}


@base.register
class Selection(base.NovaObject):
    # Version 1.0: Initial version
    # Version 1.1: Added availability_zone
    VERSION = '1.1'

    fields = {
        'compute_node_uuid': fields.UUIDField(),
        'service_host': fields.StringField(),
        'nodename': fields.StringField(),
        'cell_uuid': fields.UUIDField(),
        'limits': fields.ObjectField('SchedulerLimits', nullable=True),
        'allocation_request': fields.StringField(nullable=True),
        'allocation_request_version': fields.StringField(nullable=True),
        'availability_zone': fields.StringField(nullable=True),
    }

    obj_relationships = {
        'limits': [('1.0', '1.0')],
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)
        if versionutils.convert_version_to_tuple(target_version) < (1, 1):
            primitive.pop('availability_zone', None)

    def to_dict(self):
        """What a caller that does not take Selection objects gets."""
        limits = self.limits.to_dict() if self.limits is not None else {}
        return {'host': self.service_host, 'nodename': self.nodename,
                'limits': limits}
