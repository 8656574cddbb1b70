"""Moves in flight and an instance's whole record, in the store.

A move (cold migrate, resize, live migrate, evacuate) starts inside the
claim of its destination: the instance's source allocation and NUMA
claims go to the migration consumer, a row remembers the source and the
RequestSpec from before the move, then the instance claims its
destination. Confirming drops the source (the migration consumer);
reverting drops the destination and gives the source, the host record,
the group membership and the old RequestSpec back to the instance.
Deleting an instance drops everything it holds in one transaction.
Each function runs in the caller's write transaction (a Connection and its
change sequence, gantt.db.api).
"""

from oslo_serialization import jsonutils
import sqlalchemy as sa

from gantt.db import allocation
from gantt.db import claim_release
from gantt.db import decision
from gantt.db import instance
from gantt.db import models
from gantt.db import numa_claim
from gantt.db import request_spec
from gantt.db import timestamps
from gantt import exception

_moves = models.Move.__table__
_instances = models.Instance.__table__
_members = models.ServerGroupMember.__table__
_groups = models.ServerGroup.__table__


def _rows(conn, instance_uuid):
    return conn.execute(sa.select(_moves)
                        .where(_moves.c.instance_uuid == instance_uuid)
                        .order_by(_moves.c.id)).all()


def _row(conn, migration_uuid):
    return conn.execute(sa.select(_moves).where(
        _moves.c.migration_uuid == migration_uuid)).first()


def _as_dict(row):
    return {'migration_uuid': row.migration_uuid,
            'instance_uuid': row.instance_uuid,
            'operation': row.operation,
            'source_host': row.source_host, 'source_node': row.source_node,
            'dest_host': row.dest_host, 'dest_node': row.dest_node,
            'created_at': row.created_at.isoformat()}


def in_flight(session, instance_uuid):
    """The instance's moves not confirmed or reverted yet, oldest first."""
    return [_as_dict(r) for r in _rows(session.connection(), instance_uuid)]


def begin(conn, seq, move, dest_host, dest_node):
    """Start ``move`` (a dict: instance_uuid, migration_uuid, operation,
    source_host, source_node, old_spec) before its destination is claimed:
    the source goes to the migration consumer. Raises MoveInProgress when
    the instance is moving already. An unshelve (no migration) holds no
    source and records nothing."""
    instance_uuid = move['instance_uuid']
    migration_uuid = move.get('migration_uuid')
    decision.forget(conn, instance_uuid)
    if not migration_uuid:
        return
    for row in _rows(conn, instance_uuid):
        raise exception.MoveInProgress(instance=instance_uuid,
                                       migration=row.migration_uuid,
                                       operation=row.operation)
    numa_claim.move(conn, seq, instance_uuid, migration_uuid)
    allocation.move_allocations(conn, seq, instance_uuid, migration_uuid)
    old_spec = move.get('old_spec')
    conn.execute(sa.insert(_moves).values(
        migration_uuid=migration_uuid, instance_uuid=instance_uuid,
        operation=move['operation'], source_host=move.get('source_host'),
        source_node=move.get('source_node'), dest_host=dest_host,
        dest_node=dest_node,
        spec=(old_spec if old_spec is None or isinstance(old_spec, str)
              else jsonutils.dumps(old_spec)),
        created_at=timestamps.utcnow()))


def _drop_migration(conn, seq, migration_uuid):
    numa_claim.release(conn, seq, migration_uuid)
    allocation.delete_allocations(conn, seq, migration_uuid)
    conn.execute(sa.delete(_moves)
                 .where(_moves.c.migration_uuid == migration_uuid))


def _check_instance(row, instance_uuid):
    if row is not None and row.instance_uuid != instance_uuid:
        raise exception.InvalidRequest(
            reason='migration %s moves instance %s, not %s'
                   % (row.migration_uuid, row.instance_uuid, instance_uuid))


