"""The one rule for how much of a resource class a provider can hand out.

Capacity is floor((total - reserved) * allocation_ratio), never negative.
The store checks claims against it and the engine filters with it, so both
must compute it here: a small epsilon keeps products such as 100 * 0.29
from flooring one unit low because of binary floating point.
"""

import math

EPSILON = 1e-6


def capacity(total, reserved, allocation_ratio):
    """The capacity of one inventory, as an int."""
    return max(0, int(math.floor((total - reserved) * allocation_ratio
                                 + EPSILON)))
