"""NUMA and PCI columns of the host store, and the cheap checks on them.

Each host row keeps its NUMA cells (gantt.numa_fit.HostCell) and PCI pools
(gantt.pci_pools.Pool), plus a few figures summarised from them: cells,
free pCPUs in all and on the best cell, whether cores have threads, the
most free memory of one page pool on one cell, free PCI devices. The
figures give necessary conditions that numpy checks over every host at
once (:func:`cheap_mask`); only the survivors get the exact fit.
"""

import numpy as np

INT = ('numa_cell_count', 'numa_free_pcpus', 'numa_cell_free_pcpus',
       'numa_page_free_kb', 'pci_free')
BOOL = ('numa_has_threads',)
LISTS = ('numa_cells', 'pci_pools')


def set_row(hosts, row, cells, pools):
    """Host `row` has NUMA `cells` and PCI `pools` now."""
    cells = tuple(cells or ())
    pools = tuple(pools or ())
    hosts.numa_cells[row] = cells
    hosts.pci_pools[row] = pools
    free = [len(c.free_pcpus) for c in cells]
    hosts.numa_cell_count[row] = len(cells)
    hosts.numa_free_pcpus[row] = sum(free)
    hosts.numa_cell_free_pcpus[row] = max(free, default=0)
    hosts.numa_page_free_kb[row] = max(
        (p.free * p.size_kb for c in cells for p in c.mempages), default=0)
    hosts.pci_free[row] = sum(p.count for p in pools)
    hosts.numa_has_threads[row] = any(c.has_threads for c in cells)


def cheap_mask(hosts, constraints):
    """Rows that may fit `constraints` (a numa_request.Constraints): False
    only where the exact fit would fail for sure."""
    n = hosts.n
    mask = np.ones(n, dtype=bool)
    topo = constraints.topology
    if topo is not None:
        mask &= hosts.numa_cell_count[:n] >= len(topo.cells)
        if topo.pinned:
            need = [len(c.pcpuset) for c in topo.cells]
            extra = 1 if topo.emulator_threads_isolated else 0
            mask &= hosts.numa_free_pcpus[:n] >= sum(need) + extra
            mask &= hosts.numa_cell_free_pcpus[:n] >= max(need)
            if topo.thread_policy == 'require':
                mask &= hosts.numa_has_threads[:n]
        if topo.pagesize:
            largest = max(c.memory for c in topo.cells) * 1024
            mask &= hosts.numa_page_free_kb[:n] >= largest
    if constraints.pci:
        mask &= hosts.pci_free[:n] >= sum(r.count for r in constraints.pci)
    return mask


def ratios(hosts, row):
    """(cpu, ram) allocation ratios of host `row`'s VCPU and MEMORY_MB."""
    return (float(hosts.res['VCPU'].ratio[row]),
            float(hosts.res['MEMORY_MB'].ratio[row]))
