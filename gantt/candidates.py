"""Allocation candidates: which providers of a host can serve a request.

For one request (its RequestGroups) over every host, :meth:`Finder.mask`
rules out, with array operations, hosts that cannot hold some group on any
one provider of their tree or sharing providers (exact for root-only
requests); :meth:`Finder.for_row` then searches one host's providers for
the allocation requests that satisfy every group at once, in placement's
JSON shape, best first and capped.
"""

import numpy as np

from gantt import fit


REASON = 'no allocation candidate'
DEFAULT_LIMIT = 3
# Nodes a per-host search may visit before it settles for what it found.
SEARCH_BUDGET = 2000


class Candidate(object):
    """One way to place a request on a host."""

    __slots__ = ('allocations', 'mappings')

    def __init__(self, allocations, mappings):
        self.allocations = allocations
        self.mappings = mappings

    def allocation_request(self):
        """The placement-shaped allocation request (a fresh dict)."""
        return {'allocations': {
                    rp: {'resources': dict(sorted(res.items()))}
                    for rp, res in sorted(self.allocations.items())},
                'mappings': {k: list(v)
                             for k, v in sorted(self.mappings.items())}}

    def key(self):
        """What tells two candidates apart: what they take, and which
        provider serves which group (placement answers both)."""
        return _key(self.allocations, self.mappings)

    def __repr__(self):
        return '<Candidate %s %s>' % (self.allocations, self.mappings)


def _key(allocations, mappings):
    return (tuple(sorted((rp, tuple(sorted(res.items())))
                         for rp, res in allocations.items())),
            tuple(sorted((s, tuple(rps)) for s, rps in mappings.items())))


def root_mask(hosts, groups):
    """Bool per host row meeting ``groups``' request-level constraints
    (root traits, root aggregates); None when none of them can remove a
    host (a forbidden trait no provider has, say)."""
    if not groups.has_root_limits():
        return None
    forbidden = [t for t in groups.root_forbidden
                 if hosts.trait_slots.get(t)]
    if not (groups.root_required or forbidden or groups.root_member_of or
            groups.root_forbidden_aggs):
        return None
    keep = hosts.valid[:hosts.n].copy()
    for trait in groups.root_required:
        keep &= hosts.root_trait_rows(trait)
    for trait in forbidden:
        keep &= ~hosts.root_trait_rows(trait)
    for wanted in groups.root_member_of:
        keep &= hosts.root_aggregate_rows(wanted)
    if groups.root_forbidden_aggs:
        keep &= ~hosts.root_aggregate_rows(groups.root_forbidden_aggs)
    return keep


def root_allowed(groups, traits, aggs):
    """Whether a root with ``traits`` and aggregates ``aggs`` meets the
    request-level constraints (root_mask, for one host)."""
    return (groups.root_required <= traits and
            not groups.root_forbidden & traits and
            all(wanted & aggs for wanted in groups.root_member_of) and
            not groups.root_forbidden_aggs & aggs)


def any_of_mask(hosts, names, end):
    """Bool per slot < ``end``: the provider has one of ``names``."""
    out = np.zeros(end, dtype=bool)
    for name in names:
        out |= hosts.trait_mask(name)[:end]
    return out


def _fits(cols, amount, size):
    """Bool per slot < size: a claim of ``amount`` would pass."""
    if cols is None:
        return np.zeros(size, dtype=bool)
    return cols.fits(amount, size)


class _Provider(object):
    """A provider as the per-host search sees it."""

    __slots__ = ('uuid', 'root', 'sharing', 'traits', 'aggs', 'own_aggs',
                 'parent', 'ancestors', 'inv', 'order')

    def __init__(self, uuid, root, sharing, traits, aggs, parent, ancestors,
                 inv, order, own_aggs=None):
        self.uuid = uuid
        self.root = root
        self.sharing = sharing
        self.traits = traits
        # The unnumbered group reads a child's aggregates with its root's;
        # a numbered group reads the provider's own (placement's rule) and
        # the host aggregates its host is in.
        self.aggs = aggs
        self.own_aggs = aggs if own_aggs is None else own_aggs
        self.parent = parent
        self.ancestors = ancestors
        # rc -> [capacity, used, min_unit, max_unit, step]
        self.inv = inv
        self.order = order

    def free(self, rc):
        inv = self.inv.get(rc)
        return -1 if inv is None else inv[0] - inv[1]

    def has_room(self, rc, amount, taken=0):
        """Whether ``amount`` more of ``rc`` stays within capacity here,
        with ``taken`` already set aside by the search (gantt.fit)."""
        inv = self.inv.get(rc)
        return inv is not None and bool(fit.has_room(inv[0], inv[1] + taken,
                                                     amount))

    def fits(self, rc, amount):
        """Whether a claim of ``amount`` of ``rc`` passes gantt.fit here."""
        inv = self.inv.get(rc)
        return inv is not None and bool(fit.fits(
            inv[0], inv[1], inv[2], inv[3], inv[4], amount))

    def unit_ok(self, rc, amount):
        inv = self.inv[rc]
        return bool(fit.unit_ok(inv[2], inv[3], inv[4], amount))


