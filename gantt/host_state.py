"""The one columnar store every decision reads: providers and hosts.

Every resource provider has a slot: a compute node's root provider at the
node's host row, child providers (NUMA nodes, GPUs, NICs) and sharing
providers at slots of their own. Inventories are one set of columns per
resource class over all slots (gantt.resource_columns); host-level columns
(service state, stats, cell, zone, aggregates, instances) sit beside them
and are meaningful on host rows, which ``valid`` marks. Built-in filters
turn the columns into boolean masks, built-in weighers into score arrays;
`view(row)` gives per-host plugins an object with the names operators know.
Slots of removed providers are reused, so a refresh touches only what
changed. A root provider with inventory that no compute report describes
(written by the placement-compatible API or imported from placement) is a
host row too, marked ``placement_only``: its report's facts are unknown.
"""

import numpy as np

from gantt import host_view
from gantt import numa_columns
from gantt import numa_fit
from gantt.objects import base as obj_base
from gantt import pci_pools
from gantt import providers
from gantt import resource_columns

# The classes every host has columns for from the start.
HOST_CLASSES = ('VCPU', 'MEMORY_MB', 'DISK_GB')


def _code_of(value, values, codes):
    """The code of `value` in the list `values`, which `codes` indexes;
    a value not seen before is appended and gets the next code."""
    code = codes.get(value)
    if code is None:
        code = len(values)
        values.append(value)
        codes[value] = code
    return code


