"""Reservations: capacity claimed for a RequestSpec until a deadline.

A reservation is made by the ordinary claim (gantt.scheduler, with the
server group and NUMA/PCI claims the request has), one consumer per
reserved instance (a slot), its allocation rows carrying the deadline;
the ``reservations`` row written in the same transaction lists the slots.
A select_destinations naming the reservation takes slots over in one
transaction (:func:`consume`): each slot's claim becomes the instance's.
Past the deadline the unconsumed slots' rows count as free at once
(gantt.db.held); :func:`sweep` then removes them.
"""

import sqlalchemy as sa
from oslo_serialization import jsonutils

from gantt.db import changes
from gantt.db import claim_release
from gantt.db import decision
from gantt.db import held
from gantt.db import instance
from gantt.db import models
from gantt.db import numa_claim
from gantt.db import timestamps
from gantt import exception

_reservations = models.Reservation.__table__
_consumers = models.Consumer.__table__
_allocations = models.Allocation.__table__
_providers = models.ResourceProvider.__table__
_inventories = models.Inventory.__table__
_instances = models.Instance.__table__
_members = models.ServerGroupMember.__table__


def _row(conn, uuid):
    return conn.execute(sa.select(_reservations).where(
        _reservations.c.uuid == uuid)).first()


def _as_dict(row, now):
    slots = jsonutils.loads(row.slots)
    return {'uuid': row.uuid, 'project_id': row.project_id,
            'user_id': row.user_id, 'flavor': row.flavor,
            'instances': row.instances,
            'deadline': row.deadline.isoformat(),
            'created_at': row.created_at.isoformat(),
            'expired': row.deadline <= now,
            'held': sum(1 for s in slots if not s.get('consumed_by')),
            'slots': slots}


def create(conn, uuid, project_id, user_id, flavor, slots, deadline):
    """In the claim's transaction: record the reservation of ``slots``
    [{'consumer', 'host', 'node', 'node_uuid'}] until ``deadline``."""
    if _row(conn, uuid) is not None:
        raise exception.InvalidRequest(
            reason='reservation %s already exists' % uuid)
    conn.execute(sa.insert(_reservations).values(
        uuid=uuid, project_id=project_id, user_id=user_id, flavor=flavor,
        instances=len(slots), slots=jsonutils.dumps(slots),
        deadline=deadline, created_at=timestamps.utcnow()))


def _release_slot(conn, seq, consumer_uuid):
    """Give back everything one slot holds, as deleting an instance's
    claim does, and drop its record on the host."""
    claim_release.release(conn, seq, consumer_uuid)
    instance.forget(conn, seq, consumer_uuid)


def _drop(conn, seq, row):
    """Delete the reservation row and release its unconsumed slots; the
    slots released, or None when another transaction dropped it first
    (the conditional DELETE is what orders concurrent sweeps)."""
    gone = conn.execute(sa.delete(_reservations).where(
        _reservations.c.id == row.id)).rowcount
    if not gone:
        return None
    released = []
    for slot in jsonutils.loads(row.slots):
        if not slot.get('consumed_by'):
            _release_slot(conn, seq, slot['consumer'])
            released.append(slot['consumer'])
    return released


def release(conn, seq, uuid):
    """Release a reservation's unconsumed slots now; how many. Raises
    ReservationNotFound when it is not held."""
    row = _row(conn, uuid)
    released = None if row is None else _drop(conn, seq, row)
    if released is None:
        raise exception.ReservationNotFound(reservation=uuid)
    return len(released)


def sweep(conn, seq, now=None):
    """Release every reservation past its deadline; their uuids."""
    now = now or timestamps.utcnow()
    done = []
    for row in conn.execute(sa.select(_reservations).where(
            _reservations.c.deadline <= now).order_by(_reservations.c.id)):
        if _drop(conn, seq, row) is not None:
            done.append(row.uuid)
    return done


def list_all(session, now=None):
    """Every reservation held (expired ones not swept yet included)."""
    now = now or timestamps.utcnow()
    return [_as_dict(row, now) for row in session.execute(
        sa.select(_reservations).order_by(_reservations.c.deadline,
                                          _reservations.c.uuid))]


def get(session, uuid, now=None):
    row = _row(session.connection(), uuid)
    return None if row is None else _as_dict(row, now or
                                             timestamps.utcnow())


def _take_over(conn, seq, slot, instance_uuid, project_id, user_id):
    """The slot's claim becomes ``instance_uuid``'s: its consumer, NUMA
    claims, group membership and host record are renamed, its allocation
    rows lose the deadline. A claim the instance held before is given
    back first, as a new claim replaces the old."""
    consumer = slot['consumer']
    if conn.execute(sa.select(_consumers.c.id).where(
            _consumers.c.uuid == instance_uuid)).first() is not None:
        _release_slot(conn, seq, instance_uuid)
    consumer_id = conn.execute(sa.select(_consumers.c.id).where(
        _consumers.c.uuid == consumer)).scalar_one()
    conn.execute(
        sa.update(_consumers).where(_consumers.c.id == consumer_id)
        .values(uuid=instance_uuid, generation=_consumers.c.generation + 1,
                updated_at=timestamps.utcnow(),
                project_id=sa.func.coalesce(project_id,
                                            _consumers.c.project_id),
                user_id=sa.func.coalesce(user_id, _consumers.c.user_id)))
    conn.execute(sa.update(_allocations)
                 .where(_allocations.c.consumer_id == consumer_id)
                 .values(deadline=None))
    numa_claim.move(conn, seq, consumer, instance_uuid)
    conn.execute(sa.update(_members)
                 .where(_members.c.instance_uuid == consumer)
                 .values(instance_uuid=instance_uuid))
    decision.forget(conn, consumer)
    conn.execute(sa.update(_instances)
                 .where(_instances.c.instance_uuid == consumer)
                 .values(deleted=True, change_seq=seq))
    instance.place(conn, seq, [(instance_uuid, slot['host'], slot['node'])])
    return consumer_id


