"""The decision, top to bottom: filter, weigh, choose, claim, alternates.

For each instance of a request the scheduler narrows every known host to
those the request may use (constraints such as ignore_hosts, then the
vectorised filters in configured order, then per-host plugins on the
survivors), ranks them with the weighers, picks one among the best
host_subset_size and accounts it locally so the next instance sees it.
Then every instance of the request is claimed in the store in one
transaction, all or nothing; when another request won a host first, the
request is placed again without that host.
"""

import datetime
import functools
import json
import random
import time

import numpy as np
from oslo_log import log as logging

from gantt import candidate_plan
from gantt import capacity as capacity_mod
from gantt import decisions
from gantt import decision_trace
from gantt import exception
from gantt import gang
from gantt import move as move_mod
from gantt import numa_columns
from gantt import numa_fit
from gantt import numa_placement
from gantt import numa_why
from gantt import plugins
from gantt import ranking as ranking_mod
from gantt import request as request_mod
from gantt import request_filters
from gantt import reservations
from gantt.db import timestamps
from gantt.filters import base as filters_base
from gantt.objects import base as obj_base
from gantt.objects import instance_numa
from gantt.objects import scheduler_limits
from gantt.objects import selection
from gantt.weighers import handler

LOG = logging.getLogger(__name__)

ALLOCATION_REQUEST_VERSION = '1.36'