class HostState(providers.ProviderTrees):
    """Every provider and host the scheduler knows, as columns."""

    # Host-level columns.
    _FLOAT = ('last_seen',)
    _INT = ('num_instances', 'num_io_ops', 'failed_builds',
            'hypervisor_version', 'cell', 'az', 'hv_spec') + (
            numa_columns.INT)
    _BOOL = ('valid', 'disabled', 'forced_down',
             'placement_only') + numa_columns.BOOL
    _OBJECT = ('hosts', 'nodenames', 'hypervisor_type', 'host_ip')
    _LISTS = ('extra_stats', 'supported_instances', 'instances', 'host_aggs',
              'cpu_info') + numa_columns.LISTS
    # Provider columns: ``root`` is the host row of a slot's tree (-1 for
    # a sharing provider), ``live`` marks every slot in use.
    _PROVIDER_INT = ('parent', 'root')
    _PROVIDER_BOOL = ('is_root', 'is_sharing', 'live')
    _PROVIDER_LISTS = ('traits', 'aggs')

    def __init__(self, capacity=64, default_az='nova'):
        # Host rows are [0, n) of a dense prefix [0, _row_cap); child and
        # sharing providers have slots in [_row_cap, slot_end), so filters
        # and weighers never scan past the hosts.
        self.n = 0
        self._row_cap = 0
        self._slot_cap = 0
        self._slots_used = 0
        self._free_rows = []
        self._free_slots = []
        self.default_az = default_az
        # Provider uuid -> slot; a compute node's uuid -> its host row.
        self.index = {}
        # Node uuid -> its reported (NUMA cells, PCI pools), and -> the
        # NUMA claims the store holds on it (gantt.numa_held).
        self.numa_reported = {}
        self.numa_held = {}
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
        self._init_providers()
        self._grow(capacity, capacity)
        for rc in HOST_CLASSES:
            self.resource(rc)
        self._az_code(default_az)

    # -- storage -----------------------------------------------------------

    @property
    def _capacity(self):
        return self._row_cap + self._slot_cap

    @property
    def slot_start(self):
        """The first slot of the child and sharing providers' region."""
        return self._row_cap

    @property
    def slot_end(self):
        """One past the last provider slot in use: provider-wide masks
        cover [0, slot_end)."""
        return self._row_cap + self._slots_used

    def _grow(self, row_cap, slot_cap):
        """Make room for ``row_cap`` host rows and ``slot_cap`` provider
        slots; the provider region moves up with the rows' growth."""
        old_rows, old_len = self._row_cap, self._capacity
        length = row_cap + slot_cap

        def move(old, new):
            if old is not None:
                new[:old_rows] = old[:old_rows]
                new[row_cap:row_cap + old_len - old_rows] = old[old_rows:]
            return new

        def extend(old, dtype, fill):
            return move(old, np.full(length, fill, dtype=dtype))

        def extend_list(old, fill):
            new = [fill] * length
            if old:
                new[:old_rows] = old[:old_rows]
                new[row_cap:row_cap + old_len - old_rows] = old[old_rows:]
            return new

        for name in self._FLOAT:
            setattr(self, name, extend(getattr(self, name, None),
                                       np.float64, 0.0))
        for name in self._INT:
            setattr(self, name, extend(getattr(self, name, None),
                                       np.int64, 0))
        for name in self._PROVIDER_INT:
            setattr(self, name, extend(getattr(self, name, None),
                                       np.int64, -1))
        for name in self._BOOL + self._PROVIDER_BOOL:
            setattr(self, name, extend(getattr(self, name, None),
                                       bool, False))
        for name in ('uuids', 'names') + self._OBJECT:
            setattr(self, name, extend(getattr(self, name, None),
                                       object, None))
        for name in self._LISTS:
            setattr(self, name, extend_list(getattr(self, name, None), None))
        for name in self._PROVIDER_LISTS:
            setattr(self, name, extend_list(getattr(self, name, None),
                                            frozenset()))
        for cols in self.res.values():
            cols.relocate(old_rows, row_cap, length)
        for name, old in self.metrics.items():
            self.metrics[name] = extend(old, np.float64, np.nan)
        self._row_cap, self._slot_cap = row_cap, slot_cap
        self._masks.clear()
        shift = row_cap - old_rows
        if shift and old_len > old_rows:
            self._renumber_slots(old_rows, shift)

    def _renumber_slots(self, start, shift):
        """Provider slots at or past ``start`` moved up by ``shift``."""
        def moved(slot):
            return slot + shift if slot >= start else slot
        self.index = {uuid: moved(s) for uuid, s in self.index.items()}
        self.trees = {uuid: [moved(s) for s in slots]
                      for uuid, slots in self.trees.items()}
        self.sharing = {moved(s) for s in self.sharing}
        self.trait_slots = {t: {moved(s) for s in slots}
                            for t, slots in self.trait_slots.items()}
        self._free_slots = [moved(s) for s in self._free_slots]
        self.parent[self.parent >= start] += shift

    def resource(self, rc):
        """The columns of resource class `rc`, created on first use."""
        cols = self.res.get(rc)
        if cols is None:
            cols = resource_columns.ResourceColumns(self._capacity)
            self.res[rc] = cols
        return cols

    def _new_row(self, uuid):
        """A host row for compute node ``uuid``."""
        if self._free_rows:
            row = self._free_rows.pop()
        else:
            if self.n == self._row_cap:
                self._grow(max(64, self._row_cap * 2), self._slot_cap)
            row = self.n
            self.n += 1
        return self._take(row, uuid)

    def _new_slot(self, uuid):
        """A slot for a child or sharing provider ``uuid``."""
        if self._free_slots:
            slot = self._free_slots.pop()
        else:
            if self._slots_used == self._slot_cap:
                self._grow(self._row_cap, max(64, self._slot_cap * 2))
            slot = self._row_cap + self._slots_used
            self._slots_used += 1
        return self._take(slot, uuid)

    def _take(self, slot, uuid):
        self.index[uuid] = slot
        self.uuids[slot] = uuid
        self.live[slot] = True
        return slot

    def _drop_slot(self, slot):
        self.index.pop(self.uuids[slot], None)
        self._reset_slot(slot)
        self.uuids[slot] = None
        if slot < self._row_cap:
            self._free_rows.append(slot)
        else:
            self._free_slots.append(slot)

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
        """Indices of every live host row."""
        return np.flatnonzero(self.valid[:self.n])

    # -- nodes -------------------------------------------------------------

    def upsert_node(self, uuid, host, nodename, cell_uuid, last_seen, facts,
                    placement_only=False):
        """Insert or update a compute node; `facts` as from node_facts().

        ``placement_only``: the row stands for a root provider no report
        describes (see upsert_placement_root); a report clears it.
        """
        row = self.index.get(uuid)
        if row is not None and not self.valid[row]:
            # Known as a provider outside any tree until now.
            self.sharing.discard(row)
            self._drop_slot(row)
            row = None
        if row is None:
            row = self._new_row(uuid)
            self.is_root[row] = True
            self.root[row] = row
            self.trees[uuid] = [row]
            self.instances[row] = set()
            self.host_aggs[row] = []
            self._changed()
        old_host = self.hosts[row]
        if old_host != host:
            if old_host is not None:
                self.host_rows[old_host].remove(row)
            self.host_rows.setdefault(host, []).append(row)
            self.hosts[row] = host
            self._place_in_aggregates(row)
        self.valid[row] = True
        self.placement_only[row] = placement_only
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
        numa_columns.set_row(self, row, facts.get('numa_cells', ()),
                             facts.get('pci_pools', ()))
        for name, values in self.metrics.items():
            values[row] = np.nan
        for name, value in (facts.get('metrics') or {}).items():
            values = self.metrics.get(name)
            if values is None:
                values = np.full(self._capacity, np.nan)
                self.metrics[name] = values
            values[row] = float(value)
        return row

    def upsert_placement_root(self, uuid, name, inventories):
        """Make root provider ``uuid`` a host, named ``name`` as host and
        node, unless a compute report already describes it.

        Only what placement holds is known: its inventories ({rc: record},
        set here as the row is new to them), traits and aggregates (from
        set_tree). The report's facts are neutral: no service state (up
        and enabled; a compute disables itself with a trait), no stats,
        hypervisor, NUMA or PCI facts, the default cell. Returns the row,
        or None when a report describes the node.
        """
        row = self.index.get(uuid)
        if row is not None and self.valid[row]:
            if not self.placement_only[row]:
                return None
            if self.hosts[row] == name:
                return row
        row = self.upsert_node(uuid, name, name, None, 0.0, {},
                               placement_only=True)
        for rc, inv in (inventories or {}).items():
            self._set_provider_inventory(row, rc, inv)
        return row

    def is_placement_only(self, uuid):
        """Whether ``uuid`` is a host row no compute report describes."""
        row = self.index.get(uuid)
        return (row is not None and row < self._row_cap
                and bool(self.valid[row]) and bool(self.placement_only[row]))

    def remove_node(self, uuid):
        """Forget a compute node, its root provider and its whole tree."""
        row = self.index.get(uuid)
        if row is None or not self.valid[row]:
            return
        for slot in self.trees.pop(uuid, [row])[1:]:
            self._drop_slot(slot)
        self.valid[row] = False
        self.placement_only[row] = False
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
        for values in self.metrics.values():
            values[row] = np.nan
        self.hosts[row] = None
        numa_columns.set_row(self, row, (), ())
        self.instances[row] = set()
        self.host_aggs[row] = []
        self._drop_slot(row)
        self._changed()

    # -- inventories and usage ---------------------------------------------

    def set_inventory(self, uuid, rc, total, reserved=0, ratio=1.0, used=0,
                      min_unit=1, max_unit=None, step=1):
        """Inventory of class ``rc`` on provider ``uuid`` (any slot)."""
        slot = self.index.get(uuid)
        if slot is None:
            return False
        self.resource(rc).set(slot, total, reserved, ratio, used, min_unit,
                              max_unit, step or 1)
        return True

    def clear_inventory(self, uuid, rc):
        """Provider ``uuid`` no longer has class ``rc``."""
        slot = self.index.get(uuid)
        if slot is not None and rc in self.res:
            self.res[rc].clear(slot)

    def fits(self, slot, resources):
        """Whether a claim of ``resources`` ({rc: amount}) on ``slot``
        passes gantt.fit for every class it names."""
        for rc, amount in resources.items():
            if amount <= 0:
                continue
            cols = self.res.get(rc)
            if cols is None or not cols.fits_at(slot, amount):
                return False
        return True

    def consume(self, allocations, sign=1):
        """Account {provider uuid: {rc: amount}} on the providers' slots
        until the store says so too (sign -1 undoes)."""
        for uuid, resources in allocations.items():
            slot = self.index.get(uuid)
            if slot is None:
                continue
            for rc, amount in resources.items():
                if amount:
                    self.resource(rc).used[slot] += sign * amount

    def count_instance(self, row, sign=1):
        """One more (or, sign -1, one fewer) instance on host ``row``, and
        as many I/O operations: building or moving one is one."""
        self.num_instances[row] += sign
        self.num_io_ops[row] += sign

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
        'numa_cells': numa_fit.host_cells(get(node, 'numa')),
        'pci_pools': pci_pools.pools(get(node, 'pci_devices', [])),
    }
