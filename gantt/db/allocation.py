"""Allocations: claiming, releasing and moving resources, checked in SQL.

Each writing function runs inside one write transaction that
``gantt.db.api.Database`` opened and whose change sequence it bumped; it
is handed the transaction's connection (a SQLAlchemy Connection or a
``gantt.db.driver.Cursor``: only ``execute`` and ``dialect`` are used) and
that sequence. A claim raises its first overdraft as ClaimConflict after a
conditional UPDATE finds no capacity; the exception rolls the whole
transaction back, so a claim is never half done.
"""

import re

import sqlalchemy as sa

from gantt.db import models
from gantt.db import timestamps
from gantt import exception

_providers = models.ResourceProvider.__table__
_inventories = models.Inventory.__table__
_consumers = models.Consumer.__table__
_allocations = models.Allocation.__table__

_RESOURCE_CLASS = re.compile(r'^[A-Z0-9_]+$')

# The hot path's statements, built once (bound parameters per call).
# One provider per statement: a fixed statement is cached whole, where an
# expanding IN is re-rendered on every call (claims name one to three).
_SELECT_INVENTORIES = (
    sa.select(_providers.c.uuid.label('provider_uuid'),
              _providers.c.id.label('provider_id'), _inventories.c.id,
              _inventories.c.resource_class, _inventories.c.min_unit,
              _inventories.c.max_unit, _inventories.c.step_size)
    .select_from(_providers.outerjoin(
        _inventories,
        _inventories.c.resource_provider_id == _providers.c.id))
    .where(_providers.c.uuid == sa.bindparam('uuid')))
_SELECT_CONSUMER = sa.select(_consumers).where(
    _consumers.c.uuid == sa.bindparam('consumer_uuid'))
_INSERT_CONSUMER = sa.insert(_consumers).values(
    uuid=sa.bindparam('uuid'), project_id=sa.bindparam('project_id'),
    user_id=sa.bindparam('user_id'), generation=1,
    created_at=sa.bindparam('now'), updated_at=sa.bindparam('now'))
_INSERT_CONSUMER_RETURNING = _INSERT_CONSUMER.returning(_consumers.c.id)
# A project or user given as None keeps the stored one.
_UPDATE_CONSUMER = (
    sa.update(_consumers).where(_consumers.c.id == sa.bindparam('id'))
    .values(generation=_consumers.c.generation + 1,
            updated_at=sa.bindparam('now'),
            project_id=sa.func.coalesce(sa.bindparam('project_id'),
                                        _consumers.c.project_id),
            user_id=sa.func.coalesce(sa.bindparam('user_id'),
                                     _consumers.c.user_id)))
_TAKE = (sa.update(_inventories)
         .where(_inventories.c.id == sa.bindparam('inventory_id'))
         .where(_inventories.c.used + sa.bindparam('amount') <=
                _inventories.c.capacity)
         .values(used=_inventories.c.used + sa.bindparam('amount'),
                 change_seq=sa.bindparam('seq')))
_INSERT_ALLOCATION = sa.insert(_allocations).values(
    consumer_id=sa.bindparam('consumer_id'),
    resource_provider_id=sa.bindparam('resource_provider_id'),
    resource_class=sa.bindparam('resource_class'),
    used=sa.bindparam('used'))
# The generation moves with every claim, but the provider row is not
# stamped: what changed is inventory usage, which the inventories carry in
# the change feed. Stamping the provider would make every worker re-read
# the host's whole provider tree after each claim.
_BUMP_PROVIDER = (
    sa.update(_providers)
    .where(_providers.c.id == sa.bindparam('provider_id'))
    .values(generation=_providers.c.generation + 1))


def _invalid(reason, *args):
    return exception.InvalidClaim(reason=reason % args)


def parse_request(consumer_uuid, allocation_request):
    """[(provider uuid, resource class, amount)] from a placement-shaped
    allocation request, sorted; raises InvalidClaim on a malformed one."""
    allocations = (allocation_request.get('allocations')
                   if isinstance(allocation_request, dict) else None)
    if not isinstance(allocations, dict) or not allocations:
        raise _invalid('allocation request for consumer %s has no '
                       '"allocations" mapping: %r', consumer_uuid,
                       allocation_request)
    items = []
    for rp_uuid, body in sorted(allocations.items()):
        resources = body.get('resources') if isinstance(body, dict) else None
        if not isinstance(resources, dict) or not resources:
            raise _invalid('allocation for provider %s has no "resources" '
                           'mapping: %r', rp_uuid, body)
        for rc, amount in sorted(resources.items()):
            if not isinstance(rc, str) or not _RESOURCE_CLASS.match(rc):
                raise _invalid('resource class %r on provider %s is not a '
                               'valid name', rc, rp_uuid)
            if (isinstance(amount, bool) or not isinstance(amount, int) or
                    amount <= 0):
                raise _invalid('amount %r of %s on provider %s is not a '
                               'positive integer', amount, rc, rp_uuid)
            items.append((rp_uuid, rc, amount))
    return items


