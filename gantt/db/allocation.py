"""Allocations: claiming, releasing and moving resources, checked in SQL.

Each writing function runs inside one write transaction that
``gantt.db.api.Database`` opened (through oslo.db's engine facade) and
whose change sequence it bumped; it is handed the transaction's
Connection and that sequence. A claim takes all its amounts in one
conditional UPDATE whose condition is gantt.fit's rule, evaluated by the
database on the inventory rows; if any row refuses, the claim raises
ClaimConflict naming it and the whole transaction rolls back, so a claim
is never half done.
"""

import functools
import re

import sqlalchemy as sa

from gantt.db import held
from gantt.db import models
from gantt.db import timestamps
from gantt import exception
from gantt import fit

_providers = models.ResourceProvider.__table__
_inventories = models.Inventory.__table__
_consumers = models.Consumer.__table__
_allocations = models.Allocation.__table__

_RESOURCE_CLASS = re.compile(r'^[A-Z0-9_]+$')

# The statements every claim runs, built once (bound parameters per call).
# A statement over a list is built once per length with one parameter per
# item (``<name>_<i>``): SQLAlchemy caches it whole, where an expanding IN
# is rendered again on every call.


def _binds(name, count):
    return [sa.bindparam('%s_%d' % (name, i)) for i in range(count)]


def _params(name, values, params=None):
    params = {} if params is None else params
    for i, value in enumerate(values):
        params['%s_%d' % (name, i)] = value
    return params


@functools.lru_cache(maxsize=None)
def _select_inventories(count):
    """Binds ``uuid_<i>``: the providers' ids and inventories."""
    return (
        sa.select(_providers.c.uuid.label('provider_uuid'),
                  _providers.c.id.label('provider_id'), _inventories.c.id,
                  _inventories.c.resource_class, _inventories.c.min_unit,
                  _inventories.c.max_unit, _inventories.c.step_size)
        .select_from(_providers.outerjoin(
            _inventories,
            _inventories.c.resource_provider_id == _providers.c.id))
        .where(_providers.c.uuid.in_(_binds('uuid', count))))


_SELECT_CONSUMER = sa.select(_consumers).where(
    _consumers.c.uuid == sa.bindparam('consumer_uuid'))
_INSERT_CONSUMER = sa.insert(_consumers).values(
    uuid=sa.bindparam('uuid'), project_id=sa.bindparam('project_id'),
    user_id=sa.bindparam('user_id'), generation=1,
    created_at=sa.bindparam('now'), updated_at=sa.bindparam('now'))
_INSERT_CONSUMER_RETURNING = _INSERT_CONSUMER.returning(_consumers.c.id)
# A project or user given as None keeps the stored one.
_UPDATE_CONSUMER = (
    sa.update(_consumers)
    .where(_consumers.c.id == sa.bindparam('consumer_id'))
    .values(generation=_consumers.c.generation + 1,
            updated_at=sa.bindparam('now'),
            project_id=sa.func.coalesce(sa.bindparam('project_id'),
                                        _consumers.c.project_id),
            user_id=sa.func.coalesce(sa.bindparam('user_id'),
                                     _consumers.c.user_id)))


@functools.lru_cache(maxsize=None)
def _bump_providers_statement(count):
    """Binds ``rp_<i>``: moves those providers' generations on.

    The generation moves with every claim, but the provider row is not
    stamped: what changed is inventory usage, which the inventories carry
    in the change feed. Stamping the provider would make every worker
    re-read the host's whole provider tree after each claim.
    """
    return (sa.update(_providers)
            .where(_providers.c.id.in_(_binds('rp', count)))
            .values(generation=_providers.c.generation + 1))


# Run with every row of a claim at once (the driver's executemany); a
# multi-row VALUES statement would be compiled again on every call.
_INSERT_ALLOCATIONS = sa.insert(_allocations).values(
    consumer_id=sa.bindparam('consumer_id'),
    resource_provider_id=sa.bindparam('resource_provider_id'),
    resource_class=sa.bindparam('resource_class'),
    used=sa.bindparam('used'), deadline=sa.bindparam('deadline'))


