"""Reserving capacity ahead of a build, and building on the reservation.

:func:`reserve` places N instances of a request exactly as
select_destinations does (filters, weighers, server group, NUMA/PCI) and
claims them as slots of a reservation that holds until its deadline
(gantt.db.reservation). :func:`consume` answers a select_destinations
whose RequestSpec names the reservation (scheduler hint ``reservation``):
the instances take the slots over and get their hosts, or the reply says
why they cannot.
"""

import datetime
import uuid as uuid_lib

from oslo_log import log as logging

from gantt.db import timestamps
from gantt import exception

LOG = logging.getLogger(__name__)

# The scheduler hint naming the reservation a build takes over.
HINT = 'reservation'


def deadline_after(seconds):
    """The naive UTC deadline ``seconds`` from now."""
    return timestamps.utcnow() + datetime.timedelta(seconds=seconds)


def reserve(scheduler, ctxt, request, count, deadline, uuid=None):
    """Claim ``count`` instances of ``request`` until ``deadline`` (a
    naive UTC datetime); the reservation's dict. Raises NoValidHost, as
    select_destinations does, when they do not all fit: nothing is held
    then."""
    uuid = uuid or str(uuid_lib.uuid4())
    slots = [str(uuid_lib.uuid4()) for _ in range(count)]
    held = {'uuid': uuid, 'project_id': request.project_id,
            'user_id': request.user_id, 'flavor': request.flavor.name,
            'deadline': deadline}
    scheduler.host_manager.refresh()
    with scheduler.host_manager.lock:
        scheduler._select(ctxt, request, slots, False, False,
                          reservation=held)
    scheduler.host_manager.expires_at(deadline)
    LOG.info('Reserved %d instances of flavor %s until %sZ as %s',
             count, request.flavor.name, deadline.isoformat(), uuid)
    return scheduler.db.get_reservation(uuid)


def consume(scheduler, ctxt, request, instance_uuids, uuid, specs=None):
    """The instances take reservation ``uuid``'s slots over: one list
    per instance holding the Selection of its reserved host (no
    alternates: the reserved hosts are the answer); ``specs`` ({instance
    uuid: stored spec}) are stored in the same transaction, as with any
    first claim. Raises ReservationUnusable saying why not."""
    uuids = list(instance_uuids or ()) or [request.instance_uuid]
    if not all(uuids) or len(set(uuids)) != len(uuids):
        raise exception.ReservationUnusable(
            reservation=uuid, reason='each instance needs a uuid of its own '
            'to take a slot over, got %r' % (uuids,))
    seq, taken = scheduler.db.consume_reservation(
        uuid, uuids, request.flavor.name, request.project_id,
        request.user_id, specs)
    scheduler.host_manager.refresh()
    result = []
    with scheduler.host_manager.lock:
        hosts = scheduler.host_manager.state
        for instance_uuid, (slot, alloc) in zip(uuids, taken):
            row = hosts.index.get(slot.get('node_uuid'))
            if row is None:
                row = next(iter(hosts.host_rows.get(slot['host']) or ()),
                           None)
            if row is None:
                raise exception.ReservationUnusable(
                    reservation=uuid, reason='its host %s is no longer '
                    'known to the scheduler' % slot['host'])
            result.append([scheduler.selection_at(hosts, row, alloc, 0.0)])
    LOG.info('Instances %s took over slots of reservation %s (seq %d)',
             ', '.join(uuids), uuid, seq)
    return result