def _inventory_rows(conn, rp_uuids):
    """{provider uuid: provider id} and {(provider uuid, rc): inventory}."""
    providers, inventories = {}, {}
    for rp_uuid in rp_uuids:
        for row in conn.execute(_SELECT_INVENTORIES, {'uuid': rp_uuid}):
            providers[row.provider_uuid] = row.provider_id
            if row.id is not None:
                inventories[(row.provider_uuid, row.resource_class)] = row
    return providers, inventories


def _check_items(conn, items):
    """Validate every item against its inventory; return inventory rows."""
    providers, inventories = _inventory_rows(
        conn, sorted({rp for rp, _rc, _n in items}))
    checked = []
    for rp_uuid, rc, amount in items:
        if rp_uuid not in providers:
            raise _invalid('resource provider %s does not exist', rp_uuid)
        inv = inventories.get((rp_uuid, rc))
        if inv is None:
            raise _invalid('resource provider %s has no inventory of %s',
                           rp_uuid, rc)
        if amount < inv.min_unit:
            raise _invalid('%s amount %d on provider %s is below min_unit %d',
                           rc, amount, rp_uuid, inv.min_unit)
        if amount > inv.max_unit:
            raise _invalid('%s amount %d on provider %s is above max_unit %d',
                           rc, amount, rp_uuid, inv.max_unit)
        if amount % inv.step_size:
            raise _invalid('%s amount %d on provider %s is not a multiple of '
                           'step_size %d', rc, amount, rp_uuid,
                           inv.step_size)
        checked.append((rp_uuid, rc, amount, inv))
    return checked


def _consumer(conn, consumer_uuid):
    return conn.execute(_SELECT_CONSUMER,
                        {'consumer_uuid': consumer_uuid}).first()


def _bump_providers(conn, provider_ids):
    for provider_id in sorted(provider_ids):
        conn.execute(_BUMP_PROVIDER, {'provider_id': provider_id})


_SELECT_HELD = (
    sa.select(_allocations.c.resource_provider_id,
              _allocations.c.resource_class, _allocations.c.used)
    .where(_allocations.c.consumer_id == sa.bindparam('consumer_id'))
    .order_by(_allocations.c.resource_provider_id,
              _allocations.c.resource_class))
_GIVE_BACK = (
    sa.update(_inventories)
    .where(_inventories.c.resource_provider_id == sa.bindparam('rp_id'))
    .where(_inventories.c.resource_class == sa.bindparam('rc'))
    .values(used=sa.case(
        (_inventories.c.used >= sa.bindparam('amount'),
         _inventories.c.used - sa.bindparam('amount')), else_=0),
        change_seq=sa.bindparam('seq')))
_DELETE_HELD = sa.delete(_allocations).where(
    _allocations.c.consumer_id == sa.bindparam('consumer_id'))


def _release(conn, seq, consumer_id):
    """Give back a consumer's allocations; the provider ids touched."""
    rows = conn.execute(_SELECT_HELD,
                        {'consumer_id': consumer_id}).all()
    for rp_id, rc, amount in rows:
        conn.execute(_GIVE_BACK, {'rp_id': rp_id, 'rc': rc,
                                  'amount': amount, 'seq': seq})
    if rows:
        conn.execute(_DELETE_HELD, {'consumer_id': consumer_id})
    return {rp_id for rp_id, _rc, _n in rows}


def _write_consumer(conn, consumer, consumer_uuid, project_id, user_id,
                    now):
    """Create the consumer, or bump its generation; its id.

    A new consumer starts at generation 0 and this write makes it 1.
    """
    if consumer is None:
        values = {'uuid': consumer_uuid, 'project_id': project_id,
                  'user_id': user_id, 'now': now}
        if conn.dialect.insert_returning:
            return conn.execute(_INSERT_CONSUMER_RETURNING,
                                values).scalar_one()
        return conn.execute(_INSERT_CONSUMER,
                            values).inserted_primary_key[0]
    conn.execute(_UPDATE_CONSUMER, {'id': consumer.id, 'now': now,
                                    'project_id': project_id,
                                    'user_id': user_id})
    return consumer.id


def claim(conn, seq, consumer_uuid, allocation_request, project_id, user_id,
          consumer_generation=None):
    """Allocate ``allocation_request`` to the consumer, or raise.

    Raises InvalidClaim (unknown provider or class, bad amount, min/max/
    step), ConsumerGenerationConflict (a given generation that is not the
    consumer's), ClaimConflict (capacity gone). Replaces any allocations the
    consumer already held.
    """
    checked = _check_items(
        conn, parse_request(consumer_uuid, allocation_request))
    consumer = _consumer(conn, consumer_uuid)
    if consumer_generation is not None:
        actual = None if consumer is None else consumer.generation
        if actual != consumer_generation:
            raise exception.ConsumerGenerationConflict(
                consumer=consumer_uuid, expected=consumer_generation,
                actual=actual)
    touched = set()
    if consumer is not None:
        # A claim replaces what the consumer held, as placement's PUT does.
        touched |= _release(conn, seq, consumer.id)
    consumer_id = _write_consumer(conn, consumer, consumer_uuid,
                                  project_id, user_id, timestamps.utcnow())
    for rp_uuid, rc, amount, inv in checked:
        result = conn.execute(_TAKE, {'inventory_id': inv.id,
                                      'amount': amount, 'seq': seq})
        if result.rowcount != 1:
            raise exception.ClaimConflict(provider=rp_uuid,
                                          resource_class=rc)
        touched.add(inv.provider_id)
    conn.execute(_INSERT_ALLOCATION, [
        {'consumer_id': consumer_id, 'resource_provider_id': inv.provider_id,
         'resource_class': rc, 'used': amount}
        for _rp, rc, amount, inv in checked])
    _bump_providers(conn, touched)


