"""The columnar view of every host that filters and weighers read.

One numpy array per attribute, one row per compute node. Rows of removed
nodes are marked invalid and reused, so a refresh touches only the rows that
changed. Built-in filters turn these arrays into boolean masks, built-in
weighers into score arrays; `view(row)` gives per-host plugins an object
with the attribute names operators know.
"""

import numpy as np

from gantt import fit
from gantt import host_view
from gantt.objects import base as obj_base

STANDARD_CLASSES = ('VCPU', 'MEMORY_MB', 'DISK_GB')


def _code_of(value, values, codes):
    """The code of `value` in the list `values`, which `codes` indexes;
    a value not seen before is appended and gets the next code."""
    code = codes.get(value)
    if code is None:
        code = len(values)
        values.append(value)
        codes[value] = code
    return code


class ResourceColumns(object):
    """Inventory and usage of one resource class across all rows.

    ``cap`` is each row's capacity (gantt.capacity), kept by set() so that
    filters and weighers, which read it for every row of every decision,
    do not recompute it from total, reserved and ratio each time. Write
    an inventory through set(); ``used`` alone may change in place.
    """

    FIELDS = ('total', 'reserved', 'ratio', 'used',
              'min_unit', 'max_unit', 'step', 'cap')

    def __init__(self, capacity):
        for name in self.FIELDS:
            setattr(self, name, np.zeros(capacity, dtype=np.float64))
        # A host that lacks the class has no capacity at all.
        self.present = np.zeros(capacity, dtype=bool)

    def grow(self, capacity):
        for name in self.FIELDS + ('present',):
            old = getattr(self, name)
            new = np.zeros(capacity, dtype=old.dtype)
            new[:len(old)] = old
            setattr(self, name, new)

    def set(self, row, total, reserved, ratio, used, min_unit=1,
            max_unit=None, step=1):
        """Row `row` holds this inventory (max_unit None: the total)."""
        self.total[row] = total
        self.reserved[row] = reserved
        self.ratio[row] = ratio
        self.used[row] = used
        self.min_unit[row] = min_unit
        self.max_unit[row] = total if max_unit is None else max_unit
        self.step[row] = step
        self.cap[row] = fit.capacity(total, reserved, ratio)
        self.present[row] = True

    def clear(self, row):
        for name in self.FIELDS:
            getattr(self, name)[row] = 0
        self.present[row] = False

    def free(self, n=None):
        """What a claim may still take on each of the first `n` rows
        (every row when None); 0 where the class is absent."""
        return np.where(self.present[:n], self.cap[:n] - self.used[:n], 0.0)


