"""Checks, from the scheduler's store, the NUMA claims a simulation made.

Reads every ``numa_claims`` row on the fleet's nodes and counts: pCPUs or
devices held by two consumers, page pools claimed past their total less
reserved, pCPUs outside the dedicated set of the cell they were claimed
on and devices the node does not have free, and placed instances whose
claims are not what their flavor asked on the host they were placed on.
"""

import collections

from gantt import numa_fit
from gantt import numa_request
from gantt import objects
from gantt import pci_pools


def _claims(db, node_uuids):
    import sqlalchemy as sa

    from gantt.db import models

    table = models.NumaClaim.__table__
    rows = []
    uuids = sorted(node_uuids)
    with db.reader() as session:
        # In slices: some databases cap the parameters of one statement.
        for i in range(0, len(uuids), 500):
            rows.extend(session.execute(
                sa.select(table.c.consumer_uuid, table.c.node_uuid,
                          table.c.kind, table.c.cell, table.c.item,
                          table.c.amount)
                .where(table.c.node_uuid.in_(uuids[i:i + 500]))).all())
    return rows


def _expected(flavor, aliases):
    """(pCPUs, huge page MiB, devices) a placed instance of `flavor`
    holds, as the scheduler reads the flavor."""
    wanted = numa_request.constraints(flavor, objects.ImageMetaProps(),
                                      aliases)
    topo = wanted.topology
    pcpus = page_mib = 0
    if topo is not None:
        if topo.pinned:
            pcpus = sum(len(c.pcpuset) for c in topo.cells) + (
                1 if topo.emulator_threads_isolated else 0)
        if topo.pagesize:
            page_mib = sum(c.memory for c in topo.cells)
    return pcpus, page_mib, sum(r.count for r in wanted.pci)


class _Host(object):
    """What the check reads of a node's report: its cells (numa_fit's
    HostCells) by id, free devices and page pool limits."""

    def __init__(self, node):
        self.cells = {c.id: c for c in numa_fit.host_cells(node.numa)}
        self.devices = {a for pool in pci_pools.pools(node.pci_devices)
                        for a in pool.addresses}
        self.page_limits = numa_fit.page_limits(self.cells.values())

    def free_pcpu(self, cell_id, pcpu):
        cell = self.cells.get(cell_id)
        return cell is not None and pcpu in cell.free_pcpus


def audit(rows, nodes, placed, flavors, aliases=()):
    """The figures of the check, as a dict.

    ``rows`` are (consumer, node, kind, cell, item, amount) claim rows,
    ``nodes`` the fleet's ComputeNodes (as reported), ``placed`` maps
    instance uuid -> (flavor name, node uuid), ``flavors`` flavor name
    -> Flavor and ``aliases`` the scheduler's ``[pci] alias`` entries.
    """
    by_uuid = {n.uuid: _Host(n) for n in nodes}
    holders = collections.defaultdict(set)
    pages = collections.Counter()
    held = collections.defaultdict(lambda: [0, 0, 0, set()])
    outside = 0
    pcpus = devices = page_mib = 0
    for consumer, node_uuid, kind, cell, item, amount in rows:
        node = by_uuid.get(node_uuid)
        mine = held[consumer]
        mine[3].add(node_uuid)
        if kind == 'pcpu':
            pcpus += 1
            mine[0] += 1
            holders[(node_uuid, kind, item)].add(consumer)
            if node is None or not node.free_pcpu(cell, int(item)):
                outside += 1
        elif kind == 'pci':
            devices += 1
            mine[2] += 1
            holders[(node_uuid, kind, item)].add(consumer)
            if node is None or item not in node.devices:
                outside += 1
        else:
            size_kb = int(item.split(':', 1)[0])
            pages[(node_uuid, cell, size_kb)] += amount
            page_mib += amount * size_kb // 1024
            mine[1] += amount * size_kb // 1024
    twice = sum(1 for who in holders.values() if len(who) > 1)
    over = 0
    for (node_uuid, cell, size_kb), claimed in pages.items():
        node = by_uuid.get(node_uuid)
        limit = node.page_limits.get((cell, size_kb), 0) if node else 0
        if claimed > limit:
            over += 1
    wrong = 0
    for instance, (flavor_name, node_uuid) in placed.items():
        got = held.get(instance, [0, 0, 0, set()])
        want = _expected(flavors[flavor_name], aliases)
        if (tuple(got[:3]) != want or
                (any(want) and got[3] != {node_uuid})):
            wrong += 1
    return {'pcpus': pcpus, 'huge_page_mib': page_mib, 'devices': devices,
            'instances': len(placed), 'given_twice': twice,
            'pools_over': over, 'outside_host': outside,
            'instances_not_matching': wrong}


def store_figures(db, fleet, results, flavors, aliases):
    """audit() of what the store holds for `fleet` after `results`."""
    rows = _claims(db, {n.uuid for n in fleet.nodes})
    return audit(rows, fleet.nodes, results.placed_numa,
                 {f.name: f for _w, f in flavors}, aliases)
