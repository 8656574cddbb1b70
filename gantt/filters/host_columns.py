"""Host attributes as whole columns, for filters that take attribute names.

ComputeCapabilitiesFilter and JsonFilter let the request name a host
attribute (free_ram_mb, hypervisor_type, stats, ...). HostView answers for
one row; column() answers with the same values for every row at once, and
view_values() is the per-row fallback for attributes with no column form.
"""

import numpy as np

from gantt import host_view

#: Attribute names a request may use: the public properties of HostView.
ATTRIBUTES = frozenset(name for name, value in vars(host_view.HostView).items()
                       if isinstance(value, property))


def _res(hosts, rc, field):
    cols = hosts.res.get(rc)
    n = hosts.n
    if cols is None:
        return np.zeros(n)
    return np.where(cols.present[:n], getattr(cols, field)[:n], 0.0)


def _count(hosts, rc, field):
    """A whole amount per row as int64, as HostView gives it."""
    return _res(hosts, rc, field).astype(np.int64)


def as_objects(values):
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def _coded(names, codes):
    return as_objects(names)[codes] if len(codes) else as_objects([])


_COLUMNS = {
    'uuid': lambda h: h.uuids[:h.n],
    'host': lambda h: h.hosts[:h.n],
    'nodename': lambda h: h.nodenames[:h.n],
    'hypervisor_hostname': lambda h: h.nodenames[:h.n],
    'hypervisor_type': lambda h: h.hypervisor_type[:h.n],
    'host_ip': lambda h: h.host_ip[:h.n],
    'cpu_info': lambda h: as_objects(h.cpu_info[:h.n]),
    'cell_uuid': lambda h: _coded(h.cells, h.cell[:h.n]),
    'availability_zone': lambda h: _coded(h.azs, h.az[:h.n]),
    'last_seen': lambda h: h.last_seen[:h.n],
    'disabled': lambda h: h.disabled[:h.n],
    'forced_down': lambda h: h.forced_down[:h.n],
    'num_instances': lambda h: h.num_instances[:h.n],
    'num_io_ops': lambda h: h.num_io_ops[:h.n],
    'failed_builds': lambda h: h.failed_builds[:h.n],
    'hypervisor_version': lambda h: h.hypervisor_version[:h.n],
    'total_usable_ram_mb': lambda h: _count(h, 'MEMORY_MB', 'total'),
    'free_ram_mb': lambda h: (_count(h, 'MEMORY_MB', 'total')
                              - _count(h, 'MEMORY_MB', 'reserved')
                              - _count(h, 'MEMORY_MB', 'used')),
    'ram_allocation_ratio': lambda h: _res(h, 'MEMORY_MB', 'ratio'),
    'vcpus_total': lambda h: _count(h, 'VCPU', 'total'),
    'vcpus_used': lambda h: (_count(h, 'VCPU', 'used')
                             + _count(h, 'VCPU', 'reserved')),
    'cpu_allocation_ratio': lambda h: _res(h, 'VCPU', 'ratio'),
    'total_usable_disk_gb': lambda h: _count(h, 'DISK_GB', 'total'),
    'disk_mb_used': lambda h: (_count(h, 'DISK_GB', 'used')
                               + _count(h, 'DISK_GB', 'reserved')) * 1024,
    'free_disk_mb': lambda h: (_count(h, 'DISK_GB', 'total') * 1024
                               - (_count(h, 'DISK_GB', 'used')
                                  + _count(h, 'DISK_GB', 'reserved')) * 1024),
    'disk_allocation_ratio': lambda h: _res(h, 'DISK_GB', 'ratio'),
}


def column(hosts, name):
    """HostView attribute `name` for rows 0..n-1 as a numpy array.

    None when the attribute has no column form (stats, metrics,
    aggregates, ...); use view_values() for those.
    """
    getter = _COLUMNS.get(name)
    return None if getter is None else getter(hosts)


def view_values(hosts, name):
    """HostView attribute `name` for rows 0..n-1, read row by row."""
    if name not in ATTRIBUTES:
        return [None] * hosts.n
    return [getattr(hosts.view(row), name) for row in range(hosts.n)]


def stats_values(hosts):
    """The stats dict of rows 0..n-1 (empty dict where none)."""
    return [stats or {} for stats in hosts.extra_stats[:hosts.n]]


def attribute(view, name):
    """HostView attribute `name`, or None when it is not one."""
    return getattr(view, name) if name in ATTRIBUTES else None


def distinct(values):
    """(distinct values as Python objects, code of each row into them)."""
    if values.dtype != object:
        uniques, codes = np.unique(values, return_inverse=True)
        return uniques.tolist(), codes.reshape(-1)
    seen = {}
    try:
        codes = np.fromiter((seen.setdefault(v, len(seen)) for v in values),
                            dtype=np.int64, count=len(values))
    except TypeError:
        # Unhashable values (dicts, lists): every row is its own group.
        return list(values), np.arange(len(values))
    return list(seen), codes
