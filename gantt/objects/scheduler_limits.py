"""SchedulerLimits: the oversubscription limits a selected host reported."""

from oslo_serialization import jsonutils

from gantt.objects import base
from gantt.objects import fields

_RATIOS = ('cpu_allocation_ratio', 'ram_allocation_ratio')


@base.GanttObjectRegistry.register
class SchedulerLimits(base.GanttObject):
    """Limits the compute enforces; None means no limit.

    ``numa_topology`` is JSON text until NUMA limits are typed: for a
    request with a guest NUMA topology on a host with NUMA cells, the
    host's ``{"cpu_allocation_ratio": x, "ram_allocation_ratio": y}``
    its cells are fitted with (see :meth:`with_numa_ratios`).
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

    def with_numa_ratios(self, cpu_allocation_ratio, ram_allocation_ratio):
        """Name the allocation ratios a guest NUMA topology was fitted
        with; returns self."""
        self.numa_topology = jsonutils.dumps(
            {'cpu_allocation_ratio': float(cpu_allocation_ratio),
             'ram_allocation_ratio': float(ram_allocation_ratio)},
            sort_keys=True)
        return self

    def numa_ratios(self):
        """{'cpu_allocation_ratio', 'ram_allocation_ratio'} named by
        ``numa_topology``, or None when it names none (or is not the JSON
        with_numa_ratios writes)."""
        text = base.field(self, 'numa_topology')
        if not text:
            return None
        try:
            got = jsonutils.loads(text)
        except ValueError:
            return None
        if not isinstance(got, dict) or not all(
                isinstance(got.get(n), (int, float)) and
                not isinstance(got.get(n), bool) for n in _RATIOS):
            return None
        return {n: float(got[n]) for n in _RATIOS}
