"""The change feed: rows stamped after a watermark, read in one snapshot.

A worker keeps the sequence it last read and asks only for rows stamped
later, so staying fresh costs in proportion to what changed.
"""

import sqlalchemy as sa

from gantt.db import aggregate
from gantt.db import compute_node
from gantt.db import held
from gantt.db import instance
from gantt.db import models
from gantt.db import numa_claim
from gantt.db import provider
from gantt.db import timestamps

_counter = models.ChangeSeq.__table__
_nodes = models.ComputeNode.__table__
_providers = models.ResourceProvider.__table__
_inventories = models.Inventory.__table__
_reservations = models.Reservation.__table__


class Changes:
    """What changed after a watermark; ``seq`` is the new watermark.

    ``compute_nodes``, ``inventories``, ``aggregates`` and ``instances``
    are lists of plain dicts (see gantt.db.api.Database.get_changes).
    ``providers`` lists every provider (uuid, name, root_provider_uuid,
    parent_provider_uuid, traits, aggregates, inventories) of each tree
    touched; ``removed_providers`` the uuids of providers removed.
    ``numa_claims`` maps each node whose NUMA claims may have changed to
    everything claimed on it now (gantt.db.numa_claim.held; a node whose
    claims were all released maps to empty sets).
    """

    def __init__(self, seq, compute_nodes, inventories, aggregates,
                 instances, providers=(), removed_providers=(),
                 numa_claims=None):
        self.seq = seq
        # The earliest reservation deadline ahead, read with inventories.
        self.next_deadline = None
        self.numa_claims = numa_claims or {}
        self.compute_nodes = compute_nodes
        self.inventories = inventories
        self.aggregates = aggregates
        self.instances = instances
        self.providers = list(providers)
        self.removed_providers = list(removed_providers)

    def __bool__(self):
        return bool(self.compute_nodes or self.inventories or
                    self.aggregates or self.instances or self.providers or
                    self.removed_providers or self.numa_claims)

    def __repr__(self):
        return ('<Changes seq=%d nodes=%d inventories=%d aggregates=%d '
                'instances=%d>' % (self.seq, len(self.compute_nodes),
                                   len(self.inventories),
                                   len(self.aggregates),
                                   len(self.instances)))


# The feed's queries, built once. Each orders by (change_seq, id) so the
# change_seq index serves both the range and the order; ordering by id
# alone makes SQLite scan the whole table.
SINCE = sa.bindparam('since')
NODES_SINCE = (sa.select(_nodes).where(_nodes.c.change_seq > SINCE)
               .order_by(_nodes.c.change_seq, _nodes.c.id))
# ``used`` is what the row has in use now: rows of reservations past their
# deadline count as free (gantt.db.held).
INVENTORY_COLUMNS = (
    _providers.c.uuid, _providers.c.root_provider_uuid,
    *[c for c in _inventories.c if c.name != 'used'],
    held.live_used().label('used'))
INVENTORIES_SINCE = (
    sa.select(*INVENTORY_COLUMNS)
    .join(_providers, _providers.c.id == _inventories.c.resource_provider_id)
    .where(_inventories.c.change_seq > SINCE)
    .order_by(_inventories.c.change_seq, _inventories.c.id))


def _node(row, parsed):
    """The ComputeNode a row stores, parsed once per report digest:
    ``parsed`` (uuid -> (digest, node), or None) keeps what was parsed,
    and a row whose digest is unchanged (a re-report, which rewrites only
    the sequence and liveness) reuses it."""
    digest = row.report_digest
    if parsed is not None and digest is not None:
        held = parsed.get(row.uuid)
        if held is not None and held[0] == digest:
            return held[1]
    node = compute_node.load_node(row.data)
    if parsed is not None and digest is not None:
        parsed[row.uuid] = (digest, node)
    return node


def _compute_nodes(conn, since, parsed=None):
    return [{'uuid': row.uuid, 'host': row.host,
             'hypervisor_hostname': row.hypervisor_hostname,
             'cell_uuid': row.cell_uuid, 'report_seq': row.report_seq,
             'last_seen_up': timestamps.to_epoch(row.last_seen_up),
             'deleted': bool(row.deleted),
             'node': _node(row, parsed)}
            for row in conn.execute(NODES_SINCE, {'since': since})]


