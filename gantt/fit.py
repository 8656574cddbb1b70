"""The one rule for whether an amount of a resource class fits a provider.

An inventory hands out at most its capacity, floor((total - reserved) *
allocation_ratio), never negative; a small epsilon keeps products such as
100 * 0.29 from flooring one unit low because of binary floating point.
An amount fits when the inventory still has room for it (used + amount <=
capacity) and it is a unit the inventory allows (min_unit <= amount <=
max_unit, and a multiple of step_size).

:func:`has_room`, :func:`unit_ok`, :func:`fits` and :func:`instances` are
each written once,
with operators that Python numbers, numpy arrays and SQLAlchemy column
expressions all understand: the engine calls them with columns over every
provider at once, the per-provider searches with numbers, and the claim's
conditional UPDATE takes its WHERE clause from :func:`fits` called with the
inventory table's columns. Change the rule here and every caller follows.
"""

import math

EPSILON = 1e-6


def capacity(total, reserved, allocation_ratio):
    """The capacity of one inventory, as an int."""
    return max(0, int(math.floor((total - reserved) * allocation_ratio
                                 + EPSILON)))


def has_room(capacity, used, amount):
    """Whether ``amount`` more stays within ``capacity``."""
    return used + amount <= capacity


def unit_ok(min_unit, max_unit, step_size, amount):
    """Whether ``amount`` is a unit the inventory hands out."""
    return ((min_unit <= amount) & (max_unit >= amount)
            & (amount % step_size == 0))


def fits(capacity, used, min_unit, max_unit, step_size, amount):
    """Whether a claim of ``amount`` passes: room, and an allowed unit."""
    return (has_room(capacity, used, amount)
            & unit_ok(min_unit, max_unit, step_size, amount))


def instances(capacity, used, min_unit, max_unit, step_size, amount):
    """How many claims of ``amount`` (> 0) pass one after another: the
    largest k with has_room(capacity, used, k * amount), or 0 when
    ``amount`` is not a unit the inventory hands out."""
    room = (capacity - used) // amount
    return (room > 0) * room * unit_ok(min_unit, max_unit, step_size, amount)
