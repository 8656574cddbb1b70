"""The NUMA placement a caller hands back with claim_resources: an
alternate's Selection.numa_topology read into the (node uuid,
numa_fit.Fitted, page limits) the claim path takes, after checking it
names cells, pCPUs and devices the node reported.

Only what the topology names is claimed; whether it is free is the
claim's condition (gantt.db.numa_claim), checked in its transaction.
"""

from gantt import numa_fit
from gantt.objects import instance_numa


def problem(topology):
    """Why `topology` is not an InstanceNUMATopology, or None."""
    if topology is None or isinstance(
            topology, instance_numa.InstanceNUMATopology):
        return None
    return 'numa_topology must be an InstanceNUMATopology, got %s' % (
        type(topology).__name__)


def fitted(topology):
    """The numa_fit.Fitted an InstanceNUMATopology names (devices in one
    group per alias, as the claim takes them)."""
    cells = tuple(numa_fit.FittedCell(
        guest_id=c.id, host_id=c.host_cell,
        pinning={int(v): int(p) for v, p in c.cpu_pinning.items()},
        reserved=frozenset(int(p) for p in c.cpuset_reserved),
        pagesize=c.pagesize, memory=c.memory, shared=c.shared_vcpus)
        for c in topology.cells)
    pci = tuple(tuple(addresses) for _alias, addresses
                in sorted(topology.pci_devices.items()))
    return numa_fit.Fitted(cells, pci)


def claim_args(hosts, allocation_request, topology):
    """(node uuid, Fitted, page limits) for the claim of `topology` with
    `allocation_request` on the host store `hosts`; None for an empty
    topology. Raises ValueError naming what does not match the node: no
    provider of the request is a known compute node, or a cell, pCPU,
    page size or device the node did not report."""
    if not topology.cells and not any(topology.pci_devices.values()):
        return None
    providers = sorted(allocation_request['allocations'])
    nodes = [u for u in providers if u in hosts.index]
    if len(nodes) != 1:
        raise ValueError(
            'numa_topology needs the allocation request to name exactly one '
            'compute node, it names %d of providers %s' % (
                len(nodes), ', '.join(providers)))
    node = nodes[0]
    cells, pools = hosts.numa_reported.get(node, ((), ()))
    by_id = {c.id: c for c in cells}
    for cell in topology.cells:
        host_cell = by_id.get(cell.host_cell)
        if host_cell is None:
            raise ValueError('numa_topology names host cell %d, node %s '
                             'reported cells %s' % (
                                 cell.host_cell, node, sorted(by_id)))
        pcpus = ({int(p) for p in cell.cpu_pinning.values()} |
                 {int(p) for p in cell.cpuset_reserved})
        strange = sorted(pcpus - set(host_cell.pcpuset))
        if strange:
            raise ValueError('numa_topology pins pCPUs %s, not dedicated '
                             'pCPUs of cell %d of node %s' % (
                                 strange, cell.host_cell, node))
        if cell.pagesize and cell.pagesize not in {
                p.size_kb for p in host_cell.mempages}:
            raise ValueError('numa_topology asks %d KiB pages, cell %d of '
                             'node %s has no such pool' % (
                                 cell.pagesize, cell.host_cell, node))
    known = {a for pool in pools for a in pool.addresses}
    strange = sorted(a for addresses in topology.pci_devices.values()
                     for a in addresses if a not in known)
    if strange:
        raise ValueError('numa_topology names PCI devices %s node %s did '
                         'not report' % (', '.join(strange), node))
    return node, fitted(topology), numa_fit.page_limits(cells)
