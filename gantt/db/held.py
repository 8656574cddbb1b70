"""What an inventory row has in use once expired reservations are freed.

A reservation's allocation rows carry its deadline and are counted in the
inventory's ``used`` while it stands. Past the deadline they are free,
whether or not a sweep has removed them yet: :func:`live_used` is the
inventory's ``used`` less its rows whose deadline has passed, a SQL
expression that the claim's condition and the change feed hand to
gantt.fit, so the one fit rule sees expired rows as free.
:func:`expired_slots` names the consumers of such rows, which hold no
place in a server group either.
"""

from oslo_serialization import jsonutils
import sqlalchemy as sa

from gantt.db import models
from gantt.db import timestamps

_inventories = models.Inventory.__table__
_allocations = models.Allocation.__table__
_reservations = models.Reservation.__table__

# Now, unless the statement is given ``now``.
NOW = sa.bindparam('now', type_=sa.DateTime, callable_=timestamps.utcnow)

# The amounts of the inventory row's allocations past their deadline
# (correlated to the row; the (provider, class, deadline) index serves it).
# Cast back to the column's integer type: PostgreSQL sums BIGINT as NUMERIC,
# which would reach callers as Decimal.
EXPIRED = (
    sa.select(sa.cast(sa.func.coalesce(sa.func.sum(_allocations.c.used), 0),
                      _allocations.c.used.type))
    .where(_allocations.c.resource_provider_id ==
           _inventories.c.resource_provider_id)
    .where(_allocations.c.resource_class == _inventories.c.resource_class)
    .where(_allocations.c.deadline <= NOW)
    .scalar_subquery())

# Whether any reservation is past its deadline and not swept yet: one
# index lookup per statement, which spares every row the correlated sum
# in the usual case where none is.
ANY_EXPIRED = sa.exists(
    sa.select(_reservations.c.id).where(_reservations.c.deadline <= NOW))


def live_used():
    """``used`` of the inventory row, less what expired reservations hold
    (binds ``now``, a naive UTC datetime, the present when not given)."""
    inv = _inventories.c
    return sa.case((ANY_EXPIRED, inv.used - EXPIRED), else_=inv.used)


_EXPIRED_SLOTS = sa.select(_reservations.c.slots).where(
    _reservations.c.deadline <= NOW)


def expired_slots(conn, now=None):
    """The consumers of reservations past their deadline, not taken over
    by an instance and not swept yet (usually none: one index lookup)."""
    params = {} if now is None else {'now': now}
    return {slot['consumer']
            for text in conn.execute(_EXPIRED_SLOTS, params).scalars()
            for slot in jsonutils.loads(text)
            if not slot.get('consumed_by')}