@functools.lru_cache(maxsize=None)
def take_statement(count, returning):
    """The conditional UPDATE that takes ``count`` amounts at once.

    Binds ``id_<i>``, ``amount_<i>`` and ``times_<i>`` (the i-th inventory
    row, the amount each claim takes from it and how many claims of this
    request take that amount there) and ``seq``. Each row's values are
    picked by a CASE on its id, and a row is updated only where
    gantt.fit.fits_times, called with the inventory table's columns and
    those values, holds: the claim's SQL condition is the engine's rule,
    not a copy of it. With ``returning``, the ids of the rows that took
    their amounts come back.

    Rows of reservations past their deadline (binds ``now``) count as
    free (gantt.db.held); the sum of them is read only for a row whose
    ``used`` alone leaves no room.
    """
    inv = _inventories.c
    ids = _binds('id', count)
    amounts = [sa.bindparam('amount_%d' % i, type_=sa.Integer)
               for i in range(count)]
    times = [sa.bindparam('times_%d' % i, type_=sa.Integer)
             for i in range(count)]

    def pick(values):
        return (values[0] if count == 1 else
                sa.case(*[(inv.id == i, v) for i, v in zip(ids, values)]))
    amount, times = pick(amounts), pick(times)
    used = sa.case((fit.has_room(inv.capacity, inv.used, amount * times),
                    inv.used), else_=held.live_used())
    statement = (
        sa.update(_inventories)
        .where(inv.id.in_(ids))
        .where(fit.fits_times(inv.capacity, used, inv.min_unit,
                              inv.max_unit, inv.step_size, amount, times))
        .values(used=inv.used + amount * times,
                change_seq=sa.bindparam('seq')))
    return statement.returning(inv.id) if returning else statement


@functools.lru_cache(maxsize=None)
def take_and_bump_statement(count):
    """take_statement(count, returning=True) that also moves on the
    generation of every provider whose row it took from, in the same
    statement (a data-modifying WITH, PostgreSQL): one round trip fewer
    per claim. The ids of the rows that took their amounts come back; a
    row that refused leaves its provider alone, and the claim then raises
    and rolls back anyway.
    """
    inv = _inventories.c
    taken = take_statement(count, False).returning(
        inv.id, inv.resource_provider_id).cte('taken')
    bumped = (sa.update(_providers)
              .where(_providers.c.id.in_(
                  sa.select(taken.c.resource_provider_id)))
              .values(generation=_providers.c.generation + 1)
              .cte('bumped'))
    return sa.select(taken.c.id).add_cte(bumped)


def _bumps_in_take(dialect):
    """Whether the take statement moves the providers' generations on
    itself (take_and_bump_statement)."""
    return dialect.name == 'postgresql'


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
    for row in conn.execute(_select_inventories(len(rp_uuids)),
                            _params('uuid', rp_uuids)):
        providers[row.provider_uuid] = row.provider_id
        if row.id is not None:
            inventories[(row.provider_uuid, row.resource_class)] = row
    return providers, inventories


def _unit_problem(inv, amount):
    """Why ``amount`` is not a unit ``inv`` hands out, or None.

    The answer is gantt.fit.unit_ok's; to say which bound refused, each is
    asked alone, the others opened up to the amount itself.
    """
    if fit.unit_ok(inv.min_unit, inv.max_unit, inv.step_size, amount):
        return None
    if not fit.unit_ok(inv.min_unit, amount, 1, amount):
        return 'is below min_unit %d' % inv.min_unit
    if not fit.unit_ok(amount, inv.max_unit, 1, amount):
        return 'is above max_unit %d' % inv.max_unit
    return 'is not a multiple of step_size %d' % inv.step_size


def _check_claims(conn, parsed):
    """Validate every claim's items against their inventories, read in one
    statement; per claim, [(provider uuid, rc, amount, inventory row)]."""
    providers, inventories = _inventory_rows(
        conn, sorted({rp for items in parsed for rp, _rc, _n in items}))
    checked = []
    for items in parsed:
        rows = []
        for rp_uuid, rc, amount in items:
            if rp_uuid not in providers:
                raise _invalid('resource provider %s does not exist',
                               rp_uuid)
            inv = inventories.get((rp_uuid, rc))
            if inv is None:
                raise exception.InventoryUnavailable(
                    reason='resource provider %s has no inventory of %s'
                    % (rp_uuid, rc))
            problem = _unit_problem(inv, amount)
            if problem:
                raise exception.InventoryUnavailable(
                    reason='%s amount %d on provider %s %s'
                    % (rc, amount, rp_uuid, problem))
            rows.append((rp_uuid, rc, amount, inv))
        checked.append(rows)
    return checked


