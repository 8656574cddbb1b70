"""Server groups in the store: the group rows, their members, and the
policy check a claim runs in its own transaction.

A claim for members of a group first moves the group row's generation on,
which takes the row's lock on PostgreSQL and MySQL (SQLite writers are one
at a time anyway): two claims of one group, on any workers, run their check
one after the other, and each sees the other's members once it has the
lock. The check is gantt.server_group_policy.violation; a refusal raises
ServerGroupPolicyConflict and rolls the whole claim back.
"""

from oslo_serialization import jsonutils
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite

from gantt.db import held
from gantt.db import models
from gantt.db import timestamps
from gantt import exception
from gantt import server_group_policy

_groups = models.ServerGroup.__table__
_members = models.ServerGroupMember.__table__
_instances = models.Instance.__table__


def _invalid(reason):
    return exception.InvalidRequest(reason=reason)


def _row(conn, uuid):
    return conn.execute(sa.select(_groups).where(
        _groups.c.uuid == uuid)).first()


def _as_dict(conn, row):
    # A reservation's slot past its deadline is no member any more.
    gone = held.expired_slots(conn)
    members = {m.instance_uuid: m.host for m in conn.execute(
        sa.select(_members.c.instance_uuid, _members.c.host)
        .where(_members.c.group_id == row.id)
        .order_by(_members.c.instance_uuid))
        if m.instance_uuid not in gone}
    return {'uuid': row.uuid, 'name': row.name, 'policy': row.policy,
            'rules': jsonutils.loads(row.rules),
            'project_id': row.project_id, 'user_id': row.user_id,
            'members': members,
            'hosts': sorted({h for h in members.values() if h})}


def _check(policy, rules):
    problem = server_group_policy.problem(policy, rules)
    if problem:
        raise _invalid('server group: %s' % problem)


def _insert(conn, uuid, name, policy, rules, project_id, user_id):
    now = timestamps.utcnow()
    conn.execute(sa.insert(_groups).values(
        uuid=uuid, name=name, policy=policy, rules=jsonutils.dumps(rules),
        project_id=project_id, user_id=user_id, generation=0,
        created_at=now, updated_at=now))


def create(session, uuid, name, policy, rules=None, project_id=None,
           user_id=None):
    """Store a new group; its dict. ServerGroupExists when the uuid is."""
    rules = {} if rules is None else rules
    _check(policy, rules)
    conn = session.connection()
    if _row(conn, uuid) is not None:
        raise exception.ServerGroupExists(uuid=uuid)
    _insert(conn, uuid, name, policy, rules, project_id, user_id)
    return _as_dict(conn, _row(conn, uuid))


def update(session, uuid, name=None, rules=None):
    """Rename a group or replace its rules; its dict. The policy stays
    (the compute controller does not change one either)."""
    conn = session.connection()
    row = _row(conn, uuid)
    if row is None:
        raise exception.ServerGroupNotFound(uuid=uuid)
    values = {'updated_at': timestamps.utcnow(),
              'generation': _groups.c.generation + 1}
    if name is not None:
        values['name'] = name
    if rules is not None:
        _check(row.policy, rules)
        values['rules'] = jsonutils.dumps(rules)
    conn.execute(sa.update(_groups).where(_groups.c.id == row.id)
                 .values(**values))
    return _as_dict(conn, _row(conn, uuid))


def delete(session, uuid):
    """Forget a group and its members; False when it was unknown."""
    conn = session.connection()
    row = _row(conn, uuid)
    if row is None:
        return False
    conn.execute(sa.delete(_members).where(_members.c.group_id == row.id))
    conn.execute(sa.delete(_groups).where(_groups.c.id == row.id))
    return True


def get(session, uuid):
    """The group's dict (members: {instance: host}), or None."""
    conn = session.connection()
    row = _row(conn, uuid)
    return None if row is None else _as_dict(conn, row)


def get_all(session):
    conn = session.connection()
    return [_as_dict(conn, row) for row in conn.execute(
        sa.select(_groups).order_by(_groups.c.uuid))]


def _ignore_existing(insert):
    return insert(_groups).values(
        uuid=sa.bindparam('uuid'), name=sa.bindparam('name'),
        policy=sa.bindparam('policy'), rules=sa.bindparam('rules'),
        project_id=sa.bindparam('project_id'),
        user_id=sa.bindparam('user_id'), generation=0,
        created_at=sa.bindparam('now'), updated_at=sa.bindparam('now'),
    ).on_conflict_do_nothing(index_elements=[_groups.c.uuid])


_LEARN = {'sqlite': _ignore_existing(sqlite.insert),
          'postgresql': _ignore_existing(postgresql.insert)}
_LOCK = (sa.update(_groups)
         .where(_groups.c.uuid == sa.bindparam('group_uuid'))
         .values(generation=_groups.c.generation + 1))
_LOCK_RETURNING = _LOCK.returning(_groups.c.id, _groups.c.uuid,
                                  _groups.c.policy, _groups.c.rules)