def confirm(conn, seq, instance_uuid, migration_uuid):
    """The move is done: drop the source. False when there was no such
    move (confirmed or reverted already)."""
    row = _row(conn, migration_uuid)
    _check_instance(row, instance_uuid)
    if row is None:
        return False
    _drop_migration(conn, seq, migration_uuid)
    return True


def revert(conn, seq, instance_uuid, migration_uuid):
    """The move is undone: drop the destination, give the source back to
    the instance, with its host record, group membership and RequestSpec
    from before the move. False when there was no such move."""
    row = _row(conn, migration_uuid)
    _check_instance(row, instance_uuid)
    if row is None:
        return False
    decision.forget(conn, instance_uuid)
    numa_claim.release(conn, seq, instance_uuid)
    allocation.delete_allocations(conn, seq, instance_uuid)
    numa_claim.move(conn, seq, migration_uuid, instance_uuid)
    allocation.move_allocations(conn, seq, migration_uuid, instance_uuid)
    if row.spec is not None:
        request_spec.save_all(conn, {instance_uuid: row.spec})
    if row.source_host:
        instance.place(conn, seq, [(instance_uuid, row.source_host,
                                    row.source_node)])
        conn.execute(sa.update(_members)
                     .where(_members.c.instance_uuid == instance_uuid)
                     .values(host=row.source_host, node=row.source_node))
    conn.execute(sa.delete(_moves)
                 .where(_moves.c.migration_uuid == migration_uuid))
    return True


def delete_instance(conn, seq, instance_uuid):
    """Drop everything the instance holds, together: its moves' source
    allocations, its allocations and NUMA claims, its group membership,
    its RequestSpec and its host record. What was dropped, as a dict."""
    moves = [r.migration_uuid for r in _rows(conn, instance_uuid)]
    for migration_uuid in moves:
        _drop_migration(conn, seq, migration_uuid)
    groups = [m.uuid for m in conn.execute(
        sa.select(_groups.c.uuid).join(_members,
                                       _members.c.group_id == _groups.c.id)
        .where(_members.c.instance_uuid == instance_uuid))]
    released = claim_release.release(conn, seq, instance_uuid)
    spec = request_spec.delete(conn, instance_uuid)
    host = instance.forget(conn, seq, instance_uuid)
    return {'allocations': bool(released.allocations),
            'numa_claims': released.numa_claims,
            'groups': groups, 'request_spec': spec, 'host_record': host,
            'migrations': moves}


def show(session, instance_uuid):
    """What the store holds for an instance: its RequestSpec primitive,
    allocations, host record, groups and moves in flight (each with the
    source its migration holds); None when it holds nothing at all."""
    conn = session.connection()
    spec = request_spec.get(conn, instance_uuid)
    record = conn.execute(
        sa.select(_instances.c.host, _instances.c.node,
                  _instances.c.deleted)
        .where(_instances.c.instance_uuid == instance_uuid)).first()
    groups = [{'uuid': g.uuid, 'name': g.name, 'policy': g.policy,
               'host': g.host} for g in conn.execute(
        sa.select(_groups.c.uuid, _groups.c.name, _groups.c.policy,
                  _members.c.host)
        .join(_members, _members.c.group_id == _groups.c.id)
        .where(_members.c.instance_uuid == instance_uuid)
        .order_by(_groups.c.uuid))]
    moves = []
    for row in _rows(conn, instance_uuid):
        entry = _as_dict(row)
        entry['allocations'] = allocation.get_allocations(
            session, row.migration_uuid)['allocations']
        moves.append(entry)
    allocations = allocation.get_allocations(session, instance_uuid)
    placed = record is not None and not record.deleted
    if (spec is None and not placed and not moves and not groups and
            not allocations['allocations']):
        return None
    return {'instance_uuid': instance_uuid, 'request_spec': spec,
            'host': record.host if placed else None,
            'node': record.node if placed else None,
            'allocations': allocations['allocations'],
            'groups': groups, 'moves': moves}
