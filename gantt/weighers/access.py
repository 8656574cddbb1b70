"""How weighers read hosts and requests.

`resource()` reads a resource column for many rows with exactly the
arithmetic HostView uses for one, so vectorised and per-host scores agree to
the last bit; `field()` reads an optional field of a request object.
"""

import numpy as np


def resource(hosts, rc, name, rows):
    """Column `name` of resource class `rc` at `rows`; 0 where absent."""
    cols = hosts.res.get(rc)
    if cols is None:
        return np.zeros(len(rows), dtype=np.float64)
    return np.where(cols.present[rows], getattr(cols, name)[rows], 0.0)


def field(obj, name, default=None):
    """`obj.name`, or `default` when obj is None or the field is unset/None.

    Works on versioned objects (unset fields are not read) and on plain
    objects alike.
    """
    if obj is None:
        return default
    is_set = getattr(obj, 'obj_attr_is_set', None)
    if is_set is not None and not is_set(name):
        return default
    value = getattr(obj, name, None)
    return default if value is None else value
