"""Aggregates and their member hosts; a deleted aggregate stays, flagged."""

from oslo_serialization import jsonutils
import sqlalchemy as sa

from gantt.db import models
from gantt.objects import base as obj_base

_aggregates = models.Aggregate.__table__
_agg_hosts = models.AggregateHost.__table__


def _uuid_of(agg):
    return agg if isinstance(agg, str) else agg.uuid


def save(session, agg):
    """Create or replace an aggregate: name, metadata and member hosts."""
    seq = session.info['change_seq']
    values = {
        'name': obj_base.field(agg, 'name'),
        'metadata': jsonutils.dumps(
            dict(obj_base.field(agg, 'metadata', {}))),
        'deleted': False,
        'change_seq': seq,
    }
    agg_id = session.execute(
        sa.select(_aggregates.c.id)
        .where(_aggregates.c.uuid == agg.uuid)).scalar()
    if agg_id is None:
        agg_id = session.execute(sa.insert(_aggregates).values(
            uuid=agg.uuid, **values)).inserted_primary_key[0]
    else:
        session.execute(sa.update(_aggregates)
                        .where(_aggregates.c.id == agg_id).values(**values))
    _set_hosts(session, agg_id, obj_base.field(agg, 'hosts', []))


def _set_hosts(session, agg_id, hosts):
    wanted = set(hosts)
    current = set(session.execute(
        sa.select(_agg_hosts.c.host)
        .where(_agg_hosts.c.aggregate_id == agg_id)).scalars())
    gone = current - wanted
    if gone:
        session.execute(sa.delete(_agg_hosts)
                        .where(_agg_hosts.c.aggregate_id == agg_id)
                        .where(_agg_hosts.c.host.in_(sorted(gone))))
    for host in sorted(wanted - current):
        session.execute(sa.insert(_agg_hosts).values(aggregate_id=agg_id,
                                                     host=host))


def delete(session, agg):
    """Flag the aggregate deleted and drop its hosts; True if it existed."""
    agg_id = session.execute(
        sa.select(_aggregates.c.id)
        .where(_aggregates.c.uuid == _uuid_of(agg))
        .where(_aggregates.c.deleted == sa.false())).scalar()
    if agg_id is None:
        return False
    _set_hosts(session, agg_id, [])
    session.execute(sa.update(_aggregates).where(_aggregates.c.id == agg_id)
                    .values(deleted=True,
                            change_seq=session.info['change_seq']))
    return True


def changed_since(session, since):
    """Aggregates stamped after ``since``, as plain dicts with hosts."""
    rows = session.execute(
        sa.select(_aggregates).where(_aggregates.c.change_seq > since)
        .order_by(_aggregates.c.change_seq, _aggregates.c.id)).all()
    hosts = {}
    if rows:
        query = sa.select(_agg_hosts.c.aggregate_id, _agg_hosts.c.host)
        if since > 0:
            query = query.join(
                _aggregates,
                _aggregates.c.id == _agg_hosts.c.aggregate_id).where(
                    _aggregates.c.change_seq > since)
        for agg_id, host in session.execute(query):
            hosts.setdefault(agg_id, []).append(host)
    return [{'uuid': row.uuid, 'name': row.name,
             'hosts': sorted(hosts.get(row.id, [])),
             'metadata': jsonutils.loads(row.metadata),
             'deleted': bool(row.deleted)} for row in rows]
