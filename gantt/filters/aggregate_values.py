"""Aggregate metadata as the aggregate filters read it.

A metadata value may list several values separated by commas
("tenant-a, tenant-b"); a host sees the union of the values of every
aggregate it belongs to. Per-host filters use host_metadata(); vectorised
ones use key_mask() to treat aggregates rather than hosts.
"""

import numpy as np


def split(value):
    """'a, b' -> {'a', 'b'}."""
    return {part.strip() for part in str(value).split(',')}


def host_metadata(host_view):
    """Key -> set of values over every aggregate of one host."""
    merged = {}
    for agg in host_view.aggregates:
        for key, value in agg.metadata.items():
            merged.setdefault(key, set()).update(split(value))
    return merged


def key_mask(hosts, key, accept):
    """Two row masks for metadata `key`: rows in an aggregate that sets it,
    and rows in an aggregate whose values satisfy `accept(values)`."""
    has = np.zeros(hosts.n, dtype=bool)
    ok = np.zeros(hosts.n, dtype=bool)
    for value, rows in hosts.rows_with_metadata(key):
        has[rows] = True
        if accept(split(value)):
            ok[rows] = True
    return has, ok
