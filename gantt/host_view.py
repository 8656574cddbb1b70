"""One host seen as an object, for per-host filter and weigher plugins.

A HostView reads one row of the columnar HostState and exposes it under the
attribute names the compute controller's scheduler plugins use (free_ram_mb,
vcpus_used, aggregates, instances, ...). It is built on demand and holds no
state of its own, so it is always as fresh as the columns.
"""

import collections
import math


AggregateRecord = collections.namedtuple(
    'AggregateRecord', ['uuid', 'name', 'hosts', 'metadata'])


class HostView(object):

    def __init__(self, state, row):
        self._state = state
        self.row = row

    def __repr__(self):
        return '<HostView %s (%s) row=%d>' % (self.host, self.nodename,
                                              self.row)

    def _res(self, rc, field):
        cols = self._state.res.get(rc)
        if cols is None or not cols.present[self.row]:
            return 0.0
        return float(getattr(cols, field)[self.row])

    def _count(self, rc, field):
        """A whole amount of class `rc` as an int, as the compute
        controller's host attributes hold it."""
        return int(self._res(rc, field))

    def free(self, rc):
        """What a claim of class `rc` may still take here."""
        cols = self._state.res.get(rc)
        if cols is None or not cols.present[self.row]:
            return 0.0
        return cols.cap[self.row] - cols.used[self.row]

    def fits(self, rc, amount):
        """Whether a claim of ``amount`` of ``rc`` here passes gantt.fit."""
        cols = self._state.res.get(rc)
        return cols is not None and cols.fits_at(self.row, amount)

    @property
    def state(self):
        """The HostState of this row, for plugins that compare hosts."""
        return self._state

    # identity
    @property
    def uuid(self):
        return self._state.uuids[self.row]

    @property
    def host(self):
        return self._state.hosts[self.row]

    @property
    def nodename(self):
        return self._state.nodenames[self.row]

    @property
    def hypervisor_hostname(self):
        """The compute controller's name for the node."""
        return self.nodename

    @property
    def cell_uuid(self):
        return self._state.cells[self._state.cell[self.row]]

    @property
    def availability_zone(self):
        return self._state.azs[self._state.az[self.row]]

    # service
    @property
    def last_seen(self):
        return float(self._state.last_seen[self.row])

    @property
    def disabled(self):
        return bool(self._state.disabled[self.row])

    @property
    def forced_down(self):
        return bool(self._state.forced_down[self.row])

    @property
    def placement_only(self):
        """Known only from placement: no compute report describes it."""
        return bool(self._state.placement_only[self.row])

    # resources, with the compute controller's meanings
    @property
    def total_usable_ram_mb(self):
        return self._count('MEMORY_MB', 'total')

    @property
    def free_ram_mb(self):
        """Physical RAM not used nor reserved (no over-commit applied)."""
        return (self._count('MEMORY_MB', 'total')
                - self._count('MEMORY_MB', 'reserved')
                - self._count('MEMORY_MB', 'used'))

    @property
    def ram_allocation_ratio(self):
        return self._res('MEMORY_MB', 'ratio')

    @property
    def vcpus_total(self):
        return self._count('VCPU', 'total')

    @property
    def vcpus_used(self):
        return self._count('VCPU', 'used') + self._count('VCPU', 'reserved')

    @property
    def cpu_allocation_ratio(self):
        return self._res('VCPU', 'ratio')

    @property
    def total_usable_disk_gb(self):
        return self._count('DISK_GB', 'total')

    @property
    def disk_mb_used(self):
        return (self._count('DISK_GB', 'used')
                + self._count('DISK_GB', 'reserved')) * 1024

    @property
    def free_disk_mb(self):
        return (self._count('DISK_GB', 'total') * 1024) - self.disk_mb_used

    @property
    def disk_allocation_ratio(self):
        return self._res('DISK_GB', 'ratio')

    # stats
    @property
    def num_instances(self):
        return int(self._state.num_instances[self.row])

    @property
    def num_io_ops(self):
        return int(self._state.num_io_ops[self.row])

    @property
    def failed_builds(self):
        return int(self._state.failed_builds[self.row])

    @property
    def stats(self):
        return self._state.extra_stats[self.row] or {}

    # hypervisor
    @property
    def hypervisor_type(self):
        return self._state.hypervisor_type[self.row]

    @property
    def hypervisor_version(self):
        return int(self._state.hypervisor_version[self.row])

    @property
    def supported_instances(self):
        return list(self._state.supported_instances[self.row] or ())

    @property
    def host_ip(self):
        return self._state.host_ip[self.row]

    @property
    def cpu_info(self):
        return self._state.cpu_info[self.row]

    @property
    def metrics(self):
        """Metric name -> value, for the metrics this host reports."""
        out = {}
        for name, values in self._state.metrics.items():
            value = values[self.row]
            if not math.isnan(value):
                out[name] = float(value)
        return out

    # membership
    @property
    def aggregates(self):
        return [self._state.aggregates[a]
                for a in self._state.host_aggs[self.row]]

    @property
    def instances(self):
        return dict.fromkeys(self._state.instances[self.row] or ())
