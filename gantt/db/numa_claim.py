"""NUMA claims: the pinned pCPUs, huge pages and PCI devices of a fitted
placement (gantt.numa_fit.Fitted), written in the claim's transaction.

Each pCPU (the guest's pins and its emulator thread pCPU) and each device
is one row under a unique (node, kind, item) index, so a second claim of
the same pCPU or device fails in the database whatever worker makes it;
pages are one row per (consumer, cell, size) inserted only while the
claimed pages of that pool stay within the pool (total less reserved). Any
refusal raises ClaimConflict and the whole claim rolls back. Release and
move follow the consumer, like allocations.
"""

import sqlalchemy as sa

from gantt.db import models
from gantt import exception

_claims = models.NumaClaim.__table__

_INSERT = sa.insert(_claims)


def _page_item(size_kb, cell, consumer_uuid):
    return '%d:%d@%s' % (size_kb, cell, consumer_uuid)


def _insert_pages(conn, seq, consumer_uuid, node_uuid, cell, size_kb,
                  pages, limit):
    """Insert the page row unless the pool's claimed pages plus `pages`
    would exceed `limit`; False when refused."""
    prefix = '%d:%d@' % (size_kb, cell)
    claimed = (sa.select(sa.func.coalesce(sa.func.sum(_claims.c.amount), 0))
               .where(_claims.c.node_uuid == node_uuid)
               .where(_claims.c.kind == 'pages')
               .where(_claims.c.item.startswith(prefix))
               .scalar_subquery())
    values = sa.select(
        sa.literal(consumer_uuid), sa.literal(node_uuid),
        sa.literal('pages'), sa.literal(cell),
        sa.literal(_page_item(size_kb, cell, consumer_uuid)),
        sa.literal(pages), sa.literal(seq)).where(claimed + pages <= limit)
    stmt = _claims.insert().from_select(
        ['consumer_uuid', 'node_uuid', 'kind', 'cell', 'item', 'amount',
         'change_seq'], values)
    return conn.execute(stmt).rowcount == 1


def claim(conn, seq, consumer_uuid, node_uuid, fitted, page_limits):
    """Claim `fitted` (a numa_fit.Fitted) on node `node_uuid` for the
    consumer, replacing what it held there (so a retried claim finds its
    own rows, as allocations do). `page_limits` maps (cell id, page size
    in KiB) to the pages all claims of that pool may hold (its total less
    reserved: claimed pages count against it as allocations count against
    an inventory). Raises ClaimConflict naming what was taken."""
    conn.execute(sa.delete(_claims)
                 .where(_claims.c.consumer_uuid == consumer_uuid)
                 .where(_claims.c.node_uuid == node_uuid))
    rows = []
    for cell in fitted.cells:
        for pcpu in sorted(set(cell.pinning.values()) | set(cell.reserved)):
            rows.append(('pcpu', cell.host_id, str(pcpu), 1))
    for devices in fitted.pci:
        for address in devices:
            rows.append(('pci', None, address, 1))
    if rows:
        taken = _taken(conn, node_uuid, rows)
        if taken:
            raise exception.ClaimConflict(
                provider=node_uuid,
                resource_class='NUMA (%s already claimed)' % taken)
        try:
            conn.execute(_INSERT, [
                {'consumer_uuid': consumer_uuid, 'node_uuid': node_uuid,
                 'kind': kind, 'cell': cell, 'item': item,
                 'amount': amount, 'change_seq': seq}
                for kind, cell, item, amount in rows])
        except sa.exc.IntegrityError:
            # Taken by a claim that committed after the check above.
            raise exception.ClaimConflict(
                provider=node_uuid,
                resource_class='NUMA (a pCPU or device just claimed)')
    for cell in fitted.cells:
        if not cell.pagesize:
            continue
        pages = cell.memory * 1024 // cell.pagesize
        limit = page_limits.get((cell.host_id, cell.pagesize), 0)
        if not _insert_pages(conn, seq, consumer_uuid, node_uuid,
                             cell.host_id, cell.pagesize, pages, limit):
            raise exception.ClaimConflict(
                provider=node_uuid,
                resource_class='%d KiB pages of NUMA cell %d'
                               % (cell.pagesize, cell.host_id))


def _taken(conn, node_uuid, rows):
    """'pcpu 3, pci 0000:81:00.1' for the rows someone already holds."""
    held = conn.execute(
        sa.select(_claims.c.kind, _claims.c.item)
        .where(_claims.c.node_uuid == node_uuid)
        .where(_claims.c.kind != 'pages')).all()
    held = {(k, i) for k, i in held}
    return ', '.join('%s %s' % (k, i) for k, _c, i, _a in rows
                     if (k, i) in held)


def release(conn, seq, consumer_uuid):
    """Drop every NUMA claim of the consumer; how many rows."""
    return conn.execute(sa.delete(_claims).where(
        _claims.c.consumer_uuid == consumer_uuid)).rowcount


def move(conn, seq, source_uuid, target_uuid):
    """Hand the source consumer's NUMA claims to the target (a move keeps
    what it holds under the migration consumer, as allocations do)."""
    return conn.execute(
        sa.update(_claims).where(_claims.c.consumer_uuid == source_uuid)
        .values(consumer_uuid=target_uuid, change_seq=seq)).rowcount


# Above this many nodes to read, the whole table is read instead of a
# long IN list.
_MANY_NODES = 500


def _empty():
    return {'pcpu': {}, 'pci': set(), 'pages': {}}


def _add(out, kind, cell, item, amount):
    if kind == 'pcpu':
        out['pcpu'].setdefault(cell, set()).add(int(item))
    elif kind == 'pci':
        out['pci'].add(item)
    else:
        size = int(item.split(':', 1)[0])
        key = (cell, size)
        out['pages'][key] = out['pages'].get(key, 0) + amount


def changed_since(conn, since, also=(), stamped=True):
    """{node uuid: held(...)} of every node with a claim row stamped
    after `since`, and of the nodes `also` (whose claims may have been
    released), for the change feed. ``stamped`` False says no claim row
    is stamped after `since` (the caller read the table's newest stamp),
    so only the nodes `also` are read."""
    nodes = set(also)
    if since and stamped:
        nodes.update(r[0] for r in conn.execute(
            sa.select(_claims.c.node_uuid).distinct()
            .where(_claims.c.change_seq > since)))
    query = sa.select(_claims.c.node_uuid, _claims.c.kind, _claims.c.cell,
                      _claims.c.item, _claims.c.amount)
    if since and len(nodes) <= _MANY_NODES:
        if not nodes:
            return {}
        query = query.where(_claims.c.node_uuid.in_(sorted(nodes)))
    out = {node: _empty() for node in nodes}
    for node, kind, cell, item, amount in conn.execute(query):
        _add(out.setdefault(node, _empty()), kind, cell, item, amount)
    return out


def held(conn, node_uuid):
    """{'pcpu': {cell: {pcpu}}, 'pci': {address}, 'pages': {(cell, size):
    pages}} claimed on the node, for the host store."""
    out = _empty()
    for kind, cell, item, amount in conn.execute(
            sa.select(_claims.c.kind, _claims.c.cell, _claims.c.item,
                      _claims.c.amount)
            .where(_claims.c.node_uuid == node_uuid)):
        _add(out, kind, cell, item, amount)
    return out
