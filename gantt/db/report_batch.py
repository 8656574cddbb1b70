"""Many compute reports stored in one write transaction.

Reports that arrive together are coalesced (only the newest of a node
counts), their stored rows read in one query, and each is sorted by a
digest of its facts: a report that changes nothing but its sequence and
liveness (most reports: computes re-report every period) is one row of an
executemany, with no tree written and no stored report read; a report
that changes something goes the whole way (gantt.db.compute_node.save),
under a savepoint so a refused one rolls back alone, except a node seen
for the first time with no tree beyond its root, whose rows are inserted
with the batch's other new nodes in one executemany per table.
"""

import sqlalchemy as sa

from oslo_serialization import jsonutils

from gantt.db import compute_node
from gantt.db import inventory
from gantt.db import models
from gantt.db import timestamps
from gantt import exception
from gantt.objects import base as obj_base

_nodes = models.ComputeNode.__table__
_providers = models.ResourceProvider.__table__
_services = models.Service.__table__
_inventories = models.Inventory.__table__

#: Node uuids per stored-row query (keeps IN lists short on every dialect).
CHUNK = 500

# Built once; each runs as one executemany per batch.
_STORED = (
    sa.select(_nodes.c.id, _nodes.c.uuid, _nodes.c.report_seq,
              _nodes.c.deleted, _nodes.c.report_digest, _nodes.c.change_seq,
              sa.select(_providers.c.change_seq)
              .where(_providers.c.uuid == _nodes.c.uuid)
              .scalar_subquery().label('tree_seq'))
    .where(_nodes.c.uuid.in_(sa.bindparam('uuids', expanding=True))))
_ALIVE = (sa.update(_nodes).where(_nodes.c.id == sa.bindparam('row_id'))
          .values(report_seq=sa.bindparam('report_seq'),
                  last_seen_up=sa.bindparam('now'),
                  change_seq=sa.bindparam('seq')))
# PostgreSQL: the same for a whole batch in one statement and one round
# trip (an executemany there is a round trip per row), the rows' ids and
# sequences passed as two arrays.
_ALIVE_UNNEST = sa.text(
    'UPDATE compute_nodes SET report_seq = v.report_seq, '
    'last_seen_up = :now, change_seq = :seq '
    'FROM (SELECT unnest(CAST(:row_ids AS INTEGER[])) AS id, '
    'unnest(CAST(:report_seqs AS BIGINT[])) AS report_seq) AS v '
    'WHERE compute_nodes.id = v.id')
_PROVIDER_IDS = (
    sa.select(_providers.c.uuid, _providers.c.id)
    .where(_providers.c.uuid.in_(sa.bindparam('uuids', expanding=True))))
_ADD_PROVIDER = sa.insert(_providers)
_ADD_INVENTORY = sa.insert(_inventories)
_ADD_NODE = sa.insert(_nodes)
# Both columns constrained, so the (binary, host) unique index answers it
# (a host alone would scan every service).
_SERVICES = (
    sa.select(_services.c.id, _services.c.binary, _services.c.host,
              _services.c.version, _services.c.rpc_version)
    .where(_services.c.binary.in_(sa.bindparam('binaries', expanding=True)))
    .where(_services.c.host.in_(sa.bindparam('hosts', expanding=True))))
# Every known service of a batch is marked alive by one statement; only
# those whose versions changed are written one by one.
_LIVE = (sa.update(_services)
         .where(_services.c.id.in_(sa.bindparam('ids', expanding=True)))
         .values(last_seen_up=sa.bindparam('now'),
                 change_seq=sa.bindparam('seq')))
# PostgreSQL: found and marked alive in one statement and round trip.
_LIVE_UNNEST = sa.text(
    'UPDATE services SET last_seen_up = :now, change_seq = :seq '
    'FROM (SELECT unnest(CAST(:binaries AS VARCHAR[])) AS b, '
    'unnest(CAST(:hosts AS VARCHAR[])) AS h) AS v '
    'WHERE services."binary" = v.b AND services.host = v.h '
    'RETURNING services.id, services."binary", services.host, '
    'services.version, services.rpc_version')
