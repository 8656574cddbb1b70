"""Fit a guest NUMA topology onto one host's NUMA cells.

The host's cells are plain values (:class:`HostCell`, read once from a
report by :func:`host_cells`); :func:`fit` tries the host cells for each
guest cell as the compute controller does (same order, same rules: shared
CPUs and memory within the allocation ratios, pinned CPUs one to one with
the thread policies, huge pages never over-committed, PCI devices with
their NUMA affinity), and returns the first :class:`Fitted` topology, or
None. Per-cell capacity checks go through gantt.fit.
"""

import collections
import itertools
import typing

from gantt import fit as fit_rule
from gantt import numa_request
from gantt import pci_pools
from gantt.objects import base as obj_base


class Pages(typing.NamedTuple):
    size_kb: int
    total: int
    used: int
    reserved: int

    @property
    def free(self):
        return self.total - self.used - self.reserved


class HostCell(typing.NamedTuple):
    id: int
    cpuset: frozenset
    pcpuset: frozenset
    siblings: tuple
    memory: int
    memory_usage: int
    cpu_usage: int
    pinned: frozenset
    mempages: tuple
    socket: typing.Optional[int]
    # pcpuset - pinned, kept: every check of a pinned guest reads it.
    free_pcpus: frozenset = frozenset()

    @property
    def avail_memory(self):
        return self.memory - self.memory_usage

    @property
    def has_threads(self):
        return any(len(s) > 1 for s in self.siblings)


class FittedCell(typing.NamedTuple):
    """Where one guest cell goes: the host cell, vCPU -> pCPU pins, the
    pCPUs set aside for emulator threads, and the page size used."""

    guest_id: int
    host_id: int
    pinning: dict
    reserved: frozenset
    pagesize: typing.Optional[int]
    memory: int
    # The guest cell's shared vCPUs (counted in the host cell's cpu_usage).
    shared: int = 0


class Fitted(typing.NamedTuple):
    cells: tuple
    pci: tuple


def host_cells(topology):
    """HostCells of a NUMATopology object (or its primitive-like values);
    an empty tuple for None."""
    get = obj_base.field
    cells = []
    for cell in get(topology, 'cells', None) or ():
        pages = tuple(Pages(get(p, 'size_kb'), get(p, 'total', 0),
                            get(p, 'used', 0), get(p, 'reserved', 0))
                      for p in get(cell, 'mempages', None) or ())
        cells.append(HostCell(
            id=get(cell, 'id'),
            cpuset=frozenset(get(cell, 'cpuset', None) or ()),
            pcpuset=frozenset(get(cell, 'pcpuset', None) or ()),
            siblings=tuple(frozenset(s)
                           for s in get(cell, 'siblings', None) or ()),
            memory=get(cell, 'memory', 0) or 0,
            memory_usage=get(cell, 'memory_usage', 0) or 0,
            cpu_usage=get(cell, 'cpu_usage', 0) or 0,
            pinned=frozenset(get(cell, 'pinned_cpus', None) or ()),
            mempages=pages,
            socket=get(cell, 'socket', None)))
    return tuple(_with_free(c) for c in cells)


def _with_free(cell):
    return cell._replace(free_pcpus=cell.pcpuset - cell.pinned)


def host_cells_from_dicts(cells):
    """HostCells of cell dicts with a NUMACell's field names."""
    cells = tuple(HostCell(
        id=c['id'], cpuset=frozenset(c.get('cpuset') or ()),
        pcpuset=frozenset(c.get('pcpuset') or ()),
        siblings=tuple(frozenset(s) for s in c.get('siblings') or ()),
        memory=c.get('memory', 0), memory_usage=c.get('memory_usage', 0),
        cpu_usage=c.get('cpu_usage', 0),
        pinned=frozenset(c.get('pinned_cpus') or ()),
        mempages=tuple(Pages(p['size_kb'], p.get('total', 0),
                             p.get('used', 0), p.get('reserved', 0))
                       for p in c.get('mempages') or ()),
        socket=c.get('socket')) for c in cells or ())
    return tuple(_with_free(c) for c in cells)


def page_limits(cells):
    """{(cell id, page size): total less reserved pages} of HostCells:
    the page_limits a NUMA claim on that host takes."""
    return {(c.id, p.size_kb): p.total - p.reserved
            for c in cells for p in c.mempages}


# -- memory --------------------------------------------------------------

def _page_fits(cell, size_kb, memory_kb, use_free=True):
    """Whether `memory_kb` fits pages of `size_kb` (None when the cell has
    no such pool)."""
    for pages in cell.mempages:
        if pages.size_kb == size_kb:
            avail = (pages.free if use_free else pages.total) * size_kb
            return memory_kb <= avail and memory_kb % size_kb == 0
    return None


