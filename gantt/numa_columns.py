"""NUMA and PCI columns of the host store, and the cheap checks on them.

Each host row keeps its NUMA cells (gantt.numa_fit.HostCell) and PCI pools
(gantt.pci_pools.Pool), a few host figures (cells, free pCPUs, threads,
free PCI devices) and a per-cell table (:class:`CellTable`: CPUs, free
pCPUs, memory, page pools) for the first MAX_CELLS cells. From these,
numpy decides over every host at once what is necessary for a guest cell
to fit some host cell and a PCI request to find devices
(:func:`cheap_mask`); only the survivors get the exact fit.
"""

import numpy as np

from gantt import fit as fit_rule
from gantt import numa_request
from gantt import pci_pools

INT = ('numa_cell_count', 'numa_free_pcpus', 'pci_free')
BOOL = ('numa_has_threads',)
LISTS = ('numa_cells', 'pci_pools')

# Cells per host the table holds; a host with more passes the per-cell
# checks and is left to the exact fit.
MAX_CELLS = 8

_CELL_FIELDS = ('shared', 'dedicated', 'free_pcpus', 'memory', 'avail',
                'cpu_usage', 'small_free_kb', 'small_total_kb',
                'large_free_kb', 'any_free_kb', 'isolate_cap',
                'require_cap')


class CellTable(object):
    """One [rows, MAX_CELLS] array per cell figure; -1 where no cell."""

    def __init__(self):
        self.rows = 0
        for name in _CELL_FIELDS:
            setattr(self, name, np.full((0, MAX_CELLS), -1, np.int64))
        self.has_pages = np.zeros((0, MAX_CELLS), bool)
        self.overflow = np.zeros(0, bool)

    def _grow(self, row):
        if row < self.rows:
            return
        rows = max(64, 2 * (row + 1))
        for name in _CELL_FIELDS + ('has_pages',):
            old = getattr(self, name)
            new = np.full((rows, MAX_CELLS), -1 if old.dtype != bool
                          else False, old.dtype)
            new[:self.rows] = old
            setattr(self, name, new)
        overflow = np.zeros(rows, bool)
        overflow[:self.rows] = self.overflow
        self.overflow = overflow
        self.rows = rows

    def set(self, row, cells):
        self._grow(row)
        for name in _CELL_FIELDS:
            getattr(self, name)[row] = -1
        self.has_pages[row] = False
        self.overflow[row] = len(cells) > MAX_CELLS
        for k, c in enumerate(cells[:MAX_CELLS]):
            self.shared[row, k] = len(c.cpuset)
            self.dedicated[row, k] = len(c.pcpuset)
            self.free_pcpus[row, k] = len(c.free_pcpus)
            self.memory[row, k] = c.memory
            self.avail[row, k] = c.avail_memory
            self.cpu_usage[row, k] = c.cpu_usage
            self.isolate_cap[row, k], self.require_cap[row, k] = (
                _thread_caps(c))
            if c.mempages:
                self.has_pages[row, k] = True
                pages = sorted(c.mempages, key=lambda p: p.size_kb)
                self.small_free_kb[row, k] = pages[0].free * pages[0].size_kb
                self.small_total_kb[row, k] = (pages[0].total
                                               * pages[0].size_kb)
                self.large_free_kb[row, k] = max(
                    (p.free * p.size_kb for p in pages[1:]), default=-1)
                self.any_free_kb[row, k] = max(p.free * p.size_kb
                                               for p in pages)

    def view(self, n):
        """The table's first `n` rows (grown as needed)."""
        if n:
            self._grow(n - 1)
        return n


def _thread_caps(cell):
    """(vCPUs the isolate policy can pin on `cell`, vCPUs the require
    policy can): whole free cores, and the most threads of cores with at
    least two free threads."""
    per_core = max((len(s) for s in cell.siblings), default=0) or 1
    free = [len(s & cell.free_pcpus) for s in cell.siblings]
    isolate = sum(1 for f in free if f == per_core)
    if per_core != 1 and cell.pcpuset != cell.cpuset:
        isolate = 0
    require = 0
    if per_core > 1:
        require = max((t * sum(1 for f in free if f >= t)
                       for t in range(2, per_core + 1)), default=0)
    return isolate, require


def table(hosts):
    found = getattr(hosts, 'numa_table', None)
    if found is None:
        found = hosts.numa_table = CellTable()
        hosts.numa_pci_counts = {}
    return found


def set_row(hosts, row, cells, pools):
    """Host `row` has NUMA `cells` and PCI `pools` now."""
    cells = tuple(cells or ())
    pools = tuple(pools or ())
    hosts.numa_cells[row] = cells
    hosts.pci_pools[row] = pools
    hosts.numa_cell_count[row] = len(cells)
    hosts.numa_free_pcpus[row] = sum(len(c.free_pcpus) for c in cells)
    hosts.pci_free[row] = sum(p.count for p in pools)
    hosts.numa_has_threads[row] = any(c.has_threads for c in cells)
    table(hosts).set(row, cells)
    for key, (request, counts) in list(hosts.numa_pci_counts.items()):
        if row < len(counts):
            counts[row] = _usable(pools, request)
        else:
            del hosts.numa_pci_counts[key]


def _usable(pools, request):
    """Devices of `pools` that `request` may take, NUMA aside."""
    found = pci_pools.candidates(pools, request)
    return sum(p.count for p in found) if found else 0


