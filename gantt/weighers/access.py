"""How weighers read hosts and requests.

`resource()` reads a resource column for many rows with exactly the
arithmetic HostView uses for one, so vectorised and per-host scores agree to
the last bit. Optional request fields are read with
gantt.objects.base.field().
"""

import numpy as np


def resource(hosts, rc, name, rows):
    """Column `name` of resource class `rc` at `rows`; 0 where absent."""
    cols = hosts.res.get(rc)
    if cols is None:
        return np.zeros(len(rows), dtype=np.float64)
    return np.where(cols.present[rows], getattr(cols, name)[rows], 0.0)
