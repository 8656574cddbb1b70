"""Stored decisions: the selections each claimed instance was given.

Written in the claim's own transaction (gantt.db.api.claim_instances) and
removed with the instance's allocations, so a stored decision never
outlives its claim. gantt.decisions says when one is given again.
"""

import sqlalchemy as sa

from gantt.db import models
from gantt.db import row_upsert

_decisions = models.Decision.__table__
_consumers = models.Consumer.__table__
_allocations = models.Allocation.__table__
_providers = models.ResourceProvider.__table__

_DELETE_ONE = sa.delete(_decisions).where(
    _decisions.c.instance_uuid == sa.bindparam('uuid'))
UPSERT = row_upsert.Upsert(_decisions, 'instance_uuid', {
    'request_digest': sa.bindparam('digest'),
    'selections': sa.bindparam('selections'),
    'created_at': sa.bindparam('now')})


def record(conn, digest, decided, now):
    """Store {instance uuid: encoded selections} under ``digest``, each
    replacing the instance's earlier decision (gantt.db.row_upsert)."""
    rows = [{'uuid': uuid, 'digest': digest, 'selections': text,
             'now': now} for uuid, text in decided.items()]
    UPSERT.execute(conn, rows)


def forget(conn, instance_uuid):
    """Drop the instance's decision (its claim is released or moved)."""
    conn.execute(_DELETE_ONE, {'uuid': instance_uuid})


def find(session, instance_uuids, digest, since):
    """{instance uuid: (encoded selections, {provider uuid: {rc: amount}}
    the instance holds now)} for the decisions under ``digest`` made at or
    after ``since``."""
    found = {row.instance_uuid: row.selections for row in session.execute(
        sa.select(_decisions.c.instance_uuid, _decisions.c.selections)
        .where(_decisions.c.instance_uuid.in_(sorted(set(instance_uuids))))
        .where(_decisions.c.request_digest == digest)
        .where(_decisions.c.created_at >= since))}
    if not found:
        return {}
    held = {uuid: {} for uuid in found}
    for uuid, rp_uuid, rc, amount in session.execute(
            sa.select(_consumers.c.uuid, _providers.c.uuid,
                      _allocations.c.resource_class, _allocations.c.used)
            .join(_allocations,
                  _allocations.c.consumer_id == _consumers.c.id)
            .join(_providers,
                  _providers.c.id == _allocations.c.resource_provider_id)
            .where(_consumers.c.uuid.in_(sorted(found)))):
        held[uuid].setdefault(rp_uuid, {})[rc] = amount
    return {uuid: (text, held[uuid]) for uuid, text in found.items()}
