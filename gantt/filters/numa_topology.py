"""NUMATopologyFilter: keep hosts whose NUMA cells can take the guest
topology the flavor and image ask for (pinned CPUs with their thread
policy, huge pages, shared CPUs and memory per cell within the allocation
ratios, PCI devices with their NUMA affinity).

Cheap column checks (gantt.numa_columns) rule out most hosts at once; the
exact fit (gantt.numa_fit) runs only on the hosts they leave.
"""

import numpy as np

from gantt.filters import base
from gantt import numa_columns
from gantt import numa_placement
from gantt import numa_why


class NUMATopologyFilter(base.VectorFilter):
    """Remove hosts on whose NUMA cells the guest topology does not fit."""

    reason = 'guest NUMA topology does not fit'
    explains = True

    def filter_mask(self, hosts, request):
        constraints = request.numa
        if constraints.topology is None:
            return base.all_rows(hosts)
        mask = numa_columns.cheap_mask(hosts, constraints)
        kept = request.placing.numa_fitted
        for row in np.flatnonzero(mask & hosts.valid[:hosts.n]):
            placement = numa_placement.fitted(hosts, row, constraints)
            mask[row] = placement is not None
            if placement is not None:
                # What the claim takes if this host is chosen.
                kept[int(row)] = placement
        return mask

    def why(self, hosts, request, rows):
        return numa_why.summary(hosts, rows, request.numa)

    def host_passes(self, host_view, request):
        constraints = request.numa
        if constraints.topology is None:
            return True
        return numa_placement.fitted(host_view.state, host_view.row,
                                     constraints) is not None
