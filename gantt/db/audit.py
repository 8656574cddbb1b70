"""Finding allocations nobody owns: consumers no compute reports.

A consumer whose uuid is not a live instance in the instances table and
that has not been written for the grace period is an orphan (a build that
failed after its claim, a lost release). Consumers of long-running moves
(a migration holding the source) also show here: review before fixing.
"""

import datetime

import sqlalchemy as sa

from gantt.db import allocation
from gantt.db import claim_release
from gantt.db import models
from gantt.db import timestamps

_consumers = models.Consumer.__table__
_allocations = models.Allocation.__table__
_instances = models.Instance.__table__


def find_orphans(session, grace_seconds, fix=False):
    """Orphaned consumers as dicts; with ``fix``, release them too.

    Each dict: consumer_uuid, project_id, user_id, updated_at (epoch),
    allocations ({provider uuid: {resource class: amount}}).
    """
    cutoff = timestamps.utcnow() - datetime.timedelta(seconds=grace_seconds)
    live = (sa.select(_instances.c.id)
            .where(_instances.c.instance_uuid == _consumers.c.uuid)
            .where(_instances.c.deleted == sa.false()))
    held = (sa.select(_allocations.c.id)
            .where(_allocations.c.consumer_id == _consumers.c.id))
    rows = session.execute(
        sa.select(_consumers)
        .where(_consumers.c.updated_at < cutoff)
        .where(held.exists())
        .where(~live.exists())
        .order_by(_consumers.c.updated_at, _consumers.c.uuid)).all()
    allocations = allocation.allocations_by_consumer(
        session, [row.id for row in rows])
    orphans = [{'consumer_uuid': row.uuid, 'project_id': row.project_id,
                'user_id': row.user_id,
                'updated_at': timestamps.to_epoch(row.updated_at),
                'allocations': allocations.get(row.id, {})}
               for row in rows]
    if fix:
        conn = session.connection()
        for orphan in orphans:
            # Released whole, as delete_allocations releases: the
            # decision, group membership and NUMA claims go with it.
            claim_release.release(conn, session.info['change_seq'],
                                  orphan['consumer_uuid'])
    return orphans
