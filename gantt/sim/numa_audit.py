"""Checks, from the scheduler's store, the NUMA claims a simulation made.

Reads every ``numa_claims`` row on the fleet's nodes and counts: pCPUs or
devices held by two consumers, page pools claimed past their total less
reserved, pCPUs outside the dedicated set of the cell they were claimed
on and devices the node does not have free, and placed instances whose
claims are not what their flavor asked on the host they were placed on.
"""

import collections

from gantt import numa_request


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


def _expected(flavor):
    """(pCPUs, page MiB, devices) a placed instance of `flavor` holds."""
    specs = flavor.extra_specs
    pinned = specs.get('hw:cpu_policy') == numa_request.DEDICATED
    huge = specs.get('hw:mem_page_size') not in (None, 'small')
    devices = 0
    for part in (specs.get('pci_passthrough:alias') or '').split(','):
        if part.strip():
            devices += int(part.split(':')[1]) if ':' in part else 1
    return (flavor.vcpus if pinned else 0,
            flavor.memory_mb if huge else 0, devices)


def audit(rows, nodes, placed, flavors):
    """The figures of the check, as a dict.

    ``rows`` are (consumer, node, kind, cell, item, amount) claim rows,
    ``nodes`` the fleet's ComputeNodes (as reported), ``placed`` maps
    instance uuid -> (flavor name, node uuid) and ``flavors`` flavor name
    -> Flavor.
    """
    by_uuid = {n.uuid: n for n in nodes}
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
            if node is None or not _dedicated(node, cell, int(item)):
                outside += 1
        elif kind == 'pci':
            devices += 1
            mine[2] += 1
            holders[(node_uuid, kind, item)].add(consumer)
            if node is None or item not in _free_devices(node):
                outside += 1
        else:
            size_kb = int(item.split(':', 1)[0])
            pages[(node_uuid, cell, size_kb)] += amount
            page_mib += amount * size_kb // 1024
            mine[1] += amount * size_kb // 1024
    twice = sum(1 for who in holders.values() if len(who) > 1)
    over = 0
    for (node_uuid, cell, size_kb), claimed in pages.items():
        if claimed > _page_limit(by_uuid.get(node_uuid), cell, size_kb):
            over += 1
    wrong = 0
    for instance, (flavor_name, node_uuid) in placed.items():
        got = held.get(instance, [0, 0, 0, set()])
        want = _expected(flavors[flavor_name])
        if (tuple(got[:3]) != want or
                (any(want) and got[3] != {node_uuid})):
            wrong += 1
    return {'pcpus': pcpus, 'huge_page_mib': page_mib, 'devices': devices,
            'instances': len(placed), 'given_twice': twice,
            'pools_over': over, 'outside_host': outside,
            'instances_not_matching': wrong}


def _cell(node, cell_id):
    for cell in node.numa.cells if node.numa else ():
        if cell.id == cell_id:
            return cell
    return None


def _dedicated(node, cell_id, pcpu):
    cell = _cell(node, cell_id)
    return cell is not None and pcpu in cell.pcpuset and (
        pcpu not in cell.pinned_cpus)


def _free_devices(node):
    return {d.address for d in node.pci_devices or ()
            if d.status == 'available'}


def _page_limit(node, cell_id, size_kb):
    cell = _cell(node, cell_id) if node is not None else None
    for pool in cell.mempages if cell is not None else ():
        if pool.size_kb == size_kb:
            return pool.total - pool.reserved
    return 0


def store_figures(db, fleet, results, flavors):
    """audit() of what the store holds for `fleet` after `results`."""
    rows = _claims(db, {n.uuid for n in fleet.nodes})
    return audit(rows, fleet.nodes, results.placed_numa,
                 {f.name: f for _w, f in flavors})
