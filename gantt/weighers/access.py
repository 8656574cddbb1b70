"""How weighers read hosts.

`computed()` evaluates a formula over a resource class's columns for many
rows with exactly the arithmetic HostView uses for one row, so vectorised
and per-host scores agree to the last bit.
"""

import numpy as np


class _Columns(object):
    """One resource class's columns cut to the rows in use."""

    def __init__(self, cols, n):
        for name in cols.FIELDS:
            setattr(self, name, getattr(cols, name)[:n])


class _Picked(object):
    """One resource class's columns at some rows only."""

    def __init__(self, cols, rows):
        for name in cols.FIELDS + ('present',):
            setattr(self, name, getattr(cols, name)[rows])


def computed(hosts, rc, formula, rows):
    """``formula(columns)`` at `rows`; 0 where the host lacks class `rc`.

    `formula` gets the class's columns (total, reserved, ratio, used, ...)
    over every row and works element by element. Working on whole columns
    and picking `rows` once costs far less than picking `rows` out of each
    column first, and gives the same numbers.
    """
    cols = hosts.res.get(rc)
    if cols is None:
        return np.zeros(len(rows), dtype=np.float64)
    n = hosts.n
    if 2 * len(rows) < n:
        # Few rows of many slots (child providers have slots too): pick
        # the rows first. The arithmetic is the same element by element.
        picked = _Picked(cols, rows)
        return np.where(picked.present, formula(picked), 0.0)
    values = np.where(cols.present[:n], formula(_Columns(cols, n)), 0.0)
    return values[rows]
