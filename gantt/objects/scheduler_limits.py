"""SchedulerLimits: the oversubscription limits a selected host reported."""

from gantt.objects import base
from gantt.objects import fields


@base.GanttObjectRegistry.register
class SchedulerLimits(base.GanttObject):
    """Limits the compute enforces; None means no limit.

    ``numa_topology`` is a JSON text placeholder until NUMA limits are typed.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'numa_topology': fields.StringField(nullable=True, default=None),
        'vcpu': fields.IntegerField(nullable=True, default=None),
        'disk_gb': fields.IntegerField(nullable=True, default=None),
        'memory_mb': fields.IntegerField(nullable=True, default=None),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)