class Finder(object):
    """Candidates of one request over the provider store (a HostState)."""

    def __init__(self, hosts, groups, limit=DEFAULT_LIMIT):
        self.hosts = hosts
        self.groups = groups
        self.limit = limit
        self._cache = {}
        self.rcs = sorted({rc for g in groups.groups for rc in g.resources})

    # -- every host at once --------------------------------------------

    def mask(self):
        """Bool per host row: the host may have a candidate.

        Exact when the request is root-only and the host has neither child
        nor sharing providers; otherwise a necessary condition that
        for_row() settles.
        """
        hosts, n = self.hosts, self.hosts.n
        groups = self.groups
        keep = hosts.valid[:n].copy()
        end = hosts.slot_end
        roots = root_mask(hosts, groups)
        if roots is not None:
            keep &= roots
        unnumbered = groups.unnumbered
        for rc, amount in unnumbered.resources.items():
            keep &= self._rows_with(rc, amount, unnumbered.forbidden)
        if not unnumbered.resources:
            # The unnumbered group then maps to the root alone.
            for trait in unnumbered.forbidden:
                keep &= ~hosts.root_trait_rows(trait)
        for trait in unnumbered.required:
            keep &= self._slot_rows(hosts.trait_mask(trait)[:end])
        for names in unnumbered.required_any:
            keep &= self._slot_rows(any_of_mask(hosts, names, end))
        for group in groups.numbered:
            keep &= self._rows_for_group(group)
        return keep

    def _slot_rows(self, slot_ok):
        """Host rows with a provider of their own tree in ``slot_ok``, plus
        rows served by a sharing provider in it."""
        hosts = self.hosts
        out = hosts.tree_rows(slot_ok)
        if hosts.sharing:
            shared = [s for s in hosts.sharing if slot_ok[s]]
            if shared:
                out |= hosts.sharing_rows(shared)
        return out

    def _rows_with(self, rc, amount, forbidden=()):
        """Rows where some one provider without a ``forbidden`` trait can
        give ``amount`` of ``rc``."""
        hosts, end = self.hosts, self.hosts.slot_end
        slot_ok = _fits(hosts.res.get(rc), amount, end)
        for trait in forbidden:
            slot_ok &= ~hosts.trait_mask(trait)[:end]
        return self._slot_rows(slot_ok)

    def _rows_for_group(self, group):
        """Rows where one provider alone meets the group's resources and
        traits (aggregates and provider limits are left to for_row)."""
        hosts, end = self.hosts, self.hosts.slot_end
        slot_ok = hosts.live[:end].copy()
        for rc, amount in group.resources.items():
            slot_ok &= _fits(hosts.res.get(rc), amount, end)
        for trait in group.required:
            slot_ok &= hosts.trait_mask(trait)[:end]
        for trait in group.forbidden:
            slot_ok &= ~hosts.trait_mask(trait)[:end]
        for names in group.required_any:
            slot_ok &= any_of_mask(hosts, names, end)
        return self._slot_rows(slot_ok)

    # -- one host --------------------------------------------------------

    def for_row(self, row):
        """Candidates for the host at ``row``, best first (cached)."""
        found = self._cache.get(row)
        if found is None:
            found = self._search(row)
            self._cache[row] = found
        return found

    def forget(self):
        """Drop every cached search (after consuming on some host: a
        sharing provider serves many hosts)."""
        self._cache.clear()

    def _tree(self, row):
        """The _Providers of the host at ``row``: root, children, sharing."""
        hosts = self.hosts
        root_uuid = hosts.uuids[row]
        slots = hosts.tree_slots(root_uuid) or [row]
        root_aggs = frozenset(hosts.root_aggregates(row))
        # The compute controller's host aggregates speak of the whole host.
        host_aggs = frozenset(hosts.host_aggs[row] or ())
        out = [_Provider(root_uuid, True, False, hosts.traits[row],
                         root_aggs, None, frozenset([root_uuid]),
                         self._slot_inv(row), 0)]
        ancestors = {row: out[0].ancestors}
        for order, slot in enumerate(slots[1:], 1):
            parent = hosts.parent[slot]
            uuid = hosts.uuids[slot]
            ancestors[slot] = ancestors.get(parent, frozenset()) | {uuid}
            out.append(_Provider(
                uuid, False, False, hosts.traits[slot],
                hosts.aggs[slot] | root_aggs, hosts.uuids[parent],
                ancestors[slot], self._slot_inv(slot), order,
                own_aggs=hosts.aggs[slot] | host_aggs))
        for k, slot in enumerate(hosts.sharing_for(row)):
            uuid = hosts.uuids[slot]
            out.append(_Provider(uuid, False, True, hosts.traits[slot],
                                 hosts.aggs[slot], None, frozenset([uuid]),
                                 self._slot_inv(slot), 1000 + k))
        return out

    def provider_roots(self, row):
        """{provider uuid: its root's uuid} for the providers the host at
        ``row`` may take from (a sharing provider is its own root)."""
        root = self.hosts.uuids[row]
        return {p.uuid: p.uuid if p.sharing else root
                for p in self._tree(row)}

    def _slot_inv(self, slot):
        inv = {}
        for rc in self.rcs:
            cols = self.hosts.res.get(rc)
            one = None if cols is None else cols.inventory(slot)
            if one is not None:
                inv[rc] = one
        return inv

    def _search(self, row):
        tree = self._tree(row)
        groups = self.groups
        root = tree[0]
        if not root_allowed(groups, root.traits, root.aggs):
            return []
        tree_uuids = {p.uuid for p in tree if not p.sharing}
        choices = []
        for group in groups.numbered:
            options = [p for p in tree if _serves(p, group) and
                       _in_tree(p, group, tree_uuids)]
            if not options:
                return []
            options.sort(key=lambda p: _spread_key(p, group))
            choices.append(('group', group, None, options))
        unnumbered = groups.unnumbered
        for rc, amount in sorted(unnumbered.resources.items()):
            options = [p for p in tree
                       if p.has_room(rc, amount) and
                       not (unnumbered.forbidden & p.traits) and
                       _aggregates_ok(p, unnumbered) and
                       _in_tree(p, unnumbered, tree_uuids)]
            if not options:
                return []
            options.sort(key=lambda p: (p.order, p.uuid))
            choices.append(('rc', unnumbered, rc, options))
        return _Search(self, root, choices).run()


