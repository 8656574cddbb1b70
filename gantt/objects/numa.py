"""A compute's NUMA topology as it reports it: cells with their CPUs,
memory and huge page pools, and what instances already use of them.

A cell's ``cpuset`` is the compute's cpu_shared_set on that cell (vCPUs of
unpinned instances float over it), ``pcpuset`` its cpu_dedicated_set (each
pinned vCPU takes one of these); memory is in MiB, page sizes in KiB.
"""

from gantt.objects import base
from gantt.objects import fields


@base.GanttObjectRegistry.register
class NUMAPagesTopology(base.GanttObject):
    """One page size's pool on a cell: ``total`` pages of ``size_kb``,
    ``used`` by instances and ``reserved`` for the host."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'size_kb': fields.IntegerField(),
        'total': fields.IntegerField(default=0),
        'used': fields.IntegerField(default=0),
        'reserved': fields.IntegerField(default=0),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)


@base.GanttObjectRegistry.register
class NUMACell(base.GanttObject):
    """One host NUMA cell.

    ``siblings`` lists the hyperthread sibling sets of the cell's CPUs;
    ``pinned_cpus`` are the pCPUs of ``pcpuset`` pinned instances hold;
    ``cpu_usage`` counts the shared vCPUs placed on ``cpuset`` and
    ``memory_usage`` the MiB instances use; ``socket`` groups cells for
    the socket PCI affinity policy.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'cpuset': fields.ListOfIntegersField(default=[]),
        'pcpuset': fields.ListOfIntegersField(default=[]),
        'siblings': fields.ListOfListsOfIntegersField(default=[]),
        'memory': fields.IntegerField(default=0),
        'memory_usage': fields.IntegerField(default=0),
        'cpu_usage': fields.IntegerField(default=0),
        'pinned_cpus': fields.ListOfIntegersField(default=[]),
        'mempages': fields.ListOfObjectsField('NUMAPagesTopology',
                                              default=[]),
        'socket': fields.IntegerField(nullable=True, default=None),
    }

    obj_relationships = {
        'mempages': [('1.0', '1.0')],
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)


@base.GanttObjectRegistry.register
class NUMATopology(base.GanttObject):
    """Every NUMA cell of one compute node."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'cells': fields.ListOfObjectsField('NUMACell', default=[]),
    }

    obj_relationships = {
        'cells': [('1.0', '1.0')],
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)


def validate(topology, invalid):
    """Call ``invalid(field, reason)`` for the first impossible figure of
    ``topology`` (a NUMATopology)."""
    seen = set()
    for i, cell in enumerate(topology.cells or ()):
        where = 'numa.cells[%d].' % i
        if cell.id in seen:
            invalid(where + 'id', '%r appears twice' % cell.id)
        seen.add(cell.id)
        shared, dedicated = set(cell.cpuset), set(cell.pcpuset)
        if shared & dedicated:
            invalid(where + 'pcpuset', 'shares CPUs %s with cpuset'
                    % sorted(shared & dedicated))
        if not set(cell.pinned_cpus) <= dedicated:
            invalid(where + 'pinned_cpus', '%s are not in pcpuset'
                    % sorted(set(cell.pinned_cpus) - dedicated))
        for name in ('memory', 'memory_usage', 'cpu_usage'):
            if getattr(cell, name) < 0:
                invalid(where + name, '%r is negative' % getattr(cell, name))
        for j, pages in enumerate(cell.mempages or ()):
            at = where + 'mempages[%d].' % j
            if pages.size_kb <= 0:
                invalid(at + 'size_kb', '%r is not positive' % pages.size_kb)
            for name in ('total', 'used', 'reserved'):
                if getattr(pages, name) < 0:
                    invalid(at + name, '%r is negative'
                            % getattr(pages, name))