def _pick_pagesize(cell, wanted, memory_kb):
    sizes = sorted((p.size_kb for p in cell.mempages), reverse=True)
    if wanted == numa_request.PAGES_SMALL:
        sizes = sizes[-1:]
    elif wanted == numa_request.PAGES_LARGE:
        sizes = sizes[:-1]
    elif wanted != numa_request.PAGES_ANY:
        sizes = [wanted]
    for size in sizes:
        if _page_fits(cell, size, memory_kb):
            return size
    return None


def _memory_ok(cell, guest, pinned, pagesize):
    """(fits, page size chosen)."""
    memory_kb = guest.memory * 1024
    if pagesize:
        chosen = _pick_pagesize(cell, pagesize, memory_kb)
        return chosen is not None, chosen
    if cell.mempages:
        smallest = min(p.size_kb for p in cell.mempages)
        return bool(_page_fits(cell, smallest, memory_kb,
                               use_free=pinned)), None
    if pinned:
        return cell.avail_memory >= guest.memory, None
    return cell.memory >= guest.memory, None


# -- pinning -------------------------------------------------------------

def _pins(threads, sibling_sets, vcpus):
    """vCPU -> pCPU pairs using `threads` threads of each core, or None."""
    if threads * len(sibling_sets) < len(vcpus):
        return None
    usable = itertools.chain.from_iterable(
        sorted(s)[:threads] for s in sibling_sets)
    return list(zip(sorted(vcpus), usable))


def _reserve(sibling_sets, pins, count, isolate=False):
    """`count` pCPUs for emulator threads besides `pins`, or None."""
    if not pins:
        return None
    if not count:
        return frozenset()
    cores = [sorted(s) for s in sibling_sets]
    for _vcpu, pcpu in pins:
        for core in cores:
            if pcpu in core:
                if isolate:
                    cores.remove(core)
                else:
                    core.remove(pcpu)
                break
    left = list(itertools.chain.from_iterable(cores))[:count]
    return frozenset(left) or None


def _pack(cell, guest, thread_policy, reserved):
    """(pins, reserved pCPUs) of the guest's dedicated vCPUs on `cell`
    under `thread_policy`, or None."""
    threads_per_core = max(map(len, cell.siblings), default=0) or 1
    free = cell.free_pcpus
    by_threads = collections.defaultdict(list)
    for core in cell.siblings:
        core_free = core & free
        for n in range(1, len(core_free) + 1):
            by_threads[n].append(core_free)
    vcpus = guest.pcpuset

    def ok(pins, spare):
        return pins is not None and not (reserved and not spare)

    if thread_policy == numa_request.ISOLATE:
        if threads_per_core not in by_threads:
            return None
        if threads_per_core != 1 and cell.pcpuset != cell.cpuset:
            return None
        pins = _pins(1, by_threads[threads_per_core], vcpus)
        spare = _reserve(by_threads[1], pins, reserved, isolate=True)
        # As in the controller, isolate finds no placement for a guest
        # cell without dedicated vCPUs (a mixed guest's shared-only cell).
        return (pins, spare) if pins and ok(pins, spare) else None
    require = thread_policy == numa_request.REQUIRE
    if require and threads_per_core <= 1:
        return None
    pins = spare = None
    threads = 1
    for threads, cores in sorted(by_threads.items(), reverse=True):
        if require and threads <= 1:
            continue
        pins = _pins(threads, cores, vcpus)
        spare = _reserve(by_threads[1], pins, reserved)
        if ok(pins, spare):
            break
    if not require and pins is None:
        singles = [frozenset([c]) for c in
                   itertools.chain.from_iterable(
                       sorted(s) for s in by_threads[1])]
        pins = _pins(threads, singles, vcpus)
        spare = _reserve(singles, pins, reserved)
    return (pins, spare) if ok(pins, spare) else None


# -- one cell ------------------------------------------------------------

def fit_cell(cell, guest, topo, cpu_ratio, ram_ratio, reserved=0):
    """The FittedCell of guest cell `guest` on host cell `cell`, or None.

    `reserved` is the number of extra pCPUs the cell must hold for
    isolated emulator threads.
    """
    return _fit_cell(cell, guest, topo, cpu_ratio, ram_ratio,
                     reserved)[0]


# Why a guest cell does not fit a host cell, in the order the checks run
# (a later one means the cell got further): gantt.numa_why words them.
NO_MEMORY, NO_PCPUS, NO_FREE_PCPUS, NO_SHARED_CPUS, NO_PINNING, NO_ROOM = (
    'memory', 'pcpus', 'free_pcpus', 'shared_cpus', 'pinning', 'room')
REFUSALS = (NO_MEMORY, NO_PCPUS, NO_FREE_PCPUS, NO_SHARED_CPUS, NO_PINNING,
            NO_ROOM)


def cell_refusal(cell, guest, topo, cpu_ratio, ram_ratio, reserved=0):
    """Why guest cell `guest` does not fit host cell `cell` (one of
    REFUSALS), or None when it fits."""
    return _fit_cell(cell, guest, topo, cpu_ratio, ram_ratio, reserved)[3]


