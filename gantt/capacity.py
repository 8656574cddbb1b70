"""How many more instances of one request fit, in total and per group.

The hosts the request may use are those the decision would rank (request
pre-filters, constraints, filters and allocation candidates, evaluated as
for the request's next instance, against current claims). On each of them
the count is the fewest, over the classes the request asks, of the claims
gantt.fit.instances lets pass one after another on the root; a host whose
child or sharing providers serve the request (or a request with numbered
groups) is counted by placing instance after instance on its allocation
candidates and undoing them. A server group caps
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
    """(count per row, index in ``classes`` of the class that limits each
    row, classes) on the roots' columns."""
    classes = [rc for rc, n in sorted(request.resources.items()) if n > 0]
    if not classes:
        raise exception.InvalidRequest(
            reason='the request asks for no resources, so any number of '
                   'its instances fits')
    counts = np.full(len(rows), np.iinfo(np.int64).max, dtype=np.int64)
    limited = np.zeros(len(rows), dtype=np.int64)
    for k, rc in enumerate(classes):
        cols = hosts.res.get(rc)
        got = (np.zeros(len(rows), dtype=np.int64) if cols is None
               else cols.instances(request.resources[rc], rows))
        limited[got < counts] = k
        counts = np.minimum(counts, got)
    return counts, limited, classes


def _plain_trees(hosts, groups, rows):
    """Bool per row of ``rows``: the host's own root serves every class
    the request asks (no numbered group, no child provider, no sharing
    provider), so the root's columns count it once a candidate exists."""
    if groups.numbered or groups.same_subtree:
        return np.zeros(len(rows), dtype=bool)
    other = np.zeros(hosts.n, dtype=bool)
    if hosts.has_children():
        other |= hosts.nested_rows()
    if hosts.sharing:
        other |= hosts.sharing_rows()
    return ~other[rows]


def _tree_counts(hosts, request, rows, counts):
    """Counts on hosts whose provider trees matter, in place: a host the
    root's columns can count keeps its count when it has a candidate at
    all; any other is counted by placing instances on its allocation
    candidates, then undoing them. True when some host hit
    TREE_COUNT_CAP."""
    plan = request.placing.plan
    plain = _plain_trees(hosts, request.groups, rows)
    unnumbered = request.groups.unnumbered
    # The candidates' mask already settled traits on such hosts; only
    # aggregates and provider limits need a host's own search.
    search = bool(unnumbered.member_of or unnumbered.forbidden_aggs or
                  unnumbered.in_tree or unnumbered.provider_uuids)
    capped = False
    for i, row in enumerate(rows.tolist()):
        if plain[i]:
            if search and counts[i] and not plan.candidates(row):
                counts[i] = 0
            continue
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
    return capped


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


def _by_code(codes, names, counts, single_host):
    """[{name, instances, hosts}] summed (or, single_host, maxed) over the
    rows of each code (an index into ``names``), for codes present."""
    size = len(names)
    found = np.bincount(codes, minlength=size)
    fitting = np.bincount(codes, weights=counts > 0, minlength=size)
    if single_host:
        total = np.zeros(size, dtype=np.int64)
        np.maximum.at(total, codes, counts)
    else:
        total = np.bincount(codes, weights=counts, minlength=size)
    return sorted(({'name': names[k], 'instances': int(total[k]),
                    'hosts': int(fitting[k])}
                   for k in np.flatnonzero(found).tolist()),
                  key=lambda e: str(e['name'] or ''))


def summarise(hosts, request, ranking, limit=None):
    """The capacity answer for ``request`` over the hosts ``ranking`` kept.

    ``request.placing.plan`` is the request's CandidatePlan; ``limit``
    caps the list of hosts (best count first).
    """
    rows = np.asarray(ranking.rows, dtype=np.int64)
    plan = request.placing.plan
    counts, limited, classes = _root_counts(hosts, request, rows)
    capped = False
    if not plan.root_only:
        capped = _tree_counts(hosts, request, rows, counts)
        # The root's columns no longer say which class limits each host.
        limited = None
    single_host = _group_caps(hosts, request, rows, counts)
    if single_host:
        total = int(counts.max()) if len(counts) else 0
    else:
        total = int(counts.sum())
    order = np.argsort(-counts, kind='stable')
    if limit is not None:
        order = order[:limit]
    bottlenecks = {}
    if limited is not None:
        by_class = np.bincount(limited, minlength=len(classes))
        bottlenecks = {rc: int(by_class[k]) for k, rc in enumerate(classes)
                       if by_class[k]}
    per_row = np.zeros(hosts.n, dtype=np.int64)
    per_row[rows] = counts
    kept = np.zeros(hosts.n, dtype=bool)
    kept[rows] = True
    aggregates = []
    for uuid in sorted(hosts.aggregates, key=lambda u: (
            hosts.aggregates[u].name or '', u)):
        members = np.asarray(hosts.agg_rows.get(uuid, ()), dtype=np.int64)
        in_agg = per_row[members[kept[members]]]
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
                     'reason': str(s.reason)} for s in ranking.stages],
        'limited_by': bottlenecks,
        'by_cell': _by_code(hosts.cell[rows], hosts.cells, counts,
                            single_host),
        'by_az': _by_code(hosts.az[rows], hosts.azs, counts, single_host),
        'by_aggregate': aggregates,
        'hosts': [{'host': hosts.hosts[rows[i]],
                   'nodename': hosts.nodenames[rows[i]],
                   'instances': int(counts[i])} for i in order.tolist()],
    }


def refused(reason):
    """The capacity answer when the request pre-filters leave no host."""
    return {'total': 0, 'exact': True, 'policy': None, 'considered': 0,
            'passed': 0, 'fitting': 0, 'filters': [], 'limited_by': {},
            'by_cell': [], 'by_az': [], 'by_aggregate': [], 'hosts': [],
            'refused': reason}