def _lock(conn, uuid):
    """Move the group's generation on (its row lock) and read the row in
    the same statement where the dialect can; None when unknown."""
    if conn.dialect.update_returning:
        return conn.execute(_LOCK_RETURNING, {'group_uuid': uuid}).first()
    if conn.execute(_LOCK, {'group_uuid': uuid}).rowcount == 0:
        return None
    return _row(conn, uuid)


def _learn(conn, group):
    """Store a group a RequestSpec names and Gantt does not hold yet, with
    the members it lists whose instance Gantt knows the host of; True
    when it was learned."""
    values = {'uuid': group['uuid'], 'name': group.get('name'),
              'policy': group['policy'],
              'rules': jsonutils.dumps(group.get('rules') or {}),
              'project_id': group.get('project_id'),
              'user_id': group.get('user_id'), 'now': timestamps.utcnow()}
    statement = _LEARN.get(conn.dialect.name)
    if statement is not None:
        if conn.execute(statement, values).rowcount == 0:
            return False
    else:
        if _row(conn, group['uuid']) is not None:
            return False
        conn.execute(sa.insert(_groups).values(
            generation=0, created_at=values['now'],
            updated_at=values.pop('now'), **values))
    members = sorted(set(group.get('members') or ()))
    if members:
        group_id = _row(conn, group['uuid']).id
        conn.execute(sa.insert(_members).from_select(
            ['group_id', 'instance_uuid', 'host', 'node'],
            sa.select(sa.literal(group_id), _instances.c.instance_uuid,
                      _instances.c.host, _instances.c.node)
            .where(_instances.c.instance_uuid.in_(members))
            .where(_instances.c.deleted == sa.false())
            .where(_instances.c.host.is_not(None))))
    return True


def join(conn, group, placements):
    """In a claim's transaction: lock the group (learning it from
    ``group``, the RequestSpec's, when unknown), check its policy for
    ``placements`` [(instance uuid, host, node)] and record them as
    members. Raises ServerGroupPolicyConflict; the stored policy wins over
    the spec's."""
    row = _lock(conn, group['uuid'])
    if row is None:
        _check(group.get('policy'), group.get('rules') or {})
        _learn(conn, group)
        row = _lock(conn, group['uuid'])
    joining = {uuid for uuid, _h, _n in placements}
    stored = {m.instance_uuid: m.host for m in conn.execute(
        sa.select(_members.c.instance_uuid, _members.c.host)
        .where(_members.c.group_id == row.id))}
    # Slots of reservations past their deadline hold no place.
    gone = held.expired_slots(conn)
    members = {uuid: host for uuid, host in stored.items()
               if uuid not in joining and uuid not in gone}
    rules = jsonutils.loads(row.rules)
    refused = server_group_policy.violation(
        row.policy, rules, members, [(u, h) for u, h, _n in placements])
    if refused is not None:
        host, reason = refused
        raise exception.ServerGroupPolicyConflict(
            group=row.uuid, policy=row.policy, host=host, reason=reason,
            provider=host, resource_class='server group',
            consumer=next(u for u, h, _n in placements if h == host))
    if len(members) != len(stored):
        # Members claimed again (a move): their new host replaces the old.
        conn.execute(sa.delete(_members)
                     .where(_members.c.group_id == row.id)
                     .where(_members.c.instance_uuid.in_(sorted(joining))))
    conn.execute(sa.insert(_members), [
        {'group_id': row.id, 'instance_uuid': uuid, 'host': host,
         'node': node} for uuid, host, node in placements])


def leave(conn, instance_uuid):
    """The instance's claim is released: it is no member any more."""
    conn.execute(sa.delete(_members)
                 .where(_members.c.instance_uuid == instance_uuid))


def set_members(session, uuid, placements):
    """Replace a group's members with ``placements`` [(instance uuid,
    host, node)]; where Gantt already knows an instance's host (a compute
    reported it), that host and node win over the ones given. For
    ``gantt-manage import-nova``."""
    conn = session.connection()
    row = _row(conn, uuid)
    if row is None:
        raise exception.ServerGroupNotFound(uuid=uuid)
    known = {r.instance_uuid: (r.host, r.node) for r in conn.execute(
        sa.select(_instances.c.instance_uuid, _instances.c.host,
                  _instances.c.node)
        .where(_instances.c.instance_uuid.in_(
            sorted(u for u, _h, _n in placements)))
        .where(_instances.c.deleted == sa.false())
        .where(_instances.c.host.is_not(None)))}
    conn.execute(sa.delete(_members).where(_members.c.group_id == row.id))
    if placements:
        conn.execute(sa.insert(_members), [
            dict(group_id=row.id, instance_uuid=u,
                 **dict(zip(('host', 'node'), known.get(u, (h, n)))))
            for u, h, n in placements])
    return _as_dict(conn, _row(conn, uuid))