@functools.lru_cache(maxsize=None)
def _select_consumers(count):
    """Binds ``uuid_<i>``: those consumers' rows."""
    return sa.select(_consumers).where(
        _consumers.c.uuid.in_(_binds('uuid', count)))


def _consumer(conn, consumer_uuid):
    return conn.execute(_SELECT_CONSUMER,
                        {'consumer_uuid': consumer_uuid}).first()


def set_consumer_generation(conn, consumer_uuid, generation):
    """Give a consumer the generation another store held for it (an
    import); a consumer this store does not hold is left alone."""
    conn.execute(sa.update(_consumers)
                 .where(_consumers.c.uuid == consumer_uuid)
                 .values(generation=generation))


def _consumers_by_uuid(conn, consumer_uuids):
    return {row.uuid: row for row in conn.execute(
        _select_consumers(len(consumer_uuids)),
        _params('uuid', consumer_uuids))}


def _bump_providers(conn, provider_ids):
    if provider_ids:
        conn.execute(_bump_providers_statement(len(provider_ids)),
                     _params('rp', sorted(provider_ids)))


_SELECT_HELD_PROVIDERS = (
    sa.select(_allocations.c.resource_provider_id).distinct()
    .where(_allocations.c.consumer_id == sa.bindparam('consumer_id')))
# What the consumer holds of each inventory row, as a correlated subquery:
# one statement gives every row back, however many the consumer holds.
_HELD = (
    sa.select(_allocations.c.used)
    .where(_allocations.c.consumer_id == sa.bindparam('consumer_id'))
    .where(_allocations.c.resource_provider_id ==
           _inventories.c.resource_provider_id)
    .where(_allocations.c.resource_class == _inventories.c.resource_class))


@functools.lru_cache(maxsize=None)
def _give_back_statement(count):
    """Binds ``consumer_id``, ``seq`` and ``rp_<i>``: returns what the
    consumer holds to the inventories of those ``count`` providers.

    The providers (the ones the consumer holds allocations on) bound the
    rows the database looks at: without them each release would test the
    correlated subquery on every inventory row of the fleet.
    """
    return (
        sa.update(_inventories)
        .where(_inventories.c.resource_provider_id.in_(_binds('rp', count)))
        .where(_HELD.exists())
        .values(used=sa.case(
            (_inventories.c.used >= _HELD.scalar_subquery(),
             _inventories.c.used - _HELD.scalar_subquery()), else_=0),
            change_seq=sa.bindparam('seq')))


_DELETE_HELD = sa.delete(_allocations).where(
    _allocations.c.consumer_id == sa.bindparam('consumer_id'))


def _release(conn, seq, consumer_id):
    """Give back a consumer's allocations; the provider ids touched."""
    touched = set(conn.execute(_SELECT_HELD_PROVIDERS,
                               {'consumer_id': consumer_id}).scalars())
    if touched:
        params = {'consumer_id': consumer_id, 'seq': seq}
        conn.execute(_give_back_statement(len(touched)),
                     _params('rp', sorted(touched), dict(params)))
        conn.execute(_DELETE_HELD, params)
    return touched


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
    conn.execute(_UPDATE_CONSUMER, {'consumer_id': consumer.id, 'now': now,
                                    'project_id': project_id,
                                    'user_id': user_id})
    return consumer.id


def _write_consumers(conn, claims, found, now):
    """Create the new consumers and bump the known ones, each kind in one
    statement; {consumer uuid: id}."""
    new = [{'uuid': uuid, 'project_id': project, 'user_id': user,
            'now': now} for uuid, _req, project, user, _gen in claims
           if uuid not in found]
    old = [{'consumer_id': found[uuid].id, 'now': now,
            'project_id': project, 'user_id': user}
           for uuid, _req, project, user, _gen in claims if uuid in found]
    ids = {uuid: row.id for uuid, row in found.items()}
    if len(new) == 1:
        ids[new[0]['uuid']] = _write_consumer(
            conn, None, new[0]['uuid'], new[0]['project_id'],
            new[0]['user_id'], now)
    elif new:
        conn.execute(_INSERT_CONSUMER, new)
        ids.update((row.uuid, row.id) for row in conn.execute(
            _select_consumers(len(new)),
            _params('uuid', [v['uuid'] for v in new])))
    if old:
        conn.execute(_UPDATE_CONSUMER, old)
    return ids


