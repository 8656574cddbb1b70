"""Keeps one worker's HostState in step with the database, change by change.

The HostManager holds a watermark (the store's change sequence it has seen)
and, on refresh, applies only the rows changed since then: the cost of
staying fresh grows with the changes, not with the number of hosts.
"""

import threading

from oslo_log import log as logging

from gantt.db import timestamps
from gantt import host_state
from gantt import numa_held
from gantt import traits

LOG = logging.getLogger(__name__)


def _get(change, name, default=None):
    value = change.get(name)
    return default if value is None else value


class HostManager(object):
    """The columnar snapshot of every host, refreshed incrementally."""

    def __init__(self, conf, db):
        self.conf = conf
        self.db = db
        self.watermark = 0
        # Decisions and refreshes run in the RPC server's threads; both
        # read and write the columns, so they take this lock.
        self.lock = threading.RLock()
        # Every provider (roots at host rows, children, sharing ones)
        # and the hosts' own columns.
        self.state = host_state.HostState(
            capacity=1024, default_az=conf.default_availability_zone)
        # The earliest reservation deadline ahead (naive UTC), or None:
        # when it passes, the inventories its rows held are read again,
        # freed (gantt.db.held), though no row changed.
        self.next_expiry = None
        # Compute nodes deleted in the store: their root providers, which
        # stay, are no hosts known only from placement.
        self.deleted_nodes = set()
        # Nodes this worker claimed NUMA resources on without reading the
        # claims back (see wrote).
        self.numa_written = set()

    def expires_at(self, deadline):
        """Note a reservation deadline this worker made."""
        with self.lock:
            if self.next_expiry is None or deadline < self.next_expiry:
                self.next_expiry = deadline

    def _expire(self):
        """Apply the inventories of reservations past their deadline;
        rows applied."""
        if (self.next_expiry is None or
                timestamps.utcnow() < self.next_expiry):
            return 0
        freed = self.db.expired_reservation_inventories()
        for inv in freed:
            self._apply_inventory(inv)
        self.next_expiry = self.db.next_reservation_deadline()
        LOG.debug('Reservations expired: %d inventories freed', len(freed))
        return len(freed)

    def refresh(self):
        """Apply every change the store made since the last refresh.

        Returns the number of changed rows applied (0 when up to date).
        """
        if self.db is None:
            return 0
        with self.lock:
            # One read transaction; when nothing changed it reads only
            # the newest sequence of each table.
            changes = self.db.get_changes(
                self.watermark, numa_holding=self._numa_holding())
            if changes.seq == self.watermark:
                return self._expire()
            if changes.seq < self.watermark:
                # The store went backwards (restored or recreated): what
                # this cache holds may no longer exist. Start over.
                LOG.warning('Store change sequence %d is below this '
                            'worker\'s watermark %d; reloading every host.',
                            changes.seq, self.watermark)
                self.state = host_state.HostState(
                    capacity=1024,
                    default_az=self.conf.default_availability_zone)
                self.watermark = 0
                self.deleted_nodes = set()
                self.numa_written = set()
                changes = self.db.get_changes(0)
            applied = self.apply(changes)
            LOG.debug('Refreshed host state from seq %d to %d: %d changes',
                      self.watermark, changes.seq, applied)
            self.watermark = changes.seq
            deadline = getattr(changes, 'next_deadline', None)
            if deadline is not None:
                self.expires_at(deadline)
            return applied + self._expire()

    def wrote(self, seq, numa_nodes=()):
        """Note a write this worker made and already applied to the state.

        When the write is the very next change after the watermark, the
        state already equals the store at ``seq``: the watermark moves on
        and the next refresh need not read the write back. Otherwise the
        next refresh reads it with the others' changes. ``numa_nodes``
        are the nodes the write claimed NUMA resources on: their claims
        are read again whenever their inventories change (a release by
        anyone), as those of the nodes the change feed showed holding.
        """
        with self.lock:
            if seq == self.watermark + 1:
                self.watermark = seq
                self.numa_written.update(numa_nodes)
                return True
            return False

    def _numa_holding(self):
        """The nodes on which this worker's state may show NUMA claims."""
        return numa_held.holding(self.state) | self.numa_written

    def snapshot(self):
        """The HostState, refreshed first."""
        self.refresh()
        return self.state

    def apply(self, changes):
        """Apply one Changes batch to the state; returns rows applied."""
        # Nodes first so inventories, aggregates and instances find rows.
        for node in changes.compute_nodes:
            self._apply_node(node)
        trees = self._apply_providers(changes)
        for inv in changes.inventories:
            self._apply_inventory(inv)
        for agg in changes.aggregates:
            if agg.get('deleted'):
                self.state.remove_aggregate(agg['uuid'])
            else:
                self.state.set_aggregate(agg['uuid'], agg.get('name'),
                                         _get(agg, 'hosts', ()),
                                         _get(agg, 'metadata', {}))
        for inst in changes.instances:
            if inst.get('deleted'):
                self.state.remove_instance(inst['instance_uuid'])
            else:
                self.state.set_instance(inst['instance_uuid'], inst['host'],
                                        inst.get('node'))
        claims = sum(numa_held.claimed(self.state, uuid, held) for uuid, held
                     in (getattr(changes, 'numa_claims', None) or {}).items())
        return (len(changes.compute_nodes) + len(changes.inventories)
                + len(changes.aggregates) + len(changes.instances) + trees
                + claims)

    def _apply_node(self, change):
        if change.get('deleted'):
            self.deleted_nodes.add(change['uuid'])
            self.state.remove_node(change['uuid'])
            return
        self.deleted_nodes.discard(change['uuid'])
        node = change.get('node')
        facts = host_state.node_facts(node) if node is not None else {}
        self.state.upsert_node(change['uuid'], change['host'],
                               change['hypervisor_hostname'],
                               change.get('cell_uuid'),
                               change.get('last_seen_up'), facts)
        numa_held.reported(self.state, change['uuid'])

    def _apply_providers(self, changes):
        """Rebuild each tree the batch touched; returns trees applied."""
        state = self.state
        for uuid in getattr(changes, 'removed_providers', ()) or ():
            if state.is_placement_only(uuid):
                state.remove_node(uuid)
            state.remove_sharing(uuid)
        trees = {}
        for p in getattr(changes, 'providers', ()) or ():
            trees.setdefault(p['root_provider_uuid'], []).append(p)
        for root, members in trees.items():
            self._place_root(root, members)
            if state.set_tree(root, members):
                continue
            top = [p for p in members if p['uuid'] == root]
            if top and traits.SHARES_VIA_AGGREGATE in top[0]['traits']:
                p = top[0]
                state.set_sharing(root, p.get('name'), p['traits'],
                                  p['aggregates'], p['inventories'])
            else:
                state.remove_sharing(root)
        return len(trees)

    def _place_root(self, root, members):
        """Make the tree's root a host when no compute report describes
        it (nova's computes and import-nova write only placement): a root
        provider, not sharing, with something offered in its tree, and not
        the provider of a deleted compute node. A host that was only that
        stops being one when the tree no longer is."""
        state = self.state
        top = [p for p in members if p['uuid'] == root]
        placeable = bool(top) and root not in self.deleted_nodes and (
            traits.SHARES_VIA_AGGREGATE not in top[0]['traits']) and any(
            inv.get('total') for p in members
            for inv in (p.get('inventories') or {}).values())
        if placeable:
            state.upsert_placement_root(root, top[0].get('name') or root,
                                        top[0].get('inventories'))
        elif state.is_placement_only(root):
            state.remove_node(root)

    def _apply_inventory(self, inv):
        uuid, rc = inv['provider_uuid'], inv['resource_class']
        if inv.get('deleted') or inv.get('total') is None:
            self.state.clear_inventory(uuid, rc)
            return
        self.state.set_inventory(
            uuid, rc, inv['total'], _get(inv, 'reserved', 0),
            _get(inv, 'allocation_ratio', 1.0), _get(inv, 'used', 0),
            min_unit=_get(inv, 'min_unit', 1),
            max_unit=inv.get('max_unit'), step=_get(inv, 'step_size', 1))