_VERSIONS = (sa.update(_services)
             .where(_services.c.id == sa.bindparam('row_id'))
             .values(version=sa.func.coalesce(sa.bindparam('version'),
                                              _services.c.version),
                     rpc_version=sa.func.coalesce(
                         sa.bindparam('rpc_version'),
                         _services.c.rpc_version)))
_ADD_SERVICE = sa.insert(_services).values(
    binary=sa.bindparam('b_binary'), host=sa.bindparam('b_host'),
    last_seen_up=sa.bindparam('now'), change_seq=sa.bindparam('seq'),
    version=sa.bindparam('version'), rpc_version=sa.bindparam('rpc_version'))


def newest_per_node(nodes):
    """Indexes of the reports that count: the newest of each node uuid
    (the first of equals). The others are stale against it."""
    best = {}
    for i, node in enumerate(nodes):
        seq = int(obj_base.field(node, 'report_seq', 0))
        held = best.get(node.uuid)
        if held is None or seq > held[1]:
            best[node.uuid] = (i, seq)
    return sorted(i for i, _seq in best.values())


def is_unchanged(row, report_seq, report_digest):
    """Whether a report needs only the node's sequence and liveness
    written: newer than the stored one, the same digest, and nothing
    rewrote the node's tree since (an operator's change is re-applied)."""
    return (row is not None and not row.deleted and
            report_seq > row.report_seq and
            row.report_digest is not None and
            row.report_digest == report_digest and
            row.tree_seq is not None and row.tree_seq <= row.change_seq)


def _chunks(conn, statement, uuids):
    for start in range(0, len(uuids), CHUNK):
        yield from conn.execute(statement,
                                {'uuids': uuids[start:start + CHUNK]})


def _stored_rows(conn, uuids):
    return {row.uuid: row for row in _chunks(conn, _STORED, uuids)}


def is_plain_new(node, row):
    """Whether a report is of a node never stored whose tree is its root
    alone: its rows can be inserted without reading anything."""
    return row is None and not obj_base.field(node, 'provider_tree', None)


def _insert_new(conn, seq, now, new):
    """Insert plain new nodes [(node, primitive, digest)]: the root
    provider (generation 1, as a first inventory write leaves it), its
    inventories and the node row, one executemany per table."""
    conn.execute(_ADD_PROVIDER, [
        {'uuid': node.uuid, 'name': node.hypervisor_hostname,
         'root_provider_uuid': node.uuid, 'parent_provider_uuid': None,
         'generation': 1, 'change_seq': seq} for node, _p, _d in new])
    ids = dict(tuple(r) for r in _chunks(
        conn, _PROVIDER_IDS, [node.uuid for node, _p, _d in new]))
    inventories = [
        dict(record, resource_provider_id=ids[node.uuid], resource_class=rc,
             used=0, change_seq=seq)
        for node, _p, _d in new
        for rc, record in sorted(inventory.inventories_from(node).items())]
    if inventories:
        conn.execute(_ADD_INVENTORY, inventories)
    conn.execute(_ADD_NODE, [
        {'uuid': node.uuid, 'host': node.host,
         'hypervisor_hostname': node.hypervisor_hostname,
         'cell_uuid': obj_base.field(node, 'cell_uuid'),
         'report_seq': int(obj_base.field(node, 'report_seq', 0)),
         'data': jsonutils.dumps(primitive), 'report_digest': node_digest,
         'last_seen_up': now, 'deleted': False, 'change_seq': seq}
        for node, primitive, node_digest in new])