def _in_tree(p, group, tree_uuids):
    """in_tree names any provider of the tree to use (or a sharing one)."""
    if group.in_tree is None:
        return True
    if p.sharing:
        return p.uuid == group.in_tree
    return group.in_tree in tree_uuids


def _aggregates_ok(p, group, aggs=None):
    aggs = p.aggs if aggs is None else aggs
    if group.forbidden_aggs & aggs:
        return False
    for wanted in group.member_of:
        if not wanted & aggs:
            return False
    return True


def _serves(p, group):
    """Whether provider ``p`` alone meets numbered ``group``."""
    if not group.required <= p.traits or group.forbidden & p.traits:
        return False
    if not all(names & p.traits for names in group.required_any):
        return False
    if not _aggregates_ok(p, group, p.own_aggs):
        return False
    if group.provider_uuids is not None and p.uuid not in group.provider_uuids:
        return False
    for rc, amount in group.resources.items():
        if not p.fits(rc, amount):
            return False
    return True


def _spread_key(p, group):
    """Prefer tree providers over sharing ones, then the most free."""
    room = min((p.free(rc) - n for rc, n in group.resources.items()),
               default=0)
    return (p.sharing, -room, p.order, p.uuid)


class _Search(object):
    """Depth-first search assigning a provider to each choice."""

    def __init__(self, finder, root, choices):
        self.finder = finder
        self.root = root
        self.choices = choices
        self.groups = finder.groups
        self.isolate = finder.groups.group_policy == 'isolate'
        self.found = []
        self.seen = set()
        self.budget = SEARCH_BUDGET
        self.taken = {}
        self.picked = []

    def run(self):
        self._step(0)
        return self.found

    def _step(self, i):
        if len(self.found) >= self.finder.limit or self.budget <= 0:
            return
        self.budget -= 1
        if i == len(self.choices):
            self._finish()
            return
        kind, group, rc, options = self.choices[i]
        for p in options:
            if kind == 'group':
                if self.isolate and any(
                        k == 'group' and q is p for k, _g, q in self.picked):
                    continue
                wants = group.resources
            else:
                wants = {rc: group.resources[rc]}
            if not all(p.has_room(c, n, self.taken.get((p.uuid, c), 0))
                       for c, n in wants.items()):
                continue
            for c, n in wants.items():
                self.taken[(p.uuid, c)] = self.taken.get((p.uuid, c), 0) + n
            self.picked.append((kind, group, p))
            self._step(i + 1)
            self.picked.pop()
            for c, n in wants.items():
                self.taken[(p.uuid, c)] -= n
            if len(self.found) >= self.finder.limit or self.budget <= 0:
                return

    def _finish(self):
        by_suffix = {}
        unnumbered = []
        for kind, group, p in self.picked:
            if kind == 'group':
                by_suffix[group.suffix] = p
            elif p not in unnumbered:
                unnumbered.append(p)
        groups = self.groups
        unnumbered.sort(key=lambda p: p.order)
        if not groups.unnumbered.resources and (
                groups.unnumbered.forbidden & self.root.traits):
            return
        if groups.unnumbered.required or groups.unnumbered.required_any:
            have = set(self.root.traits)
            for p in unnumbered:
                have |= p.traits
            if not groups.unnumbered.required <= have:
                return
            if not all(names & have
                       for names in groups.unnumbered.required_any):
                return
        for entry in groups.same_subtree:
            chosen = [by_suffix[s] for s in entry]
            if not any(all(top.uuid in q.ancestors for q in chosen)
                       for top in chosen):
                return
        allocations = {}
        for (uuid, rc), amount in self.taken.items():
            if amount > 0:
                allocations.setdefault(uuid, {})[rc] = amount
        providers = {p.uuid: p for _k, _g, p in self.picked}
        for uuid, res in allocations.items():
            for rc, amount in res.items():
                if not providers[uuid].unit_ok(rc, amount):
                    return
        mappings = {s: [p.uuid] for s, p in by_suffix.items()}
        if groups.unnumbered.resources:
            mappings[''] = [p.uuid for p in unnumbered]
        key = _key(allocations, mappings)
        if key in self.seen:
            return
        self.seen.add(key)
        self.found.append(Candidate(allocations, mappings))