class Scheduler(object):
    """Chooses hosts for RequestSpecs and claims them."""

    def __init__(self, conf, db, host_manager, filters=None, weighers=None,
                 rng=None, clock=time.time):
        self.conf = conf
        self.db = db
        self.host_manager = host_manager
        if filters is None:
            filters = plugins.load_filters(conf)
        if weighers is None:
            weighers = plugins.load_weighers(conf)
        self.filters = list(filters)
        self.weighers = list(weighers)
        self.vector_filters = [f for f in self.filters
                               if isinstance(f, filters_base.VectorFilter)]
        self.host_filters = [f for f in self.filters
                             if not isinstance(f, filters_base.VectorFilter)]
        self.rng = rng or random.Random()
        self.clock = clock
        self.request_filters = request_filters.RequestFilters(conf)

    # -- public ------------------------------------------------------------

    def _request(self, request):
        if isinstance(request, request_mod.Request):
            return request
        # An in-process caller (bench, simulation, tests) handing a
        # RequestSpec: read it once, here, as the RPC edge would.
        return request_mod.from_spec(request, self.conf, self.clock())

    def select_destinations(self, ctxt, request, instance_uuids,
                            return_alternates=True, dry_run=False,
                            specs=None, moving=None):
        """One list per instance: the claimed Selection, then alternates.

        ``request`` is a gantt.request.Request; a RequestSpec is read into
        one first. ``specs`` ({instance uuid: stored spec primitive}) are
        stored with the claim, and ``moving`` (gantt.db.move.begin) hands
        the instance's source to its migration in the claim's transaction.
        """
        started = decision_trace.mark()
        request = self._request(request)
        reservation = request.hint(reservations.HINT)
        if reservation and not dry_run and self.db is not None:
            return reservations.consume(self, ctxt, request, instance_uuids,
                                        reservation, specs)
        self.host_manager.refresh()
        decision_trace.stage('refresh', started)
        with self.host_manager.lock:
            return self._select(ctxt, request, instance_uuids,
                                return_alternates, dry_run,
                                stored={'specs': specs, 'moving': moving})

    def move(self, ctxt, instance_uuid, stored, where, operation, changes,
             migration_uuid=None, return_alternates=True):
        """Move an instance using its stored spec (gantt.move): its
        Selection then alternates. ``where`` is (host, node) of the
        instance now, (None, None) when shelved. The destination claim,
        the source handed to the migration and the spec after the move
        commit together."""
        self.host_manager.refresh()
        with self.host_manager.lock:
            source = move_mod.source_of(self.host_manager.state, *where)
        spec, after, moving = move_mod.build(
            self.conf, stored, operation, instance_uuid, source, changes,
            migration_uuid)
        return self.select_destinations(
            ctxt, spec, [instance_uuid], return_alternates,
            specs={instance_uuid: after}, moving=moving)[0]

    def reserve(self, ctxt, request, count, deadline, uuid=None):
        """Hold ``count`` instances of ``request`` until ``deadline``
        without building (gantt.reservations); the reservation's dict."""
        return reservations.reserve(self, ctxt, self._request(request),
                                    count, deadline, uuid)

    def select_gang(self, ctxt, requests, uuid_lists,
                    return_alternates=True, specs=None):
        """Place several requests together, all or nothing (gantt.gang):
        per request, one list per instance as select_destinations gives;
        ``specs`` as select_destinations takes them.
        """
        requests = [self._request(r) for r in requests]
        self.host_manager.refresh()
        with self.host_manager.lock:
            return gang.select(self, ctxt, requests,
                               [list(u) for u in uuid_lists],
                               return_alternates, specs)

    def explain(self, ctxt, request, limit=None):
        """Why hosts were kept or removed and how the rest rank; no claim."""
        request = self._request(request)
        self.host_manager.refresh()
        with self.host_manager.lock:
            hosts = self.host_manager.state
            request = self.request_filters.narrow(hosts, request)
            request.start(self._plan(hosts, request))
            ranking = self._rank(hosts, request, {}, first=True)
            rows, totals = ranking.ranked(limit)
            return {
                'hosts': [dict({'host': hosts.hosts[r],
                                'nodename': hosts.nodenames[r],
                                'uuid': hosts.uuids[r],
                                'weight': float(w)},
                               **self._explain_numa(hosts, r, request))
                          for r, w in zip(rows, totals)],
                'filters': [{'name': s.name, 'removed': int(s.removed),
                             'remaining': int(s.before - s.removed),
                             'reason': str(s.reason)}
                            for s in ranking.stages],
                'considered': ranking.considered,
                'forced': ranking.forced,
            }

    @staticmethod
    def _explain_numa(hosts, row, request):
        """{'numa_topology': the InstanceNUMATopology fields a claim on
        `row` would hold}, for a request asking a NUMA topology or PCI
        devices; {} otherwise."""
        if not numa_placement.needed(request.numa):
            return {}
        fitted = numa_placement.fitted(hosts, row, request.numa)
        if fitted is None:
            return {'numa_topology': None}
        topology = instance_numa.InstanceNUMATopology.from_fitted(
            fitted, request.numa.pci)
        return {'numa_topology': {
            'cells': [obj_base.values(c) for c in topology.cells],
            'pci_devices': dict(topology.pci_devices)}}

    def capacity(self, ctxt, request, limit=None):
        """How many more instances of ``request`` fit (gantt.capacity):
        in total, per cell, zone and aggregate, and on the best ``limit``
        hosts; nothing is claimed."""
        request = self._request(request)
        self.host_manager.refresh()
        with self.host_manager.lock:
            hosts = self.host_manager.state
            try:
                request = self.request_filters.narrow(hosts, request)
            except exception.NoValidHost as e:
                return capacity_mod.refused(str(e))
            request.start(self._plan(hosts, request))
            ranking = self._rank(hosts, request, {}, first=True)
            return capacity_mod.summarise(hosts, request, ranking, limit)

    # -- the decision ------------------------------------------------------

    def _select(self, ctxt, request, instance_uuids, return_alternates,
                dry_run, reservation=None, stored=None):
        uuids = list(instance_uuids or ())
        if not uuids:
            uuids = [request.instance_uuid] * max(1, request.num_instances)
        digest = None
        if not dry_run and self.db is not None:
            digest = decisions.digest(request, uuids)
            replayed = self._replay(uuids, digest, return_alternates)
            if replayed is not None:
                return replayed
        # Compute nodes whose claim was lost to another request: the next
        # attempt places the request elsewhere, as the loser of a race
        # tries its next ranked host.
        avoid = {}
        asked = request
        while True:
            hosts = self.host_manager.state
            request = self.request_filters.narrow(hosts, asked)
            request, group = self._with_stored_group(request, dry_run)
            placed = self._place_all(ctxt, hosts, request, uuids, avoid)
            result = self._selections(hosts, placed, request,
                                      return_alternates)
            if dry_run or self.db is None:
                break
            decided = {uuid: decisions.encode(sels)
                       for (uuid, _, _, _), sels in zip(placed, result)
                       if uuid}
            if self._claim(hosts, [(request, placed)], avoid, digest,
                           decided, group, reservation, stored):
                break
            self.host_manager.refresh()
        if dry_run:
            self._undo(hosts, placed, request)
        else:
            for uuid, row, _, _ in placed:
                if uuid:
                    hosts.add_instance(uuid, row)
        return result

    def _place_all(self, ctxt, hosts, request, uuids, avoid):
        """Fit every instance locally, each seeing the ones before it:
        [(uuid, row, ranking, allocation request)]; nothing is claimed."""
        placing = request.start(self._plan(hosts, request))
        once = {}
        placed = []
        try:
            for index, uuid in enumerate(uuids):
                placing.instance_uuid = uuid
                # Fitted afresh for each instance: the ones before it took
                # pCPUs, pages and devices.
                placing.numa_fitted = {}
                ranking = self._rank(hosts, request, once, first=index == 0)
                row, alloc = self._place(ctxt, hosts, request, ranking,
                                         uuid, avoid, index, len(uuids))
                placed.append((uuid, row, ranking, alloc))
        except Exception:
            self._undo(hosts, placed, request)
            raise
        return placed

    def _replay(self, uuids, digest, return_alternates):
        """The selections an earlier call under ``digest`` gave these
        instances, when every one still holds exactly that claim; else
        None (gantt.decisions).

        A claimed instance is recorded on its host in the claim's own
        transaction, so an instance the refreshed state places nowhere
        holds no claim: a new request costs no read here.
        """
        window = self.conf.scheduler.decision_replay_seconds
        known = self.host_manager.state.instance_row
        if (not window or len(set(uuids)) != len(uuids) or
                not all(uuid and uuid in known for uuid in uuids)):
            return None
        since = timestamps.utcnow() - datetime.timedelta(seconds=window)
        found = self.db.find_decisions(uuids, digest, since)
        result = []
        for uuid in uuids:
            text, held = found.get(uuid, (None, None))
            if text is None:
                return None
            selections = decisions.decode(text)
            if decisions.claimed(selections) != held:
                return None
            result.append(selections if return_alternates
                          else selections[:1])
        LOG.info('Instances %s hold the claims of an earlier call for the '
                 'same request: answering its selections again',
                 ', '.join(uuids))
        return result

    def _with_stored_group(self, request, dry_run):
        """The request with its server group as the store holds it (the
        stored policy and rules; the stored members and their hosts added
        to the spec's), and the group to join in the claim (None without
        a group uuid, or without a store). A group the store does not hold
        yet is learned from the spec by the claim."""
        group = request.instance_group
        if self.db is None or group is None or not group.uuid:
            return request, None
        stored = self.db.get_server_group(group.uuid)
        if stored is None:
            if not group.policy:
                return request, None
            return request, {
                'uuid': group.uuid, 'name': group.name,
                'policy': group.policy, 'rules': group.rules,
                'members': group.members, 'project_id': request.project_id,
                'user_id': request.user_id}
        merged = group._replace(
            policy=stored['policy'], rules=stored['rules'],
            members=tuple(sorted(set(group.members) |
                                 set(stored['members']))),
            hosts=tuple(sorted(set(group.hosts) | set(stored['hosts']))))
        joined = None if dry_run else {'uuid': group.uuid,
                                       'policy': stored['policy']}
        return request._replace(instance_group=merged), joined

    def _claim(self, hosts, batches, avoid, digest=None, decided=None,
               group=None, reservation=None, stored=None):
        """Claim every placed instance of every (request, placed) batch in
        one transaction: all or none. With ``reservation`` (uuid, deadline,
        project, user, flavor) the instances are its slots.

        True when claimed. On a claim lost to another request the local
        accounting is undone, the host of the refused instance joins
        ``avoid`` and False asks for another attempt. Any other failure
        (the database gone, say) undoes the local accounting and raises:
        the transaction left nothing behind.
        """
        started = decision_trace.mark()
        # An instance the state places already holds a claim the new one
        # replaces; the release is not applied locally, so the state must
        # read the claim's rows back.
        replaces = any(uuid in hosts.instance_row
                       for _, placed in batches for uuid, _, _, _ in placed)
        if reservation is not None:
            reservation = dict(reservation, slots=[
                {'consumer': uuid, 'host': hosts.hosts[row],
                 'node': hosts.nodenames[row], 'node_uuid': hosts.uuids[row]}
                for _, placed in batches for uuid, row, _, _ in placed])
        try:
            seq = self.db.claim_instances([
                (uuid, alloc, request.project_id, request.user_id,
                 hosts.hosts[row], hosts.nodenames[row],
                 request.placing.numa_taken.get(index, (None,))[0])
                for request, placed in batches
                for index, (uuid, row, _, alloc) in enumerate(placed)],
                digest, decided, group, reservation,
                **{k: v for k, v in (stored or {}).items() if v})
        except exception.ClaimConflict as e:
            consumer = e.kwargs.get('consumer')
            rows = [r for _, placed in batches for u, r, _, _ in placed
                    if u == consumer] or [batches[0][1][0][1]]
            LOG.debug('Claim for %s lost on %s: %s', consumer,
                      hosts.hosts[rows[0]], e)
            decision_trace.claim_lost(started)
            avoid[hosts.uuids[rows[0]]] = e
            self._undo_all(hosts, batches)
            return False
        except Exception:
            self._undo_all(hosts, batches)
            raise
        decision_trace.stage('claim', started)
        # The claims are applied locally; _select records the instances
        # on their rows before the lock is released.
        if not replaces:
            self.host_manager.wrote(seq)
        return True

    def _selections(self, hosts, placed, request, return_alternates):
        """One list per placed instance: its Selection, then alternates."""
        picked = {row for _, row, _, _ in placed}
        taken = request.placing.numa_taken
        result = []
        for index, (uuid, row, ranking, alloc) in enumerate(placed):
            selections = [self._selection(hosts, row, alloc, ranking)]
            self._numa_limits(hosts, row, request, selections[0])
            if index in taken:
                # What the claim holds, for the compute to apply.
                selections[0].numa_topology = (
                    instance_numa.InstanceNUMATopology.from_fitted(
                        taken[index][0][1], request.numa.pci))
            if return_alternates:
                for alt, alt_alloc, fitted in self._alternates(
                        hosts, row, ranking, picked, request):
                    alternate = self._selection(hosts, alt, alt_alloc,
                                                ranking)
                    self._numa_limits(hosts, alt, request, alternate)
                    if fitted is not None:
                        # What claim_resources claims with the alternate.
                        alternate.numa_topology = (
                            instance_numa.InstanceNUMATopology.from_fitted(
                                fitted, request.numa.pci))
                    selections.append(alternate)
            result.append(selections)
        return result

    @staticmethod
    def _numa_limits(hosts, row, request, chosen):
        """Name in ``chosen``'s limits the allocation ratios a guest NUMA
        topology was fitted to host ``row``'s cells with, as the compute
        controller's NUMA filter does, so its compute claims the same."""
        if request.numa.topology is not None and hosts.numa_cells[row]:
            chosen.limits.with_numa_ratios(*numa_columns.ratios(hosts, row))

    def _rank(self, hosts, request, once, first):
        """Filter every host for `request`, then weigh the survivors."""
        started = decision_trace.mark()
        mask = hosts.valid[:hosts.n].copy()
        considered = int(np.count_nonzero(mask))
        stages = []
        forced = self._constrain(hosts, request, mask, stages)
        # Hosts left in mask, counted once per stage.
        left = int(np.count_nonzero(mask))
        if not forced:
            for f in self.vector_filters:
                if not left:
                    break
                if f.run_filter_once_per_request and not first:
                    # Decided for the first instance; the same answer
                    # holds for the rest of the request.
                    fmask = once.get(f)
                    if fmask is None:
                        continue
                else:
                    fmask = f.filter_mask(hosts, request)
                    if f.run_filter_once_per_request:
                        once[f] = fmask
                reason = f.reason
                if f.explains:
                    removed = np.flatnonzero(mask & ~fmask)
                    if len(removed):
                        reason = ranking_mod.Reason(
                            f.reason, functools.partial(
                                f.why, hosts, request, removed))
                mask &= fmask
                after = int(np.count_nonzero(mask))
                stages.append(ranking_mod.Stage(f.name, left - after, left,
                                                reason))
                left = after
        plan = request.placing.plan
        plan_mask = plan.mask() if left else None
        if plan_mask is not None:
            mask &= plan_mask
            after = int(np.count_nonzero(mask))
            stages.append(ranking_mod.Stage(plan.name, left - after,
                                            left, plan.reason))
        rows = np.flatnonzero(mask)
        if not forced:
            for f in self.host_filters:
                if not len(rows):
                    break
                before = len(rows)
                kept = np.array([r for r in rows
                                 if f.host_passes(hosts.view(r), request)],
                                dtype=np.int64)
                reason = f.reason
                if f.explains and len(kept) < before:
                    reason = ranking_mod.Reason(f.reason, functools.partial(
                        f.why, hosts, request, np.setdiff1d(rows, kept)))
                rows = kept
                stages.append(ranking_mod.Stage(f.name, before - len(rows),
                                                before, reason))
        decision_trace.stage('filter', started)
        started = decision_trace.mark()
        totals = handler.totals(self.weighers, hosts, rows, request)
        decision_trace.stage('weigh', started)
        return ranking_mod.Ranking(considered, stages, rows, totals, forced)

    def _constrain(self, hosts, request, mask, stages):
        """Apply the spec's host constraints to `mask`; True when forced."""
        def narrow(name, keep, reason):
            before = int(np.count_nonzero(mask))
            mask[:] &= keep
            removed = before - int(np.count_nonzero(mask))
            if removed:
                stages.append(ranking_mod.Stage(name, removed, before, reason))

        ignore = request.ignore_hosts
        if ignore:
            narrow('ignore_hosts', ~self._host_mask(hosts, ignore),
                   'listed in ignore_hosts')
        tried = request.retry_hosts
        if tried:
            keep = np.ones(hosts.n, dtype=bool)
            for entry in tried:
                host, node = (list(entry) + [None, None])[:2]
                for r in hosts.host_rows.get(host, ()):
                    if node is None or hosts.nodenames[r] == node:
                        keep[r] = False
            narrow('retry', keep, 'already tried for this request')
        dest = request.requested_destination
        if dest is not None:
            self._constrain_destination(hosts, dest, narrow)
        force_hosts = request.force_hosts
        force_nodes = request.force_nodes
        if force_hosts:
            narrow('force_hosts', self._host_mask(hosts, force_hosts),
                   'not among force_hosts')
        if force_nodes:
            wanted = {n.lower() for n in force_nodes}
            keep = np.array([bool(n) and n.lower() in wanted
                             for n in hosts.nodenames[:hosts.n]], dtype=bool)
            narrow('force_nodes', keep, 'not among force_nodes')
        return bool(force_hosts or force_nodes)

    @staticmethod
    def _host_mask(hosts, names):
        """Rows whose service host is in `names` (case-insensitive)."""
        keep = np.zeros(hosts.n, dtype=bool)
        wanted = {n.lower() for n in names}
        for host, rows in hosts.host_rows.items():
            if host.lower() in wanted:
                keep[rows] = True
        return keep

    @staticmethod
    def _constrain_destination(hosts, dest, narrow):
        host = dest.host
        node = dest.node
        if host:
            keep = np.zeros(hosts.n, dtype=bool)
            keep[hosts.host_rows.get(host, [])] = True
            narrow('requested_destination', keep, 'not the requested host')
        if node:
            keep = hosts.nodenames[:hosts.n] == node
            narrow('requested_destination', keep, 'not the requested node')
        cell = dest.cell_uuid
        if cell and not dest.allow_cross_cell_move:
            # A cross-cell move may go to any cell; the CrossCellWeigher
            # ranks the requested one.
            keep = hosts.cell[:hosts.n] == hosts.cell_code(cell)
            narrow('requested_destination', keep, 'not in the requested cell')
        for entry in dest.aggregates:
            keep = np.zeros(hosts.n, dtype=bool)
            for agg in entry.split(','):
                keep[hosts.agg_rows.get(agg.strip(), [])] = True
            narrow('requested_destination', keep,
                   'not in any of aggregates %s' % entry)
        forbidden = dest.forbidden_aggregates
        if forbidden:
            keep = np.ones(hosts.n, dtype=bool)
            for agg in forbidden:
                keep[hosts.agg_rows.get(agg, [])] = False
            narrow('requested_destination', keep,
                   'in a forbidden aggregate')

    def _choose(self, ranking):
        """Ranked rows to try, the chosen one first."""
        if not len(ranking):
            return
        fs = self.conf.filter_scheduler
        subset = max(1, fs.host_subset_size)
        best = 0
        if fs.shuffle_best_same_weighed_hosts:
            top = ranking.ranked(1)[1][0]
            best = int(np.count_nonzero(ranking.totals == top))
        head = list(ranking.ranked(max(subset, best))[0])
        if best > 1:
            tied = head[:best]
            self.rng.shuffle(tied)
            head[:best] = tied
        subset = min(subset, len(head))
        if subset > 1:
            head.insert(0, head.pop(self.rng.randrange(subset)))
        tried = set(head)
        yield from head
        for row in ranking:
            if row not in tried:
                yield row

    def _place(self, ctxt, hosts, request, ranking, uuid, avoid, index,
               count):
        """The best host the instance fits on, accounted locally: its row
        and allocation request. Hosts in ``avoid`` lost a claim of this
        request to another one."""
        unfit = 0
        numa_unfit = []
        for row in self._choose(ranking):
            if avoid and hosts.uuids[row] in avoid:
                continue
            alloc = request.placing.plan.allocation_request(row)
            if alloc is None:
                unfit += 1
                continue
            fitted = request.placing.numa_fitted.get(row)
            if fitted is None and numa_placement.needed(request.numa):
                # The topology the request needs is fitted here whether or
                # not NUMATopologyFilter ran: no claim takes plain
                # resources without it.
                fitted = numa_placement.fitted(hosts, row, request.numa)
                if fitted is None:
                    numa_unfit.append(row)
                    continue
            # The instance is known by its row until the whole request is
            # placed: filters and weighers count picked_rows, and counting
            # the instance on the host as well would count it twice.
            request.placing.plan.consume(row, alloc)
            request.placing.picked_rows.append(row)
            if fitted is not None:
                # The pCPUs, pages and devices go with the claim; the row
                # shows them taken to the request's next instances, and
                # _undo puts the row's cells and devices back.
                request.placing.numa_taken[index] = (
                    (hosts.uuids[row], fitted,
                     numa_fit.page_limits(hosts.numa_cells[row])),
                    hosts.numa_cells[row], hosts.pci_pools[row])
                numa_columns.consume(hosts, row, fitted)
            return row, alloc
        reason = ranking.reason()
        refusals = [e for e in avoid.values()
                    if isinstance(e, exception.ServerGroupPolicyConflict)]
        lost = len(avoid) - len(refusals)
        if unfit:
            reason += '; %d ranked hosts had no capacity left%s' % (
                unfit, '' if request.placing.plan.root_only
                else ' (no allocation candidate)')
        if numa_unfit:
            reason += ('; %d ranked hosts cannot hold the guest NUMA topology '
                       'or PCI devices (%s)' % (
                           len(numa_unfit), numa_why.summary(
                               hosts, numa_unfit, request.numa)))
        if lost:
            # What the other requests took first: resource classes, or
            # the pCPUs, devices and page pools of NUMA claims.
            taken = sorted({str(e.kwargs.get('resource_class'))
                            for e in avoid.values()
                            if e not in refusals})
            reason += '; %d claims lost to other requests (%s)' % (
                lost, '; '.join(taken[:3]) + (
                    '; ...' if len(taken) > 3 else ''))
        if refusals:
            reason += ('; %d hosts refused by the %s policy of server group '
                       '%s' % (len(refusals), refusals[0].kwargs['policy'],
                               refusals[0].kwargs['group']))
        if count > 1:
            reason = 'instance %d of %d: %s' % (index + 1, count, reason)
        LOG.info('No valid host for %s: %s', uuid, reason)
        decision_trace.refused(ranking, unfit + len(numa_unfit), lost)
        raise exception.NoValidHost(reason=reason)

    def _undo_all(self, hosts, batches):
        for request, placed in reversed(batches):
            self._undo(hosts, placed, request)

    def _undo(self, hosts, placed, request):
        """Take back the local accounting of placed instances (nothing of
        them is in the store: a request's claims commit together)."""
        taken = request.placing.numa_taken
        for index in reversed(range(len(placed))):
            uuid, row, _, alloc = placed[index]
            request.placing.plan.consume(row, alloc, sign=-1)
            request.placing.picked_rows.remove(row)
            if index in taken:
                _, cells, pools = taken.pop(index)
                numa_columns.set_row(hosts, row, cells, pools)

    def _alternates(self, hosts, primary, ranking, picked, request):
        """[(row, allocation request, numa_fit.Fitted or None)] of
        alternates in the same cell. A request that needs a NUMA/PCI
        placement gets only alternates it fits on now, each with the
        placement fitted there (nothing of it is claimed)."""
        wanted = self.conf.scheduler.max_attempts - 1
        cell = hosts.cell[primary]
        out = []
        for row in ranking:
            if len(out) >= wanted:
                break
            if row in picked or hosts.cell[row] != cell:
                continue
            alloc = request.placing.plan.allocation_request(row)
            if alloc is None:
                continue
            fitted = None
            if numa_placement.needed(request.numa):
                fitted = numa_placement.fitted(hosts, row, request.numa)
                if fitted is None:
                    continue
            out.append((row, alloc, fitted))
        return out

    # -- allocation candidates -------------------------------------------

    @staticmethod
    def _plan(hosts, request):
        """The request's CandidatePlan over the store."""
        return candidate_plan.for_request(hosts, request)

    def _selection(self, hosts, row, alloc, ranking):
        return self.selection_at(hosts, row, alloc, ranking.weight_of(row))

    @staticmethod
    def selection_at(hosts, row, alloc, weight):
        """The Selection of host ``row`` claimed by ``alloc``."""
        return selection.Selection(
            weight=weight,
            compute_node_uuid=hosts.uuids[row],
            service_host=hosts.hosts[row],
            nodename=hosts.nodenames[row],
            cell_uuid=hosts.cells[hosts.cell[row]],
            limits=scheduler_limits.SchedulerLimits(),
            allocation_request=json.dumps(alloc),
            allocation_request_version=ALLOCATION_REQUEST_VERSION,
            availability_zone=hosts.azs[hosts.az[row]])