def _fit_cell(cell, guest, topo, cpu_ratio, ram_ratio, reserved):
    """(FittedCell or None, the page size the memory check chose, whether
    the guest cell got as far as being pinned to the cell, why not)."""
    pinned = topo.pinned
    ok, pagesize = _memory_ok(cell, guest, pinned, topo.pagesize)
    if not ok:
        return None, None, False, NO_MEMORY
    shared = topo.cpu_policy in (None, numa_request.SHARED,
                                 numa_request.MIXED)
    if pinned and len(guest.pcpuset) + reserved > len(cell.pcpuset):
        return None, pagesize, False, NO_PCPUS
    if shared and len(guest.cpuset) > len(cell.cpuset):
        return None, pagesize, False, NO_SHARED_CPUS
    pins, spare = {}, frozenset()
    if pinned:
        if len(guest.pcpuset) + reserved > len(cell.free_pcpus):
            return None, pagesize, False, NO_FREE_PCPUS
        packed = _pack(cell, guest, topo.thread_policy, reserved)
        if packed is None:
            return None, pagesize, False, NO_PINNING
        pins, spare = dict(packed[0]), packed[1] or frozenset()
    if shared:
        cpu_cap = fit_rule.capacity(len(cell.cpuset), 0, cpu_ratio)
        ram_cap = fit_rule.capacity(cell.memory, 0, ram_ratio)
        if not (fit_rule.has_room(cpu_cap, cell.cpu_usage, len(guest.cpuset))
                and fit_rule.has_room(ram_cap, cell.memory_usage,
                                      guest.memory)):
            return None, pagesize, pinned, NO_ROOM
    return (FittedCell(guest.id, cell.id, pins, spare, pagesize,
                       guest.memory, len(guest.cpuset) if shared else 0),
            pagesize, True, None)


# -- whole host ----------------------------------------------------------

def _pci_per_cell(host_pools):
    counts = collections.Counter()
    for pool in host_pools:
        counts[pool.props.get('numa_node')] += pool.count
    return counts


def _ordered(cells, topo, host_pools, want_pci):
    """Host cells in the order they are tried: most free memory first,
    then least used shared CPUs (or most free pCPUs when pinned), then
    cells with PCI devices first when devices are asked, last when not."""
    cells = sorted(cells, reverse=True, key=lambda c: c.avail_memory)
    if topo.cpu_policy in (None, numa_request.SHARED):
        cells = sorted(cells, key=lambda c: c.cpu_usage)
    else:
        cells = sorted(cells, reverse=True, key=lambda c: len(c.free_pcpus))
    per_cell = _pci_per_cell(host_pools)
    return sorted(cells, reverse=bool(want_pci),
                  key=lambda c: per_cell.get(c.id, 0))


def fit(cells, topo, cpu_ratio, ram_ratio, host_pools=(), pci=()):
    """The Fitted placement of `topo` (a numa_request.Topology) on host
    `cells`, with the PCI requests `pci` served from `host_pools`; None
    when it does not fit."""
    if not cells or topo is None or len(cells) < len(topo.cells):
        return None
    if len(cells) > len(topo.cells):
        cells = _ordered(cells, topo, host_pools, pci)
    sockets = {c.id: c.socket for c in cells}
    # As in the controller, a guest cell that fitted takes the host cell's
    # id and its page size request narrows to the size its memory got on
    # the first cell that had room for it; pairs
    # already tried are keyed by (host cell id, guest cell's current id).
    pagesizes = [topo.pagesize] * len(topo.cells)
    ids = [g.id for g in topo.cells]
    tried = {}
    for perm in itertools.permutations(cells, len(topo.cells)):
        chosen = []
        for index, (cell, guest) in enumerate(zip(perm, topo.cells)):
            key = (cell.id, ids[index])
            known = tried.get(key)
            if known is False:
                break
            reserved = 1 if (topo.emulator_threads_isolated
                             and not chosen) else 0
            got, size, moved, _why = _fit_cell(
                cell, guest, topo._replace(pagesize=pagesizes[index]),
                cpu_ratio, ram_ratio, reserved)
            if known is None:
                tried[key] = got is not None
                if size and pagesizes[index]:
                    # Narrowed once the memory fits, even when the CPUs
                    # then do not.
                    pagesizes[index] = size
                if moved:
                    # Renamed once pinned, even when the limits then fail.
                    ids[index] = cell.id
            if got is None:
                # A pair the controller remembers as fitting (for another
                # guest cell of the same id) is still refused here.
                break
            ids[index] = cell.id
            chosen.append(got)
        if len(chosen) != len(topo.cells):
            continue
        devices = ()
        if pci:
            devices = pci_pools.take(host_pools, pci,
                                     [c.host_id for c in chosen], sockets)
            if devices is None:
                continue
        return Fitted(tuple(chosen), tuple(devices))
    return None
