"""Every resource provider below or beside the hosts, as columns.

HostState holds each node's root provider inventory in its resource
columns; ProviderState holds the rest: the root's traits and aggregates,
child providers (NUMA nodes, GPUs, NICs) with their inventories, and
sharing providers (MISC_SHARES_VIA_AGGREGATE) that serve every root in one
of their aggregates. Slots of removed providers are reused.
"""

import numpy as np

from gantt import host_state
from gantt import traits as traits_mod


class ProviderState(object):
    """Providers as slots; ``row`` is the host row of a slot's tree."""

    def __init__(self, capacity=256):
        self.n = 0
        self._capacity = 0
        self._free = []
        self.index = {}
        self.trees = {}
        self.sharing = set()
        self.trait_slots = {}
        self.res = {}
        self.traits = []
        self.aggs = []
        self.names = []
        self.generation = 0
        self._masks = {}
        self._grow(capacity)

    # -- storage -----------------------------------------------------------

    def _grow(self, capacity):
        def extend(name, dtype, fill):
            new = np.full(capacity, fill, dtype=dtype)
            old = getattr(self, name, None)
            if old is not None:
                new[:len(old)] = old
            setattr(self, name, new)
        extend('uuids', object, None)
        extend('row', np.int64, -1)
        extend('parent', np.int64, -1)
        extend('is_root', bool, False)
        extend('is_sharing', bool, False)
        extend('valid', bool, False)
        for name in ('traits', 'aggs', 'names'):
            old = getattr(self, name)
            setattr(self, name, old + [frozenset()] * (capacity - len(old)))
        for cols in self.res.values():
            cols.grow(capacity)
        self._capacity = capacity

    def resource(self, rc):
        cols = self.res.get(rc)
        if cols is None:
            cols = host_state.ResourceColumns(self._capacity)
            self.res[rc] = cols
        return cols

    def _new_slot(self, uuid):
        if self._free:
            slot = self._free.pop()
        else:
            if self.n == self._capacity:
                self._grow(max(256, self._capacity * 2))
            slot = self.n
            self.n += 1
        self.index[uuid] = slot
        self.uuids[slot] = uuid
        self.valid[slot] = True
        return slot

    def _drop_slot(self, slot):
        uuid = self.uuids[slot]
        self.index.pop(uuid, None)
        self._set_traits(slot, ())
        for cols in self.res.values():
            cols.clear(slot)
        self.uuids[slot] = None
        self.valid[slot] = False
        self.row[slot] = -1
        self.parent[slot] = -1
        self.is_root[slot] = False
        self.is_sharing[slot] = False
        self.aggs[slot] = frozenset()
        self.sharing.discard(slot)
        self._free.append(slot)

    def _set_traits(self, slot, names):
        names = frozenset(names)
        for trait in self.traits[slot] - names:
            self.trait_slots[trait].discard(slot)
        for trait in names - self.traits[slot]:
            self.trait_slots.setdefault(trait, set()).add(slot)
        self.traits[slot] = names

    def _changed(self):
        self.generation += 1
        self._masks.clear()

    # -- trees -------------------------------------------------------------

    def set_tree(self, row, root_uuid, providers):
        """Replace the tree of the node at host ``row``.

        ``providers``: dicts with uuid, name, parent_provider_uuid, traits,
        aggregates and inventories ({rc: {total, reserved, min_unit,
        max_unit, step_size, allocation_ratio, used}}). The root's
        inventories live in HostState and are ignored here; a tree without
        a root entry gets a bare root.
        """
        self.remove_tree(root_uuid)
        by_uuid = {p['uuid']: p for p in providers}
        root = by_uuid.get(root_uuid, {'uuid': root_uuid})
        slots = [self._put(row, root, None)]
        pending = [p for p in providers if p['uuid'] != root_uuid]
        placed = {root_uuid: slots[0]}
        while pending:
            rest = []
            for p in pending:
                parent = placed.get(p.get('parent_provider_uuid'))
                if parent is None:
                    rest.append(p)
                    continue
                placed[p['uuid']] = self._put(row, p, parent)
                slots.append(placed[p['uuid']])
            if len(rest) == len(pending):
                # Orphans cannot happen in a validated report; skip them.
                break
            pending = rest
        self.trees[root_uuid] = slots
        self._changed()

    def _put(self, row, p, parent_slot):
        slot = self._new_slot(p['uuid'])
        self.row[slot] = row
        self.parent[slot] = -1 if parent_slot is None else parent_slot
        self.is_root[slot] = parent_slot is None
        self.names[slot] = p.get('name')
        self.aggs[slot] = frozenset(p.get('aggregates') or ())
        self._set_traits(slot, p.get('traits') or ())
        if parent_slot is not None:
            for rc, inv in (p.get('inventories') or {}).items():
                self._set_inventory(slot, rc, inv)
        return slot

    def _set_inventory(self, slot, rc, inv):
        self.resource(rc).set(
            slot, inv['total'], inv.get('reserved') or 0,
            inv.get('allocation_ratio') or 1.0, inv.get('used') or 0,
            inv.get('min_unit') or 1, inv.get('max_unit'),
            inv.get('step_size') or 1)

    def remove_tree(self, root_uuid):
        for slot in self.trees.pop(root_uuid, ()):
            self._drop_slot(slot)
        self._changed()

    def tree_slots(self, root_uuid):
        return self.trees.get(root_uuid, ())

    # -- sharing providers ---------------------------------------------------

    def set_sharing(self, uuid, name, traits, aggregates, inventories):
        """Add or replace a provider outside any node's tree."""
        self.remove_sharing(uuid)
        slot = self._new_slot(uuid)
        self.names[slot] = name
        self.aggs[slot] = frozenset(aggregates or ())
        self._set_traits(slot, traits or ())
        self.is_sharing[slot] = traits_mod.SHARES_VIA_AGGREGATE in (
            traits or ())
        for rc, inv in (inventories or {}).items():
            self._set_inventory(slot, rc, inv)
        self.sharing.add(slot)
        self._changed()
        return slot

    def remove_sharing(self, uuid):
        slot = self.index.get(uuid)
        if slot is not None and slot in self.sharing:
            self._drop_slot(slot)
            self._changed()

    # -- inventories and usage -------------------------------------------

    def set_inventory(self, uuid, rc, inv):
        """Update one inventory of a child or sharing provider.

        Returns False when ``uuid`` is not a slot here or is a root (root
        inventories are HostState's).
        """
        slot = self.index.get(uuid)
        if slot is None or self.is_root[slot]:
            return False
        if inv is None:
            if rc in self.res:
                self.res[rc].clear(slot)
        else:
            self._set_inventory(slot, rc, inv)
        return True

    def consume(self, allocations, sign=1):
        """Account {provider uuid: {rc: amount}} on child/sharing slots.

        Root providers are skipped (HostState.consume accounts them).
        """
        for uuid, resources in allocations.items():
            slot = self.index.get(uuid)
            if slot is None or self.is_root[slot]:
                continue
            for rc, amount in resources.items():
                cols = self.res.get(rc)
                if cols is not None:
                    cols.used[slot] += sign * amount

    # -- queries -----------------------------------------------------------

    def root_slot(self, root_uuid):
        slots = self.trees.get(root_uuid)
        return slots[0] if slots else None

    def trait_mask(self, trait):
        """Bool per slot: has ``trait``."""
        key = ('trait', trait)
        mask = self._masks.get(key)
        if mask is None:
            mask = np.zeros(self._capacity, dtype=bool)
            slots = self.trait_slots.get(trait)
            if slots:
                mask[np.fromiter(slots, dtype=np.int64,
                                 count=len(slots))] = True
            self._masks[key] = mask
        return mask

    def root_trait_rows(self, trait, n_rows):
        """Bool per host row: the node's root provider has ``trait``.

        Cached until the providers change; callers must not modify it.
        """
        key = ('root_trait', trait, n_rows)
        out = self._masks.get(key)
        if out is None:
            out = np.zeros(n_rows, dtype=bool)
            slots = self.trait_slots.get(trait)
            if slots:
                slots = np.fromiter(slots, dtype=np.int64, count=len(slots))
                slots = slots[self.is_root[slots]]
                rows = self.row[slots]
                out[rows[(rows >= 0) & (rows < n_rows)]] = True
            self._masks[key] = out
        return out

    def child_mask(self):
        """Bool per slot: a live non-root provider of some node's tree."""
        mask = self._masks.get('child')
        if mask is None:
            mask = self.valid & ~self.is_root & (self.row >= 0)
            self._masks['child'] = mask
        return mask

    def root_mask(self):
        mask = self._masks.get('root')
        if mask is None:
            mask = self.valid & self.is_root
            self._masks['root'] = mask
        return mask

    def nested_rows(self, n_rows):
        """Bool per host row: the node has child providers."""
        mask = np.zeros(n_rows, dtype=bool)
        rows = self.row[self.child_mask()[:len(self.row)]]
        mask[rows[rows < n_rows]] = True
        return mask

    def root_aggregates(self, hosts, row):
        """The root's aggregates: the host's plus its tree root's own."""
        aggs = set(hosts.host_aggs[row] or ())
        slot = self.root_slot(hosts.uuids[row])
        if slot is not None:
            aggs |= self.aggs[slot]
        return aggs

    def sharing_for(self, hosts, row):
        """Sharing slots that serve the node at ``row``."""
        if not self.sharing:
            return []
        aggs = self.root_aggregates(hosts, row)
        return sorted(s for s in self.sharing
                      if self.is_sharing[s] and self.aggs[s] & aggs)

    def sharing_rows(self, hosts, slots=None):
        """Bool per host row: some sharing slot (of ``slots``) serves it."""
        mask = np.zeros(hosts.n, dtype=bool)
        for slot in (self.sharing if slots is None else slots):
            if not self.is_sharing[slot]:
                continue
            for agg in self.aggs[slot]:
                rows = hosts.agg_rows.get(agg)
                if rows is not None and len(rows):
                    mask[rows] = True
                rows = self._root_agg_rows().get(agg)
                if rows is not None:
                    mask[rows[rows < hosts.n]] = True
        return mask

    def _root_agg_rows(self):
        """{aggregate uuid: host rows whose tree root lists it}."""
        index = self._masks.get('root_aggs')
        if index is None:
            lists = {}
            for slots in self.trees.values():
                for agg in self.aggs[slots[0]]:
                    lists.setdefault(agg, []).append(self.row[slots[0]])
            index = {agg: np.array(rows, dtype=np.int64)
                     for agg, rows in lists.items()}
            self._masks['root_aggs'] = index
        return index