def _allocation_request(conn, consumer_id):
    allocations = {}
    for rp_uuid, rc, amount in conn.execute(
            sa.select(_providers.c.uuid, _allocations.c.resource_class,
                      _allocations.c.used)
            .join(_providers,
                  _providers.c.id == _allocations.c.resource_provider_id)
            .where(_allocations.c.consumer_id == consumer_id)):
        allocations.setdefault(rp_uuid, {'resources': {}})['resources'][
            rc] = amount
    return {'allocations': allocations}


def consume(conn, seq, uuid, instance_uuids, flavor, project_id=None,
            user_id=None):
    """Take a slot of reservation ``uuid`` for each instance, in this
    transaction: [(slot, allocation request)] in the instances' order.

    An instance that took a slot of this reservation before gets that
    slot again. Raises ReservationUnusable saying why when the
    reservation is unknown, past its deadline, for another flavor or
    short of slots.
    """
    now = timestamps.utcnow()
    row = _row(conn, uuid)

    def refuse(reason, *args):
        raise exception.ReservationUnusable(reservation=uuid,
                                            reason=reason % args)
    if row is None:
        refuse('it is not held (released, expired and swept, or never '
               'made)')
    if row.deadline <= now:
        refuse('it expired at %sZ', row.deadline.isoformat())
    if row.flavor and flavor and row.flavor != flavor:
        refuse('it holds flavor %s, the request asks for flavor %s',
               row.flavor, flavor)
    slots = jsonutils.loads(row.slots)
    mine = {s['consumed_by']: s for s in slots if s.get('consumed_by')}
    free = [s for s in slots if not s.get('consumed_by')]
    wanted = [u for u in instance_uuids if u not in mine]
    if len(wanted) > len(free):
        refuse('%d instances ask for it, %d of its %d slots are left',
               len(instance_uuids), len(free), len(slots))
    taken = {}
    for instance_uuid, slot in zip(wanted, free):
        _take_over(conn, seq, slot, instance_uuid, project_id, user_id)
        slot['consumed_by'] = instance_uuid
        mine[instance_uuid] = slot
        taken[instance_uuid] = slot
    if taken:
        # Conditional on the slots read: a concurrent consumer of the
        # same reservation makes this one roll back and retry.
        update = (sa.update(_reservations)
                  .where(_reservations.c.id == row.id)
                  .where(_reservations.c.slots == row.slots))
        if all(s.get('consumed_by') for s in slots):
            done = conn.execute(sa.delete(_reservations).where(
                _reservations.c.id == row.id)
                .where(_reservations.c.slots == row.slots)).rowcount
        else:
            done = conn.execute(update.values(
                slots=jsonutils.dumps(slots))).rowcount
        if not done:
            refuse('another request took its slots at the same time; ask '
                   'again')
    out = []
    for instance_uuid in instance_uuids:
        slot = mine[instance_uuid]
        consumer_id = conn.execute(sa.select(_consumers.c.id).where(
            _consumers.c.uuid == instance_uuid)).scalar_one()
        out.append((slot, _allocation_request(conn, consumer_id)))
    return out


def any_expired(session, now=None):
    """Whether a reservation is past its deadline and not swept yet."""
    return bool(session.execute(sa.select(held.ANY_EXPIRED), {
        'now': now or timestamps.utcnow()}).scalar())


def next_deadline(session, now=None):
    """The earliest deadline still ahead, or None."""
    return session.execute(changes.NEXT_DEADLINE, {
        'now': now or timestamps.utcnow()}).scalar()


def expired_inventories(session, now=None):
    """Change feed entries (gantt.db.changes.inventory_dict) for every
    inventory an expired, unswept reservation holds, its ``used`` with
    those rows freed: what a worker applies when a deadline passes."""
    now = now or timestamps.utcnow()
    consumers = sorted(
        slot['consumer']
        for row in session.execute(sa.select(_reservations.c.slots).where(
            _reservations.c.deadline <= now)).scalars()
        for slot in jsonutils.loads(row)
        if not slot.get('consumed_by'))
    if not consumers:
        return []
    providers = sa.select(_allocations.c.resource_provider_id).join(
        _consumers, _consumers.c.id == _allocations.c.consumer_id).where(
        _consumers.c.uuid.in_(consumers))
    return [changes.inventory_dict(row) for row in session.execute(
        sa.select(*changes.INVENTORY_COLUMNS)
        .join(_providers,
              _providers.c.id == _inventories.c.resource_provider_id)
        .where(_inventories.c.resource_provider_id.in_(providers)),
        {'now': now})]