def provider_summaries(finder, row, candidates, whole_trees=True):
    """Placement-style provider summaries for the candidates of the host at
    ``row``: every provider of the host's tree (``whole_trees``, placement
    from 1.29) or only those the candidates use, and the sharing providers
    they use; each with every class it has inventory of."""
    hosts = finder.hosts
    used = {rp for c in candidates for rp in c.allocations}
    used |= {rp for c in candidates for rps in c.mappings.values()
             for rp in rps}
    root_uuid = hosts.uuids[row]
    tree = finder._tree(row)
    # A candidate served by sharing providers alone does not bring the
    # host's tree in.
    tree_used = whole_trees and any(
        p.uuid in used for p in tree if not p.sharing)
    out = {}
    for p in tree:
        if p.uuid not in used and (p.sharing or not tree_used):
            continue
        slot = hosts.index[p.uuid]
        resources = {}
        for rc, cols in sorted(hosts.res.items()):
            inv = cols.inventory(slot)
            if inv is not None:
                resources[rc] = {'capacity': int(inv[0]),
                                 'used': int(inv[1])}
        out[p.uuid] = {
            'resources': resources,
            'traits': sorted(p.traits),
            'parent_provider_uuid': p.parent,
            'root_provider_uuid': p.uuid if p.sharing else root_uuid,
        }
    return out
