"""Which instances live on which host, as computes report them.

One row per instance; a removed instance is flagged deleted (and stamped)
so that scheduler caches learn of it.
"""

import sqlalchemy as sa

from gantt.db import models
from gantt.db import row_upsert

_instances = models.Instance.__table__


# Built once: a claim records its instance through it on every call.
PLACE = row_upsert.Upsert(_instances, 'instance_uuid', {
    'host': sa.bindparam('host'), 'node': sa.bindparam('node'),
    'deleted': False, 'change_seq': sa.bindparam('seq')})


def upsert(conn, seq, host, node, instance_uuids):
    """Record each instance on ``host``/``node``, stamped ``seq``."""
    place(conn, seq, [(uuid, host, node) for uuid in instance_uuids])


def place(conn, seq, placements):
    """Record each (instance uuid, host, node), stamped ``seq``
    (gantt.db.row_upsert)."""
    rows = [{'uuid': uuid, 'host': host, 'node': node, 'seq': seq}
            for uuid, host, node in placements]
    PLACE.execute(conn, rows)


def add(session, host, node, instance_uuids):
    """Record instances as living on ``host``/``node``."""
    upsert(session.connection(), session.info['change_seq'], host, node,
           sorted(set(instance_uuids)))


def delete(session, host, instance_uuid):
    """Flag an instance gone from ``host`` (a later host's record stays)."""
    result = session.execute(
        sa.update(_instances)
        .where(_instances.c.instance_uuid == instance_uuid)
        .where(_instances.c.host == host)
        .where(_instances.c.deleted == sa.false())
        .values(deleted=True, change_seq=session.info['change_seq']))
    return result.rowcount > 0


def forget(conn, seq, instance_uuid):
    """Flag the instance's record gone, whichever host holds it, stamped
    ``seq``; whether it had one."""
    return conn.execute(
        sa.update(_instances)
        .where(_instances.c.instance_uuid == instance_uuid)
        .where(_instances.c.deleted == sa.false())
        .values(deleted=True, change_seq=seq)).rowcount > 0


def sync(session, host, instance_uuids, node=None):
    """Make ``instance_uuids`` exactly the instances on ``host``.

    Instances already recorded on this host keep their node unless
    ``node`` is given.
    """
    seq = session.info['change_seq']
    wanted = set(instance_uuids)
    current = {
        row.instance_uuid: row.node for row in session.execute(
            sa.select(_instances.c.instance_uuid, _instances.c.node)
            .where(_instances.c.host == host)
            .where(_instances.c.deleted == sa.false()))}
    gone = sorted(set(current) - wanted)
    if gone:
        session.execute(sa.update(_instances)
                        .where(_instances.c.instance_uuid.in_(gone))
                        .values(deleted=True, change_seq=seq))
    new = sorted(wanted - set(current))
    upsert(session.connection(), seq, host, node, new)
    if node is not None:
        moved = sorted(u for u in wanted & set(current) if current[u] != node)
        upsert(session.connection(), seq, host, node, moved)


# Ordered by (change_seq, id) so the change_seq index serves it.
CHANGED_SINCE = (
    sa.select(_instances.c.instance_uuid, _instances.c.host,
              _instances.c.node, _instances.c.deleted)
    .where(_instances.c.change_seq > sa.bindparam('since'))
    .order_by(_instances.c.change_seq, _instances.c.id))


def changed_since(conn, since):
    return [{'instance_uuid': row.instance_uuid, 'host': row.host,
             'node': row.node, 'deleted': bool(row.deleted)}
            for row in conn.execute(CHANGED_SINCE, {'since': since})]


def live_uuids(session):
    """Every instance uuid some compute currently reports."""
    return set(session.execute(
        sa.select(_instances.c.instance_uuid)
        .where(_instances.c.deleted == sa.false())).scalars())
