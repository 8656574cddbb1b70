"""The scheduler API's reservation calls (1.3): check each argument, then
delegate to the Scheduler (reserve) or the Database (release, list).

A reservation's deadline is given as ``seconds`` from when the scheduler
receives the call (no clock of the caller involved) or as ``deadline``, an
ISO 8601 UTC time; it may lie at most [reservation] max_seconds ahead.
"""

import datetime

import oslo_messaging
from oslo_utils import uuidutils

from gantt import exception
from gantt import reservations
from gantt.db import timestamps


def _deadline(conf, seconds, deadline):
    """(naive UTC deadline, None) or (None, why the arguments are bad)."""
    longest = conf.reservation.max_seconds
    if (seconds is None) == (deadline is None):
        return None, 'give exactly one of seconds and deadline'
    if seconds is not None:
        if (isinstance(seconds, bool) or
                not isinstance(seconds, (int, float)) or seconds <= 0):
            return None, 'seconds must be a positive number, got %r' % (
                seconds,)
        if seconds > longest:
            return None, ('seconds %s is past [reservation] max_seconds %d'
                          % (seconds, longest))
        return reservations.deadline_after(seconds), None
    try:
        when = datetime.datetime.fromisoformat(str(deadline).replace(
            'Z', '+00:00'))
    except ValueError:
        return None, ('deadline must be an ISO 8601 UTC time such as '
                      '2026-12-03T18:00:00Z, got %r' % (deadline,))
    if when.tzinfo is not None:
        when = when.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    now = timestamps.utcnow()
    if when <= now:
        return None, 'deadline %sZ has passed' % when.isoformat()
    if (when - now).total_seconds() > longest:
        return None, ('deadline %sZ is more than [reservation] max_seconds '
                      '%d ahead' % (when.isoformat(), longest))
    return when, None


class ReservationEndpoints:
    """Mixed into gantt.manager.SchedulerManager (same target, version
    1.3): reserve, release_reservation, get_reservation,
    list_reservations. The class it is mixed into provides ``conf``,
    ``scheduler``, ``db``, ``_refuse``, ``_read`` and ``object_problem``."""

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def reserve(self, ctxt, spec_obj, instances, seconds=None,
                deadline=None, uuid=None):
        """Hold ``instances`` instances of ``spec_obj`` until the deadline
        without building; the reservation's dict (uuid, deadline, slots
        with their hosts). NoValidHost when they do not all fit."""
        problem = self.object_problem(spec_obj, 'RequestSpec', ('flavor',))
        if problem is None and (isinstance(instances, bool) or
                                not isinstance(instances, int) or
                                not 1 <= instances <= 1000):
            problem = ('instances must be an integer from 1 to 1000, got '
                       '%r' % (instances,))
        if problem is None and uuid is not None and (
                not uuidutils.is_uuid_like(uuid)):
            problem = 'uuid must be a UUID, got %r' % (uuid,)
        when = None
        if problem is None:
            when, problem = _deadline(self.conf, seconds, deadline)
        if problem:
            self._refuse(ctxt, 'reserve', problem)
        return self.scheduler.reserve(ctxt, self._read(spec_obj),
                                      instances, when, uuid)

    def _reservation_problem(self, uuid):
        if not uuidutils.is_uuid_like(uuid):
            return 'uuid must be a reservation UUID, got %r' % (uuid,)
        return None

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def release_reservation(self, ctxt, uuid):
        """Release the reservation's unconsumed slots now; how many.
        ReservationNotFound when it is not held."""
        problem = self._reservation_problem(uuid)
        if problem:
            self._refuse(ctxt, 'release_reservation', problem)
        return self.db.release_reservation(uuid)

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def get_reservation(self, ctxt, uuid):
        """The reservation's dict, or None."""
        problem = self._reservation_problem(uuid)
        if problem:
            self._refuse(ctxt, 'get_reservation', problem)
        return self.db.get_reservation(uuid)

    def list_reservations(self, ctxt):
        """Every reservation held, soonest deadline first."""
        return self.db.list_reservations()
