"""A node's NUMA cells and PCI pools as the scheduler sees them: what the
node reported, with what the store's NUMA claims hold on top.

A claim is in the store before the node applies and reports it, so every
worker counts claimed pCPUs as pinned, claimed pages as used and claimed
devices as taken. Usage both reported and claimed is counted once: pinned
pCPUs are a union, a page pool's used pages the larger of the two.
"""

from gantt import numa_columns


def merged(cells, pools, held):
    """(cells, pools): numa_fit.HostCells and pci_pools.Pools with the
    claims `held` (gantt.db.numa_claim.held) applied."""
    if not held or not (held['pcpu'] or held['pages'] or held['pci']):
        return tuple(cells or ()), tuple(pools or ())
    out = []
    for cell in cells or ():
        pinned = cell.pinned | frozenset(held['pcpu'].get(cell.id, ()))
        pages = tuple(
            p._replace(used=max(p.used, held['pages'].get((cell.id,
                                                           p.size_kb), 0)))
            for p in cell.mempages)
        out.append(cell._replace(pinned=pinned,
                                 free_pcpus=cell.pcpuset - pinned,
                                 mempages=pages))
    taken = held['pci']
    left = []
    for pool in pools or ():
        addresses = tuple(a for a in pool.addresses if a not in taken)
        if addresses:
            left.append(pool._replace(addresses=addresses))
    return tuple(out), tuple(left)


def reported(hosts, uuid):
    """Note the cells and pools node `uuid`'s row holds as its report
    (call right after the report is applied), and show its claims on
    them."""
    row = hosts.index.get(uuid)
    if row is None:
        return
    hosts.numa_reported[uuid] = (hosts.numa_cells[row] or (),
                                 hosts.pci_pools[row] or ())
    if hosts.numa_held.get(uuid):
        _show(hosts, uuid, row)


def claimed(hosts, uuid, held):
    """Node `uuid` holds NUMA claims `held` now (from the change feed);
    True when that changed what the node shows."""
    if not hosts.numa_held.get(uuid) and not _any(held):
        return False
    hosts.numa_held[uuid] = held if _any(held) else None
    row = hosts.index.get(uuid)
    if row is not None and uuid in hosts.numa_reported:
        _show(hosts, uuid, row)
    return True


def holding(hosts):
    """The uuids of the nodes on which `hosts` shows NUMA claims held."""
    return {uuid for uuid, held in hosts.numa_held.items() if held}


def _any(held):
    return bool(held and (held['pcpu'] or held['pages'] or held['pci']))


def _show(hosts, uuid, row):
    cells, pools = hosts.numa_reported[uuid]
    cells, pools = merged(cells, pools, hosts.numa_held.get(uuid))
    numa_columns.set_row(hosts, row, cells, pools)
