"""Provider trees and sharing providers in the one columnar store.

Every resource provider has a slot in gantt.host_state.HostState: a compute
node's root provider at the node's host row, its child providers (NUMA
nodes, GPUs, NICs) and sharing providers (MISC_SHARES_VIA_AGGREGATE, which
serve every root in one of their aggregates) at slots of their own. This
module holds the part of the store that knows trees: parents, traits,
provider aggregates, and the masks the allocation candidates read.
"""

import numpy as np

from gantt import traits as traits_mod


class ProviderTrees(object):
    """Trees, traits and sharing providers over the store's slots.

    Mixed into HostState, which owns the slots and their columns
    (``uuids``, ``parent``, ``root``, ``is_root``, ``is_sharing``,
    ``live``, ``traits``, ``aggs``, ``names`` and ``res``).
    """

    def _init_providers(self):
        self.trees = {}
        self.sharing = set()
        self.trait_slots = {}
        self.generation = 0
        self._masks = {}

    def _reset_slot(self, slot):
        """Forget the provider at ``slot``: traits, tree, inventories."""
        self._set_traits(slot, ())
        for cols in self.res.values():
            cols.clear(slot)
        self.parent[slot] = -1
        self.root[slot] = -1
        self.is_root[slot] = False
        self.is_sharing[slot] = False
        self.live[slot] = False
        self.aggs[slot] = frozenset()
        self.names[slot] = None
        self.sharing.discard(slot)

    def _set_traits(self, slot, names):
        names = frozenset(names)
        if names == self.traits[slot]:
            return
        for trait in self.traits[slot] - names:
            self.trait_slots[trait].discard(slot)
        for trait in names - self.traits[slot]:
            self.trait_slots.setdefault(trait, set()).add(slot)
        self.traits[slot] = names
        self._changed()

    def _changed(self):
        self.generation += 1
        self._masks.clear()

    def _set_provider_inventory(self, slot, rc, inv):
        self.resource(rc).set(
            slot, inv['total'], inv.get('reserved') or 0,
            inv.get('allocation_ratio') or 1.0, inv.get('used') or 0,
            inv.get('min_unit') or 1, inv.get('max_unit'),
            inv.get('step_size') or 1)

    # -- trees -------------------------------------------------------------

    def set_tree(self, root_uuid, providers):
        """Replace the tree below the compute node ``root_uuid``.

        ``providers``: dicts with uuid, name, parent_provider_uuid, traits,
        aggregates and inventories ({rc: {total, reserved, min_unit,
        max_unit, step_size, allocation_ratio, used}}). The root's entry
        gives its traits and aggregates; its inventories arrive with the
        inventory changes, like every root's. Returns False when
        ``root_uuid`` is not a compute node here.
        """
        row = self.index.get(root_uuid)
        if row is None or not self.valid[row]:
            return False
        for slot in self.trees.get(root_uuid, [row])[1:]:
            self._drop_slot(slot)
        by_uuid = {p['uuid']: p for p in providers}
        root = by_uuid.get(root_uuid, {})
        self.aggs[row] = frozenset(root.get('aggregates') or ())
        self._set_traits(row, root.get('traits') or ())
        slots = [row]
        placed = {root_uuid: row}
        pending = [p for p in providers if p['uuid'] != root_uuid]
        while pending:
            rest = []
            for p in pending:
                parent = placed.get(p.get('parent_provider_uuid'))
                if parent is None:
                    rest.append(p)
                    continue
                placed[p['uuid']] = self._put_child(row, p, parent)
                slots.append(placed[p['uuid']])
            if len(rest) == len(pending):
                # Orphans cannot happen in a validated report; skip them.
                break
            pending = rest
        self.trees[root_uuid] = slots
        self._changed()
        return True

    def _put_child(self, row, p, parent_slot):
        slot = self._new_slot(p['uuid'])
        self.root[slot] = row
        self.parent[slot] = parent_slot
        self.names[slot] = p.get('name')
        self.aggs[slot] = frozenset(p.get('aggregates') or ())
        self._set_traits(slot, p.get('traits') or ())
        for rc, inv in (p.get('inventories') or {}).items():
            self._set_provider_inventory(slot, rc, inv)
        return slot

    def tree_slots(self, root_uuid):
        """The slots of the node's tree, its root (the host row) first."""
        return self.trees.get(root_uuid, ())

    # -- sharing providers -------------------------------------------------

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
            self._set_provider_inventory(slot, rc, inv)
        self.sharing.add(slot)
        self._changed()
        return slot

    def remove_sharing(self, uuid):
        slot = self.index.get(uuid)
        if slot is not None and slot in self.sharing:
            self._drop_slot(slot)
            self._changed()

    # -- queries -----------------------------------------------------------

    def trait_mask(self, trait):
        """Bool per slot: the provider has ``trait`` (cached; read only)."""
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

    def root_trait_rows(self, trait):
        """Bool per host row: the node's root provider has ``trait``."""
        return self.trait_mask(trait)[:self.n] & self.is_root[:self.n]

    def has_children(self):
        """Whether any node's tree has a provider below its root."""
        return len(self.index) > len(self.trees) + len(self.sharing)

    def in_provider_region(self, cols):
        """Whether some child or sharing provider has ``cols``' class."""
        return bool(cols.present[self.slot_start:self.slot_end].any())

    def child_mask(self):
        """Bool per slot of the provider region [slot_start, slot_end): a
        live child provider of some node's tree (cached; read only)."""
        key = ('child', self.slot_end)
        mask = self._masks.get(key)
        if mask is None:
            a, b = self.slot_start, self.slot_end
            mask = self.live[a:b] & (self.root[a:b] >= 0)
            self._masks[key] = mask
        return mask

    def nested_rows(self):
        """Bool per host row: the node has child providers."""
        mask = np.zeros(self.n, dtype=bool)
        a, b = self.slot_start, self.slot_end
        mask[self.root[a:b][self.child_mask()]] = True
        return mask

    def tree_rows(self, slot_ok):
        """Bool per host row: some slot of the node's own tree is in
        ``slot_ok`` (the root included); ``slot_ok`` covers
        [0, slot_end)."""
        # A root's slot is its host row; only children need their root.
        out = slot_ok[:self.n] & self.valid[:self.n]
        a, b = self.slot_start, self.slot_end
        children = slot_ok[a:b] & self.child_mask()
        if children.any():
            out[self.root[a:b][children]] = True
        return out

    def root_aggregates(self, row):
        """The root's aggregates: the host's plus its root provider's."""
        return set(self.host_aggs[row] or ()) | self.aggs[row]

    def root_aggregate_rows(self, aggs):
        """Bool per host row: the root is in one of ``aggs`` (as a host
        aggregate member or by its root provider's own aggregates)."""
        mask = np.zeros(self.n, dtype=bool)
        by_root = self._root_agg_rows()
        for agg in aggs:
            for rows in (self.agg_rows.get(agg), by_root.get(agg)):
                if rows is not None and len(rows):
                    mask[rows] = True
        return mask & self.valid[:self.n]

    def sharing_for(self, row):
        """Sharing slots that serve the node at ``row``."""
        if not self.sharing:
            return []
        # A sharing provider serves the whole tree when it shares an
        # aggregate with any provider of it (the root or a child).
        aggs = self.root_aggregates(row)
        for slot in self.tree_slots(self.uuids[row])[1:]:
            aggs |= self.aggs[slot]
        return sorted(s for s in self.sharing
                      if self.is_sharing[s] and self.aggs[s] & aggs)

    def sharing_rows(self, slots=None):
        """Bool per host row: some sharing slot (of ``slots``) serves it."""
        mask = np.zeros(self.n, dtype=bool)
        for slot in (self.sharing if slots is None else slots):
            if not self.is_sharing[slot]:
                continue
            for agg in self.aggs[slot]:
                rows = self.agg_rows.get(agg)
                if rows is not None and len(rows):
                    mask[rows] = True
                rows = self._tree_agg_rows().get(agg)
                if rows is not None:
                    mask[rows] = True
        return mask & self.valid[:self.n]

    def _tree_agg_rows(self):
        """{aggregate uuid: host rows with some provider of their tree
        (the root or a child) listing it}."""
        index = self._masks.get('tree_aggs')
        if index is None:
            lists = {}
            for slots in self.trees.values():
                for agg in set().union(*(self.aggs[s] for s in slots)):
                    lists.setdefault(agg, []).append(slots[0])
            index = {agg: np.array(rows, dtype=np.int64)
                     for agg, rows in lists.items()}
            self._masks['tree_aggs'] = index
        return index

    def _root_agg_rows(self):
        """{aggregate uuid: host rows whose root provider lists it}."""
        index = self._masks.get('root_aggs')
        if index is None:
            lists = {}
            for slots in self.trees.values():
                for agg in self.aggs[slots[0]]:
                    lists.setdefault(agg, []).append(slots[0])
            index = {agg: np.array(rows, dtype=np.int64)
                     for agg, rows in lists.items()}
            self._masks['root_aggs'] = index
        return index