def pci_counts(hosts, request):
    """Per host row, the devices `request` may take (NUMA aside); kept up
    to date by set_row once asked for."""
    table(hosts)
    key = repr((request.specs, request.count))
    got = hosts.numa_pci_counts.get(key)
    if got is None or len(got[1]) < len(hosts.pci_pools):
        counts = np.zeros(len(hosts.pci_pools), np.int64)
        for row in range(hosts.n):
            pools = hosts.pci_pools[row]
            if pools:
                counts[row] = _usable(pools, request)
        got = hosts.numa_pci_counts[key] = (request, counts)
    return got[1]


def _cells_ok(t, n, guest, topo, reserved, cpu_ratio, ram_ratio):
    """[n, MAX_CELLS]: host cells where `guest` passes every per-cell
    check that does not depend on the order of the search."""
    mem, mem_kb = guest.memory, guest.memory * 1024
    exists = t.memory[:n] >= 0
    ok = exists.copy()
    pinned = topo.pinned
    size = topo.pagesize
    if size:
        if size == numa_request.PAGES_LARGE:
            room = t.large_free_kb[:n]
        elif size == numa_request.PAGES_SMALL:
            room = t.small_free_kb[:n]
        else:
            room = t.any_free_kb[:n]
        ok &= room >= mem_kb
    else:
        pages = t.has_pages[:n]
        plain = t.avail[:n] >= mem if pinned else t.memory[:n] >= mem
        paged = (t.small_free_kb[:n] if pinned
                 else t.small_total_kb[:n]) >= mem_kb
        ok &= np.where(pages, paged, plain)
    if pinned:
        need = len(guest.pcpuset) + reserved
        ok &= (t.dedicated[:n] >= need) & (t.free_pcpus[:n] >= need)
        if topo.thread_policy == numa_request.ISOLATE:
            ok &= t.isolate_cap[:n] >= max(len(guest.pcpuset), 1)
        elif topo.thread_policy == numa_request.REQUIRE:
            ok &= t.require_cap[:n] >= len(guest.pcpuset)
    if topo.cpu_policy in (None, numa_request.SHARED, numa_request.MIXED):
        shared = len(guest.cpuset)
        ok &= t.shared[:n] >= shared
        cap = np.floor(t.shared[:n] * cpu_ratio[:, None] + fit_rule.EPSILON)
        ok &= fit_rule.has_room(cap, t.cpu_usage[:n], shared)
        ram = np.floor(t.memory[:n] * ram_ratio[:, None] + fit_rule.EPSILON)
        ok &= fit_rule.has_room(ram, t.memory[:n] - t.avail[:n], mem)
    return ok


def cheap_mask(hosts, constraints):
    """Rows that may fit `constraints` (a numa_request.Constraints): False
    only where the exact fit would fail for sure."""
    n = hosts.n
    mask = np.ones(n, dtype=bool)
    topo = constraints.topology
    if topo is not None:
        cells = len(topo.cells)
        mask &= hosts.numa_cell_count[:n] >= cells
        if topo.pinned:
            need = sum(len(c.pcpuset) for c in topo.cells)
            extra = 1 if topo.emulator_threads_isolated else 0
            mask &= hosts.numa_free_pcpus[:n] >= need + extra
            if topo.thread_policy == numa_request.REQUIRE:
                mask &= hosts.numa_has_threads[:n]
        t = table(hosts)
        t.view(n)
        cpu_ratio = hosts.res['VCPU'].ratio[:n]
        ram_ratio = hosts.res['MEMORY_MB'].ratio[:n]
        some = np.zeros((n, MAX_CELLS), bool)
        for index, guest in enumerate(topo.cells):
            reserved = 1 if topo.emulator_threads_isolated and not index \
                else 0
            ok = _cells_ok(t, n, guest, topo, reserved, cpu_ratio,
                           ram_ratio)
            mask &= ok.any(axis=1) | t.overflow[:n]
            some |= ok
        if cells > 1:
            mask &= (some.sum(axis=1) >= cells) | t.overflow[:n]
    for request in constraints.pci:
        mask &= pci_counts(hosts, request)[:n] >= request.count
    return mask


def consume(hosts, row, fitted):
    """Account placement `fitted` (numa_fit.Fitted), just claimed, on host
    `row` until the node reports it: its pCPUs pinned, its shared vCPUs
    and memory used on their cells, its pages used, its devices taken.
    (A released claim is not given back here: the row stays the busier
    until the node's next report, which never over-commits.)"""
    by_cell = {c.host_id: c for c in fitted.cells}
    cells = []
    for cell in hosts.numa_cells[row] or ():
        got = by_cell.get(cell.id)
        if got is not None:
            pinned = (cell.pinned | frozenset(got.pinning.values())
                      | got.reserved)
            pages = cell.mempages
            if got.pagesize:
                count = got.memory * 1024 // got.pagesize
                pages = tuple(p._replace(used=p.used + count)
                              if p.size_kb == got.pagesize else p
                              for p in pages)
            cell = cell._replace(
                pinned=pinned, free_pcpus=cell.pcpuset - pinned,
                mempages=pages, cpu_usage=cell.cpu_usage + got.shared,
                memory_usage=cell.memory_usage + got.memory)
        cells.append(cell)
    taken = {a for devices in fitted.pci for a in devices}
    pools = hosts.pci_pools[row] or ()
    if taken:
        pools = tuple(p._replace(addresses=tuple(
            a for a in p.addresses if a not in taken)) for p in pools)
        pools = tuple(p for p in pools if p.addresses)
    set_row(hosts, row, cells, pools)


def ratios(hosts, row):
    """(cpu, ram) allocation ratios of host `row`'s VCPU and MEMORY_MB."""
    return (float(hosts.res['VCPU'].ratio[row]),
            float(hosts.res['MEMORY_MB'].ratio[row]))