def save(session, nodes, rpc_versions=None):
    """Store ``nodes`` (validated ComputeNode reports) in this write
    transaction; one result per node: True (stored), False (stale) or
    the GanttException that refused it.

    ``rpc_versions``, if given, holds for each node the report API version
    its compute's service speaks (or None), recorded with the service.
    """
    seq = session.info['change_seq']
    conn = session.connection()
    results = [False] * len(nodes)
    counted = newest_per_node(nodes)
    uuids = sorted({nodes[i].uuid for i in counted})
    rows = _stored_rows(conn, uuids)
    # Providers already stored under a new node's uuid (an operator's):
    # that node goes the whole way.
    taken = {uuid for uuid, _id in _chunks(
        conn, _PROVIDER_IDS, [u for u in uuids if u not in rows])}
    now = timestamps.utcnow()
    alive = []
    new = []
    services = {}
    for i in counted:
        node = nodes[i]
        report_seq = int(obj_base.field(node, 'report_seq', 0))
        row = rows.get(node.uuid)
        if row is not None and not row.deleted and (
                report_seq <= row.report_seq):
            continue
        node_digest = compute_node.digest(node)
        if is_unchanged(row, report_seq, node_digest):
            alive.append({'row_id': row.id, 'report_seq': report_seq,
                          'now': now, 'seq': seq})
            results[i] = True
        elif is_plain_new(node, row) and node.uuid not in taken:
            try:
                node.validate()
            except exception.GanttException as exc:
                results[i] = exc
                continue
            new.append((node, node.obj_to_primitive(), node_digest))
            results[i] = True
        else:
            try:
                with session.begin_nested():
                    results[i] = compute_node.save(
                        session, node, report_digest=node_digest,
                        touch_service=False)
            except exception.GanttException as exc:
                results[i] = exc
                continue
        status = obj_base.field(node, 'service')
        version = obj_base.field(status, 'version')
        services[(obj_base.field(status, 'binary', 'gantt-compute'),
                  node.host)] = {
            'version': version,
            'rpc_version': rpc_versions[i] if rpc_versions else None}
    if alive:
        _mark_alive(conn, seq, now, alive)
    if new:
        _insert_new(conn, seq, now, new)
    _touch_services(conn, seq, now, services)
    return results


def _mark_alive(conn, seq, now, alive):
    """Move unchanged nodes [{'row_id', 'report_seq', ...}] on: their
    sequence and liveness."""
    if conn.dialect.name == 'postgresql':
        conn.execute(_ALIVE_UNNEST, {
            'row_ids': [a['row_id'] for a in alive],
            'report_seqs': [a['report_seq'] for a in alive],
            'now': now, 'seq': seq})
    else:
        conn.execute(_ALIVE, alive)


def _touch_services(conn, seq, now, services):
    """Mark each (binary, host) alive, recording the versions that
    changed, and create the rows it lacks."""
    if not services:
        return
    keys = sorted(services)
    if conn.dialect.name == 'postgresql':
        known = {(row.binary, row.host): row for row in conn.execute(
            _LIVE_UNNEST, {'binaries': [b for b, _h in keys],
                           'hosts': [h for _b, h in keys],
                           'now': now, 'seq': seq})}
    else:
        known = _known_services(conn, keys)
        ids = [known[key].id for key in keys if key in known]
        for start in range(0, len(ids), CHUNK):
            conn.execute(_LIVE, {'ids': ids[start:start + CHUNK],
                                 'now': now, 'seq': seq})
    versions, add = [], []
    for (binary, host) in keys:
        facts = services[(binary, host)]
        row = known.get((binary, host))
        if row is None:
            add.append(dict(facts, b_binary=binary, b_host=host, now=now,
                            seq=seq))
        elif _differs(facts['version'], row.version) or _differs(
                facts['rpc_version'], row.rpc_version):
            versions.append(dict(facts, row_id=row.id))
    if versions:
        conn.execute(_VERSIONS, versions)
    if add:
        conn.execute(_ADD_SERVICE, add)


def _known_services(conn, keys):
    """{(binary, host): row} of the services stored among ``keys``."""
    hosts = sorted({host for _binary, host in keys})
    binaries = sorted({binary for binary, _host in keys})
    known = {}
    for start in range(0, len(hosts), CHUNK):
        for row in conn.execute(_SERVICES, {
                'binaries': binaries, 'hosts': hosts[start:start + CHUNK]}):
            known[(row.binary, row.host)] = row
    return known


def _differs(reported, stored):
    """Whether a reported value (None: not reported) changes the stored."""
    return reported is not None and reported != stored