def _take(conn, seq, claims, checked):
    """Take every checked amount of every claim, or raise ClaimConflict
    naming a claim (``consumer``) whose inventory refused.

    All amounts go in one conditional UPDATE; only when one inventory row
    gives different amounts to several claims of the request does each
    further amount take one more statement (a row appears once in each).
    """
    per_row = {}
    for index, rows in enumerate(checked):
        for item in rows:
            amounts = per_row.setdefault(item[3].id, {})
            amounts.setdefault(item[2], []).append((index, item))
    rounds = []
    for inv_id, amounts in sorted(per_row.items()):
        for r, (amount, users) in enumerate(sorted(amounts.items())):
            if r == len(rounds):
                rounds.append([])
            rounds[r].append((inv_id, amount, users))
    bump = _bumps_in_take(conn.dialect)
    for r, taking in enumerate(rounds):
        # Later rounds take from rows the first one took from already.
        _take_round(conn, seq, claims, taking, bump=bump and r == 0)
    if not bump or not rounds:
        return set()
    return {item[3].provider_id for rows in checked for item in rows}


def _take_round(conn, seq, claims, taking, bump=False):
    returning = bump or conn.dialect.update_returning
    params = _params('id', [t[0] for t in taking],
                     {'seq': seq, 'now': timestamps.utcnow()})
    _params('amount', [t[1] for t in taking], params)
    _params('times', [len(t[2]) for t in taking], params)
    statement = (take_and_bump_statement(len(taking)) if bump else
                 take_statement(len(taking), returning))
    result = conn.execute(statement, params)
    if returning:
        taken = set(result.scalars())
        if len(taken) == len(taking):
            return
        lost = [t for t in taking if t[0] not in taken]
    else:
        if result.rowcount == len(taking):
            return
        lost = _refusing(conn, taking)
    index, (rp_uuid, rc, _n, _inv) = lost[0][2][0]
    raise exception.ClaimConflict(provider=rp_uuid, resource_class=rc,
                                  consumer=claims[index][0])


def _refusing(conn, taking):
    """The entries whose inventory has no room for them now (for dialects
    without UPDATE ... RETURNING: an entry that took its amounts may show
    too, so the entries that cannot have taken theirs come first)."""
    inv = _inventories.c
    rows = {row.id: row for row in conn.execute(
        sa.select(inv.id, inv.capacity, inv.used, inv.min_unit,
                  inv.max_unit, inv.step_size)
        .where(inv.id.in_([t[0] for t in taking])))}

    def fits_now(entry):
        row = rows[entry[0]]
        return fit.fits_times(row.capacity, row.used, row.min_unit,
                              row.max_unit, row.step_size, entry[1],
                              len(entry[2]))
    return ([t for t in taking if not fits_now(t)] or list(taking))


def claim(conn, seq, consumer_uuid, allocation_request, project_id, user_id,
          consumer_generation=None):
    """Allocate ``allocation_request`` to the consumer, or raise.

    Raises InvalidClaim (unknown provider or class, bad amount, min/max/
    step), ConsumerGenerationConflict (a given generation that is not the
    consumer's), ClaimConflict (capacity gone). Replaces any allocations the
    consumer already held.
    """
    claim_all(conn, seq, [(consumer_uuid, allocation_request, project_id,
                           user_id, consumer_generation)])


