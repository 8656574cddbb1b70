"""How many more instances of one request fit, in total and per group.

The hosts the request may use are those the decision would rank (request
pre-filters, constraints, filters and allocation candidates, evaluated as
for the request's next instance, against current claims). On each of them
the count is the fewest, over the classes the request asks, of the claims
gantt.fit.instances lets pass one after another; a request whose
providers' trees matter is counted by placing instance after instance on
the host's allocation candidates and undoing them. A server group caps
it: anti-affinity at max_server_per_host per host (less the members there),
affinity at the best single host. Totals are summed per cell, availability
zone and aggregate.
"""

import numpy as np

from gantt import exception

# Instances a tree-aware count places on one host before it stops; the
# answer then says it is a lower bound.
TREE_COUNT_CAP = 256
ANTI_AFFINITY = ('anti-affinity',)
AFFINITY = ('affinity',)


def _root_counts(hosts, request, rows):
    """(count per row, class that limits each row) on the roots' columns."""
    counts = np.full(len(rows), np.iinfo(np.int64).max, dtype=np.int64)
    limited = np.full(len(rows), '', dtype=object)
    asked = [(rc, n) for rc, n in sorted(request.resources.items()) if n > 0]
    if not asked:
        raise exception.InvalidRequest(
            reason='the request asks for no resources, so any number of '
                   'its instances fits')
    for rc, amount in asked:
        cols = hosts.res.get(rc)
        got = (np.zeros(len(rows), dtype=np.int64) if cols is None
               else cols.instances(amount, rows))
        lower = got < counts
        limited[lower] = rc
        counts = np.minimum(counts, got)
    return counts, limited


def _tree_counts(hosts, request, rows):
    """(count per row, whether a row hit TREE_COUNT_CAP) by placing
    instances on each host's allocation candidates, then undoing them."""
    plan = request.placing.plan
    counts = np.zeros(len(rows), dtype=np.int64)
    capped = False
    for i, row in enumerate(rows):
        placed = []
        try:
            while len(placed) < TREE_COUNT_CAP:
                alloc = plan.allocation_request(row)
                if alloc is None:
                    break
                plan.consume(row, alloc)
                placed.append(alloc)
            else:
                capped = True
        finally:
            for alloc in reversed(placed):
                plan.consume(row, alloc, sign=-1)
        counts[i] = len(placed)
    return counts, capped


def _group_caps(hosts, request, rows, counts):
    """Apply the request's server group policy to ``counts`` in place;
    True when only the best host counts (affinity)."""
    group = request.instance_group
    if group is None or not group.policy:
        return False
    if group.policy in ANTI_AFFINITY:
        most = int(group.rules.get('max_server_per_host') or 1)
        members = set(group.members)
        for i, row in enumerate(rows):
            there = len(members & (hosts.instances[row] or set()))
            counts[i] = min(counts[i], max(0, most - there))
        return False
    return group.policy in AFFINITY


def _by(names, rows, counts, single_host):
    """[{name, instances, hosts}] summed (or, single_host, maxed) per name
    of each row."""
    out = {}
    for name, count in zip(names, counts.tolist()):
        entry = out.setdefault(name, {'name': name, 'instances': 0,
                                      'hosts': 0})
        if single_host:
            entry['instances'] = max(entry['instances'], count)
        else:
            entry['instances'] += count
        entry['hosts'] += 1 if count else 0
    return sorted(out.values(), key=lambda e: (str(e['name'] or '')))


def summarise(hosts, request, ranking, limit=None):
    """The capacity answer for ``request`` over the hosts ``ranking`` kept.

    ``request.placing.plan`` is the request's CandidatePlan; ``limit``
    caps the list of hosts (best count first).
    """
    rows = np.asarray(ranking.rows, dtype=np.int64)
    plan = request.placing.plan
    capped = False
    limited = np.full(len(rows), '', dtype=object)
    if plan.root_only:
        counts, limited = _root_counts(hosts, request, rows)
    else:
        counts, capped = _tree_counts(hosts, request, rows)
    single_host = _group_caps(hosts, request, rows, counts)
    if single_host:
        total = int(counts.max()) if len(counts) else 0
    else:
        total = int(counts.sum())
    order = np.argsort(-counts, kind='stable')
    if limit is not None:
        order = order[:limit]
    bottlenecks = {}
    for rc in limited.tolist():
        if rc:
            bottlenecks[rc] = bottlenecks.get(rc, 0) + 1
    aggregates = []
    for uuid in sorted(hosts.aggregates, key=lambda u: (
            hosts.aggregates[u].name or '', u)):
        member = np.isin(rows, hosts.agg_rows.get(uuid, ()))
        in_agg = counts[member]
        aggregates.append({
            'uuid': uuid, 'name': hosts.aggregates[uuid].name,
            'instances': int(in_agg.max() if single_host and len(in_agg)
                             else in_agg.sum()),
            'hosts': int(np.count_nonzero(in_agg))})
    return {
        'total': total,
        'exact': not capped,
        'policy': (request.instance_group.policy
                   if request.instance_group is not None else None),
        'considered': ranking.considered,
        'passed': int(len(rows)),
        'fitting': int(np.count_nonzero(counts)),
        'filters': [{'name': s.name, 'removed': int(s.removed),
                     'remaining': int(s.before - s.removed),
                     'reason': s.reason} for s in ranking.stages],
        'limited_by': dict(sorted(bottlenecks.items())),
        'by_cell': _by([hosts.cells[hosts.cell[r]] for r in rows], rows,
                       counts, single_host),
        'by_az': _by([hosts.azs[hosts.az[r]] for r in rows], rows, counts,
                     single_host),
        'by_aggregate': aggregates,
        'hosts': [{'host': hosts.hosts[rows[i]],
                   'nodename': hosts.nodenames[rows[i]],
                   'instances': int(counts[i])} for i in order],
    }


def refused(reason):
    """The capacity answer when the request pre-filters leave no host."""
    return {'total': 0, 'exact': True, 'policy': None, 'considered': 0,
            'passed': 0, 'fitting': 0, 'filters': [], 'limited_by': {},
            'by_cell': [], 'by_az': [], 'by_aggregate': [], 'hosts': [],
            'refused': reason}
