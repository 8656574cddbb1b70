"""PciPassthroughFilter: keep hosts with free PCI devices for every
``pci_passthrough:alias`` request of the flavor (NUMA affinity aside,
which NUMATopologyFilter checks with the cells the guest gets)."""

import numpy as np

from gantt.filters import base
from gantt import numa_columns
from gantt import numa_why
from gantt import pci_pools


class PciPassthroughFilter(base.VectorFilter):
    """Remove hosts without the PCI devices the flavor's aliases ask."""

    reason = 'not enough matching free PCI devices'
    explains = True

    def filter_mask(self, hosts, request):
        requests = request.numa.pci
        if not requests:
            return base.all_rows(hosts)
        mask = numa_columns.cheap_mask(hosts, request.numa._replace(
            topology=None))
        if len(requests) == 1:
            # One request: the count of usable devices decides.
            return mask
        for row in np.flatnonzero(mask & hosts.valid[:hosts.n]):
            mask[row] = pci_pools.support(hosts.pci_pools[row] or (),
                                          requests)
        return mask

    def why(self, hosts, request, rows):
        # NUMA affinity aside: NUMATopologyFilter words that.
        return numa_why.summary(hosts, rows,
                                request.numa._replace(topology=None))

    def host_passes(self, host_view, request):
        requests = request.numa.pci
        if not requests:
            return True
        return pci_pools.support(
            host_view.state.pci_pools[host_view.row] or (), requests)