def claim_all(conn, seq, requests, deadline=None):
    """Claim every (consumer, request, project, user[, generation]) or none.

    With ``deadline`` (a naive UTC datetime) the allocation rows carry it:
    a reservation's, free again once it has passed (gantt.db.held).

    Whatever the number of claims, the statements are the same few: read
    the inventories, read the consumers, write the consumers, take every
    amount (one conditional UPDATE), insert every allocation, move the
    providers' generations on. Raises as claim() does, ClaimConflict
    carrying the refused ``consumer`` in its kwargs.
    """
    claims = []
    for entry in requests:
        entry = tuple(entry) + (None,) * (5 - len(entry))
        if any(entry[0] == c[0] for c in claims):
            raise _invalid('consumer %s appears twice in one claim',
                           entry[0])
        claims.append(entry)
    if not claims:
        return
    checked = _check_claims(
        conn, [parse_request(c[0], c[1]) for c in claims])
    found = _consumers_by_uuid(conn, [c[0] for c in claims])
    for uuid, _req, _project, _user, generation in claims:
        if generation is not None:
            consumer = found.get(uuid)
            actual = None if consumer is None else consumer.generation
            if actual != generation:
                raise exception.ConsumerGenerationConflict(
                    consumer=uuid, expected=generation, actual=actual)
    touched = set()
    for consumer in found.values():
        # A claim replaces what the consumer held, as placement's PUT does.
        touched |= _release(conn, seq, consumer.id)
    ids = _write_consumers(conn, claims, found, timestamps.utcnow())
    bumped = _take(conn, seq, claims, checked)
    conn.execute(_INSERT_ALLOCATIONS, [
        {'consumer_id': ids[claim[0]],
         'resource_provider_id': inv.provider_id,
         'resource_class': rc, 'used': amount, 'deadline': deadline}
        for claim, rows in zip(claims, checked)
        for _rp, rc, amount, inv in rows])
    _bump_providers(conn, (touched | {inv.provider_id for rows in checked
                                      for _rp, _rc, _n, inv in rows})
                    - bumped)


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


def check_consumer_generation(conn, consumer_uuid, expected):
    """Raise ConsumerGenerationConflict unless the consumer's generation is
    ``expected`` (None: the consumer must not exist yet)."""
    consumer = _consumer(conn, consumer_uuid)
    actual = None if consumer is None else consumer.generation
    if actual != expected:
        raise exception.ConsumerGenerationConflict(
            consumer=consumer_uuid, expected=expected, actual=actual)


def replace_all(conn, seq, entries, check_generations=True):
    """Set every consumer's allocations at once, or none of them.

    ``entries`` is [(consumer uuid, allocation request, project, user,
    consumer generation)]; an empty ``allocations`` mapping releases what
    the consumer holds. Releases go first, so amounts given up by one
    consumer can be taken by another in the same call (a move).
    """
    released = release_all(conn, seq, entries, check_generations,
                           bump=False)
    claim_entries(conn, seq, entries)
    # A provider given back and taken from again moved on with the claim;
    # one only given back moves on here: each once, as in placement.
    claimed = {rp for _c, request, _p, _u, _g in entries
               for rp in request.get('allocations') or ()}
    if released and claimed:
        released -= set(conn.execute(
            sa.select(_providers.c.id)
            .where(_providers.c.uuid.in_(sorted(claimed)))).scalars())
    _bump_providers(conn, released)


def release_all(conn, seq, entries, check_generations=True, bump=True):
    """The first half of replace_all: check every consumer's generation,
    then give back what each holds; a consumer left with nothing (its
    entry has no allocations) is removed, the others keep their record
    (and generation) for claim_entries. The ids of the providers given
    back to (their generations moved on unless not ``bump``)."""
    seen = set()
    for consumer_uuid, _req, _p, _u, generation in entries:
        if consumer_uuid in seen:
            raise _invalid('consumer %s appears twice', consumer_uuid)
        seen.add(consumer_uuid)
        if check_generations:
            check_consumer_generation(conn, consumer_uuid, generation)
    released = set()
    for consumer_uuid, request, _p, _u, _g in entries:
        consumer = _consumer(conn, consumer_uuid)
        if consumer is None:
            continue
        touched = _release(conn, seq, consumer.id)
        if bump:
            _bump_providers(conn, touched)
        released |= touched
        if not request.get('allocations'):
            conn.execute(sa.delete(_consumers)
                         .where(_consumers.c.id == consumer.id))
    return released


def claim_entries(conn, seq, entries):
    """The second half of replace_all: claim every non-empty entry."""
    for consumer_uuid, request, project_id, user_id, _g in entries:
        if request.get('allocations'):
            claim(conn, seq, consumer_uuid, request, project_id, user_id)


def usages_by_project(session, project_id, user_id=None):
    """{resource class: amount} allocated to a project's (user's)
    consumers."""
    query = (sa.select(_allocations.c.resource_class,
                       sa.func.sum(_allocations.c.used))
             .join(_consumers, _consumers.c.id == _allocations.c.consumer_id)
             .where(_consumers.c.project_id == project_id)
             .group_by(_allocations.c.resource_class))
    if user_id is not None:
        query = query.where(_consumers.c.user_id == user_id)
    return {rc: int(n) for rc, n in session.execute(query)}
