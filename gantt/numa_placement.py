"""The NUMA and PCI placement a request needs on one host row.

The claim path asks :func:`fitted` for every instance whose request names
a guest topology or PCI devices, whatever filters are enabled: the pCPUs,
pages and devices a claim takes never depend on NUMATopologyFilter being
in the list. A PCI-only request (no guest topology) gets its devices
without NUMA affinity, as the compute controller gives them.
"""

from gantt import numa_columns
from gantt import numa_fit
from gantt import pci_pools


def needed(constraints):
    """Whether a request with `constraints` claims a NUMA/PCI placement."""
    return not constraints.empty


def fitted(hosts, row, constraints):
    """The numa_fit.Fitted placement of `constraints` (a
    numa_request.Constraints) on host `row`, or None when it does not fit
    there."""
    pools = hosts.pci_pools[row] or ()
    if constraints.topology is None:
        devices = pci_pools.take(pools, constraints.pci)
        return None if devices is None else numa_fit.Fitted((), tuple(
            tuple(d) for d in devices))
    cpu_ratio, ram_ratio = numa_columns.ratios(hosts, row)
    return numa_fit.fit(hosts.numa_cells[row] or (), constraints.topology,
                        cpu_ratio, ram_ratio, pools, constraints.pci)