def claim_all(conn, seq, requests):
    """Claim every (consumer, request, project, user[, generation]) or none."""
    seen = set()
    for entry in requests:
        if entry[0] in seen:
            raise _invalid('consumer %s appears twice in one claim',
                           entry[0])
        seen.add(entry[0])
        claim(conn, seq, *entry)


def delete_allocations(conn, seq, consumer_uuid):
    """Release a consumer's allocations; True if it held any. Idempotent."""
    consumer = _consumer(conn, consumer_uuid)
    if consumer is None:
        return False
    touched = _release(conn, seq, consumer.id)
    conn.execute(sa.delete(_consumers)
                 .where(_consumers.c.id == consumer.id))
    _bump_providers(conn, touched)
    return bool(touched)


def move_allocations(conn, seq, source_uuid, target_uuid):
    """Give the source consumer's allocations to the target consumer.

    ``used`` does not change; amounts the target already holds on the same
    provider and class are added to. The emptied source consumer is
    removed. False when the source held nothing (already moved).
    """
    source = _consumer(conn, source_uuid)
    rows = [] if source is None else conn.execute(
        sa.select(_allocations)
        .where(_allocations.c.consumer_id == source.id)).all()
    if not rows:
        return False
    target = _consumer(conn, target_uuid)
    target_id = _write_consumer(
        conn, target, target_uuid,
        None if target is not None else source.project_id,
        None if target is not None else source.user_id,
        timestamps.utcnow())
    for row in rows:
        result = conn.execute(
            sa.update(_allocations)
            .where(_allocations.c.consumer_id == target_id)
            .where(_allocations.c.resource_provider_id ==
                   row.resource_provider_id)
            .where(_allocations.c.resource_class == row.resource_class)
            .values(used=_allocations.c.used + row.used))
        if result.rowcount == 0:
            conn.execute(sa.insert(_allocations).values(
                consumer_id=target_id,
                resource_provider_id=row.resource_provider_id,
                resource_class=row.resource_class, used=row.used))
    conn.execute(sa.delete(_allocations)
                 .where(_allocations.c.consumer_id == source.id))
    conn.execute(sa.delete(_consumers)
                 .where(_consumers.c.id == source.id))
    _bump_providers(conn, {row.resource_provider_id for row in rows})
    return True


def allocations_by_consumer(session, consumer_ids):
    """{consumer id: {provider uuid: {resource class: amount}}}."""
    result = {}
    if not consumer_ids:
        return result
    rows = session.execute(
        sa.select(_allocations.c.consumer_id, _providers.c.uuid,
                  _allocations.c.resource_class, _allocations.c.used)
        .join(_providers,
              _providers.c.id == _allocations.c.resource_provider_id)
        .where(_allocations.c.consumer_id.in_(sorted(consumer_ids))))
    for consumer_id, rp_uuid, rc, amount in rows:
        result.setdefault(consumer_id, {}).setdefault(rp_uuid, {})[rc] = (
            amount)
    return result


def get_allocations(session, consumer_uuid):
    """A consumer's allocations in placement's JSON shape."""
    conn = session.connection()
    consumer = _consumer(conn, consumer_uuid)
    if consumer is None:
        return {'allocations': {}}
    rows = conn.execute(
        sa.select(_providers.c.uuid, _providers.c.generation,
                  _allocations.c.resource_class, _allocations.c.used)
        .join(_providers,
              _providers.c.id == _allocations.c.resource_provider_id)
        .where(_allocations.c.consumer_id == consumer.id))
    allocations = {}
    for rp_uuid, generation, rc, amount in rows:
        entry = allocations.setdefault(
            rp_uuid, {'resources': {}, 'generation': generation})
        entry['resources'][rc] = amount
    return {'allocations': allocations,
            'consumer_generation': consumer.generation,
            'project_id': consumer.project_id,
            'user_id': consumer.user_id}


def overcommitted_providers(session):
    """[(provider uuid, resource class, used, capacity)] where used > cap."""
    rows = session.execute(
        sa.select(_providers.c.uuid, _inventories.c.resource_class,
                  _inventories.c.used, _inventories.c.capacity)
        .join(_providers,
              _providers.c.id == _inventories.c.resource_provider_id)
        .where(_inventories.c.used > _inventories.c.capacity)
        .order_by(_providers.c.uuid, _inventories.c.resource_class))
    return [tuple(row) for row in rows]