def inventory_dict(row):
    """A change feed entry for one row of INVENTORY_COLUMNS."""
    return {'provider_uuid': row.uuid,
            'root_provider_uuid': row.root_provider_uuid,
            'resource_class': row.resource_class, 'total': row.total,
            'reserved': row.reserved, 'min_unit': row.min_unit,
            'max_unit': row.max_unit, 'step_size': row.step_size,
            'allocation_ratio': row.allocation_ratio,
            'capacity': row.capacity, 'used': row.used}


def _inventories_since(conn, since):
    return [inventory_dict(row) for row in conn.execute(
        INVENTORIES_SINCE, {'since': since, 'now': timestamps.utcnow()})]


NEXT_DEADLINE = sa.select(sa.func.min(_reservations.c.deadline)).where(
    _reservations.c.deadline > held.NOW)


def _newest(table):
    return sa.select(sa.func.max(table.c.change_seq)).scalar_subquery()


# One round trip says which tables hold rows past a watermark (each max is
# one index lookup), so a refresh after a claim reads two tables, not all.
# With the counter row (SQLite, MySQL) the same round trip reads it; a
# sequence's horizon (PostgreSQL) is read before the snapshot instead.
_TABLES = (
    _newest(_nodes).label('compute_nodes'),
    _newest(_inventories).label('inventories'),
    _newest(models.ResourceProvider.__table__).label('providers'),
    _newest(models.ProviderTombstone.__table__).label('tombstones'),
    _newest(models.Aggregate.__table__).label('aggregates'),
    _newest(models.Instance.__table__).label('instances'),
    _newest(models.NumaClaim.__table__).label('numa_claims'),
    # Read in the same round trip, used only when inventories changed.
    NEXT_DEADLINE.scalar_subquery().label('next_deadline'))
_NEWEST = sa.select(
    sa.select(_counter.c.value).where(_counter.c.id == 1).scalar_subquery()
    .label('seq'), *_TABLES)
_NEWEST_TABLES = sa.select(*_TABLES)


def get_changes(conn, since, seq=None, parsed=None, numa_holding=None):
    """Every row stamped after ``since``, all from one snapshot.

    ``conn`` is a Connection in a read transaction. When nothing moved,
    this is one statement (the newest stamp of each table); otherwise only
    the tables past ``since`` are read. ``seq``, the horizon read before
    the snapshot (gantt.db.change_seq), becomes the new watermark; without
    it the counter row read in the snapshot does. ``parsed`` is a dict
    kept between calls so unchanged reports are not parsed again (see
    _node). ``numa_holding`` (a set of node uuids), when given, names
    every node on which the reader holds NUMA claims: a node outside it
    whose claim rows carry no new stamp has none to read (a release can
    only delete what the reader already holds). Rows stamped above the
    horizon may come too: they come again later, and applying a row twice
    leaves the same state.
    """
    now = {'now': timestamps.utcnow()}
    if seq is None:
        newest = conn.execute(_NEWEST, now).first()
        seq = newest.seq
    else:
        newest = conn.execute(_NEWEST_TABLES, now).first()
    if seq <= since:
        return Changes(seq, [], [], [], [])

    def changed(name):
        value = getattr(newest, name)
        return value is not None and value > since

    providers, removed = [], []
    if changed('providers') or changed('tombstones'):
        providers, removed = provider.trees_since(conn, since)
    inventories = (_inventories_since(conn, since)
                   if changed('inventories') else [])
    claims = {}
    # A release deletes its claim rows, which leaves no stamp; the
    # allocations it gives back in the same transaction stamp the node's
    # inventories, so their nodes are read again too (those the reader
    # holds claims on, when it says which).
    released = {i['root_provider_uuid'] or i['provider_uuid']
                for i in inventories}
    if numa_holding is not None:
        released &= numa_holding
    if changed('numa_claims') or released:
        claims = numa_claim.changed_since(
            conn, since, released, stamped=changed('numa_claims'))
    result = Changes(
        seq,
        _compute_nodes(conn, since, parsed)
        if changed('compute_nodes') else [],
        inventories,
        aggregate.changed_since(conn, since)
        if changed('aggregates') else [],
        instance.changed_since(conn, since)
        if changed('instances') else [],
        providers, removed, claims)
    if changed('inventories'):
        # A reservation changes inventories: the worker learns its
        # deadline here, to free its rows when it passes.
        result.next_deadline = newest.next_deadline
    return result