class HostState(object):
    """Every host the scheduler knows, as columns."""

    _FLOAT = ('last_seen',)
    _INT = ('num_instances', 'num_io_ops', 'failed_builds',
            'hypervisor_version', 'cell', 'az', 'hv_spec')
    _BOOL = ('valid', 'disabled', 'forced_down')
    _OBJECT = ('uuids', 'hosts', 'nodenames', 'hypervisor_type', 'host_ip')
    _LISTS = ('extra_stats', 'supported_instances', 'instances', 'host_aggs',
              'cpu_info')

    def __init__(self, capacity=64, default_az='nova'):
        self.n = 0
        self._capacity = 0
        self._free_rows = []
        self.default_az = default_az
        self.index = {}
        self.host_rows = {}
        self.cells = []
        self._cell_codes = {}
        self.azs = []
        self._az_codes = {}
        # Distinct supported_instances lists; column hv_spec codes each
        # row's into it (code 0 is the empty list).
        self.hv_specs = []
        self._hv_spec_codes = {}
        self._hv_spec_code(())
        self.res = {}
        self.metrics = {}
        self.aggregates = {}
        self.agg_rows = {}
        self.instance_row = {}
        self._grow(capacity)
        for rc in STANDARD_CLASSES:
            self.resource(rc)
        self._az_code(default_az)

    # -- storage -----------------------------------------------------------

    def _grow(self, capacity):
        def extend(old, dtype, fill):
            new = np.full(capacity, fill, dtype=dtype)
            if old is not None:
                new[:len(old)] = old
            return new
        for name in self._FLOAT:
            setattr(self, name, extend(getattr(self, name, None),
                                       np.float64, 0.0))
        for name in self._INT:
            setattr(self, name, extend(getattr(self, name, None),
                                       np.int64, 0))
        for name in self._BOOL:
            setattr(self, name, extend(getattr(self, name, None),
                                       bool, False))
        for name in self._OBJECT:
            setattr(self, name, extend(getattr(self, name, None),
                                       object, None))
        for name in self._LISTS:
            old = getattr(self, name, [])
            setattr(self, name, old + [None] * (capacity - len(old)))
        for cols in self.res.values():
            cols.grow(capacity)
        for name, old in self.metrics.items():
            self.metrics[name] = extend(old, np.float64, np.nan)
        self._capacity = capacity

    def resource(self, rc):
        """The columns of resource class `rc`, created on first use."""
        cols = self.res.get(rc)
        if cols is None:
            cols = ResourceColumns(self._capacity)
            self.res[rc] = cols
        return cols

    def _cell_code(self, cell_uuid):
        return _code_of(cell_uuid, self.cells, self._cell_codes)

    def _az_code(self, name):
        return _code_of(name, self.azs, self._az_codes)

    def _hv_spec_code(self, specs):
        return _code_of(specs, self.hv_specs, self._hv_spec_codes)

    def az_code(self, name):
        """The code of AZ `name`, or -1 when no host is in it."""
        return self._az_codes.get(name, -1)

    def cell_code(self, cell_uuid):
        return self._cell_codes.get(cell_uuid, -1)

    def rows(self):
        """Indices of every live row."""
        return np.flatnonzero(self.valid[:self.n])

    # -- nodes -------------------------------------------------------------

    def upsert_node(self, uuid, host, nodename, cell_uuid, last_seen, facts):
        """Insert or update a compute node; `facts` as from node_facts()."""
        row = self.index.get(uuid)
        if row is None:
            row = self._new_row()
            self.index[uuid] = row
            self.uuids[row] = uuid
            self.instances[row] = set()
            self.host_aggs[row] = []
        old_host = self.hosts[row]
        if old_host != host:
            if old_host is not None:
                self.host_rows[old_host].remove(row)
            self.host_rows.setdefault(host, []).append(row)
            self.hosts[row] = host
            self._place_in_aggregates(row)
        self.valid[row] = True
        self.nodenames[row] = nodename
        self.cell[row] = self._cell_code(cell_uuid)
        self.last_seen[row] = last_seen or 0.0
        self.disabled[row] = bool(facts.get('disabled'))
        self.forced_down[row] = bool(facts.get('forced_down'))
        self.num_instances[row] = int(facts.get('num_instances') or 0)
        self.num_io_ops[row] = int(facts.get('num_io_ops') or 0)
        self.failed_builds[row] = int(facts.get('failed_builds') or 0)
        self.extra_stats[row] = dict(facts.get('extra_stats') or {})
        self.hypervisor_type[row] = facts.get('hypervisor_type')
        self.hypervisor_version[row] = int(facts.get('hypervisor_version')
                                           or 0)
        specs = tuple(tuple(s) for s in facts.get('supported_instances')
                      or ())
        self.supported_instances[row] = specs
        self.hv_spec[row] = self._hv_spec_code(specs)
        self.host_ip[row] = facts.get('host_ip')
        self.cpu_info[row] = facts.get('cpu_info')
        for name, values in self.metrics.items():
            values[row] = np.nan
        for name, value in (facts.get('metrics') or {}).items():
            values = self.metrics.get(name)
            if values is None:
                values = np.full(self._capacity, np.nan)
                self.metrics[name] = values
            values[row] = float(value)
        return row

    def _new_row(self):
        if self._free_rows:
            return self._free_rows.pop()
        if self.n == self._capacity:
            self._grow(max(64, self._capacity * 2))
        row = self.n
        self.n += 1
        return row

    def remove_node(self, uuid):
        row = self.index.pop(uuid, None)
        if row is None:
            return
        self.valid[row] = False
        host = self.hosts[row]
        if host is not None:
            self.host_rows[host].remove(row)
            if not self.host_rows[host]:
                del self.host_rows[host]
        for agg_uuid in self.host_aggs[row] or ():
            rows = self.agg_rows[agg_uuid]
            self.agg_rows[agg_uuid] = rows[rows != row]
        for inst in self.instances[row] or ():
            self.instance_row.pop(inst, None)
        for cols in self.res.values():
            cols.clear(row)
        for values in self.metrics.values():
            values[row] = np.nan
        self.hosts[row] = None
        self.uuids[row] = None
        self.instances[row] = set()
        self.host_aggs[row] = []
        self._free_rows.append(row)

    def set_inventory(self, uuid, rc, total, reserved, ratio, used,
                      min_unit=1, max_unit=None, step=1):
        """Inventory of class `rc` on the node whose root provider is uuid."""
        row = self.index.get(uuid)
        if row is None:
            return
        self.resource(rc).set(row, total, reserved, ratio, used, min_unit,
                              max_unit, step or 1)

    def consume(self, row, resources, instance_uuid=None):
        """Account a placement locally until the store says so too."""
        for rc, amount in resources.items():
            if amount:
                self.resource(rc).used[row] += amount
        self.num_instances[row] += 1
        if instance_uuid:
            self.add_instance(instance_uuid, row)

    # -- aggregates --------------------------------------------------------

    def set_aggregate(self, uuid, name, hosts, metadata):
        self.remove_aggregate(uuid)
        record = host_view.AggregateRecord(uuid, name, tuple(hosts),
                                           dict(metadata or {}))
        self.aggregates[uuid] = record
        rows = [r for h in record.hosts for r in self.host_rows.get(h, ())]
        self.agg_rows[uuid] = np.array(sorted(rows), dtype=np.int64)
        for row in rows:
            self.host_aggs[row].append(uuid)
            self._set_az(row)

    def remove_aggregate(self, uuid):
        if self.aggregates.pop(uuid, None) is None:
            return
        for row in self.agg_rows.pop(uuid):
            self.host_aggs[row].remove(uuid)
            self._set_az(row)

    def _place_in_aggregates(self, row):
        for agg_uuid in self.host_aggs[row]:
            rows = self.agg_rows[agg_uuid]
            self.agg_rows[agg_uuid] = rows[rows != row]
        self.host_aggs[row] = []
        host = self.hosts[row]
        for agg in self.aggregates.values():
            if host in agg.hosts:
                self.host_aggs[row].append(agg.uuid)
                self.agg_rows[agg.uuid] = np.sort(
                    np.append(self.agg_rows[agg.uuid], row))
        self._set_az(row)

    def _set_az(self, row):
        zones = sorted({self.aggregates[a].metadata['availability_zone']
                        for a in self.host_aggs[row]
                        if 'availability_zone' in self.aggregates[a].metadata})
        self.az[row] = self._az_code(','.join(zones) if zones
                                     else self.default_az)

    def aggregate_metadata(self, row):
        """Metadata of every aggregate of `row`: key -> set of values."""
        merged = {}
        for agg_uuid in self.host_aggs[row]:
            for key, value in self.aggregates[agg_uuid].metadata.items():
                merged.setdefault(key, set()).add(value)
        return merged

    def rows_with_metadata(self, key):
        """Rows in an aggregate that sets `key`, with that aggregate's value.

        Yields (value, rows) per aggregate, so vectorised filters can treat
        aggregates rather than hosts.
        """
        for agg_uuid, agg in self.aggregates.items():
            if key in agg.metadata:
                yield agg.metadata[key], self.agg_rows[agg_uuid]

    # -- instances ---------------------------------------------------------

    def add_instance(self, instance_uuid, row):
        old = self.instance_row.get(instance_uuid)
        if old is not None and old != row:
            self.instances[old].discard(instance_uuid)
        self.instance_row[instance_uuid] = row
        self.instances[row].add(instance_uuid)

    def set_instance(self, instance_uuid, host, node=None):
        rows = self.host_rows.get(host, ())
        if node is not None:
            rows = [r for r in rows if self.nodenames[r] == node] or rows
        if rows:
            self.add_instance(instance_uuid, rows[0])

    def remove_instance(self, instance_uuid):
        row = self.instance_row.pop(instance_uuid, None)
        if row is not None:
            self.instances[row].discard(instance_uuid)

    def rows_of_instances(self, instance_uuids):
        """Rows holding any of `instance_uuids`, as a sorted int array."""
        rows = {self.instance_row[u] for u in instance_uuids
                if u in self.instance_row}
        return np.array(sorted(rows), dtype=np.int64)

    # -- per-host view -----------------------------------------------------

    def view(self, row):
        return host_view.HostView(self, row)


def node_facts(node):
    """Flatten a ComputeNode object into the facts upsert_node() takes."""
    get = obj_base.field
    stats = get(node, 'stats')
    hyper = get(node, 'hypervisor')
    service = get(node, 'service')
    return {
        'disabled': get(service, 'disabled', False),
        'forced_down': get(service, 'forced_down', False),
        'num_instances': get(stats, 'num_instances', 0),
        'num_io_ops': get(stats, 'num_io_ops', 0),
        'failed_builds': get(stats, 'failed_builds', 0),
        'extra_stats': get(stats, 'extra', {}),
        'hypervisor_type': get(hyper, 'hypervisor_type'),
        'hypervisor_version': get(hyper, 'hypervisor_version', 0),
        'host_ip': get(hyper, 'host_ip'),
        'cpu_info': get(hyper, 'cpu_info'),
        'supported_instances': [
            (get(s, 'arch'), get(s, 'hv_type'), get(s, 'vm_mode'))
            for s in get(hyper, 'supported_instances', [])],
        'metrics': {m.name: m.value for m in get(node, 'metrics', [])
                    if get(m, 'value') is not None},
    }
