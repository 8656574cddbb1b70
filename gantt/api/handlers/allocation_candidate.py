"""GET /allocation_candidates: placement's query read into Gantt's request
groups and answered by Gantt's candidate engine (gantt.candidates) over
the scheduler's own view of the store (a HostManager kept by the app,
refreshed from the change feed on each call).

The engine places on compute nodes Gantt knows (a root provider with a
compute node record), as the scheduler does. The query is read in
gantt.api.candidate_query; here the answer takes placement's shape per
microversion: before 1.29 a candidate takes from one provider per tree and
summaries name the providers used, from 1.29 summaries carry whole trees;
from 1.27 every class of a provider, before only the requested ones.
"""

from gantt.api import candidate_query
from gantt.api import errors
from gantt.api import http
from gantt import candidates
from gantt.db import resource_class as resource_class_db
from gantt.db import trait as trait_db

# Candidates one host may offer when the query sets no limit: placement
# answers every way to place the request; the search budget
# (gantt.candidates.SEARCH_BUDGET) still bounds each host's search.
PER_HOST = 1000
# From this microversion a candidate may take from several providers of
# one tree, and provider summaries carry whole trees.
NESTED_AWARE = (1, 29)


def _missing(exists, session, names):
    return sorted(n for n in names if not exists(session, n))


def _parse(session, req):
    return candidate_query.parse(
        req, lambda names: _missing(resource_class_db.exists, session, names),
        lambda names: _missing(trait_db.exists, session, names))


def _allocation_request(req, candidate):
    ar = candidate.allocation_request()
    if not http.at_least(req, (1, 34)):
        ar.pop('mappings', None)
    if not http.at_least(req, (1, 12)):
        ar['allocations'] = [
            {'resource_provider': {'uuid': rp}, 'resources': a['resources']}
            for rp, a in ar['allocations'].items()]
    return ar


def _summary(req, query, summary):
    every_class = http.at_least(req, (1, 27))
    out = {'resources': {rc: usage
                         for rc, usage in summary['resources'].items()
                         if every_class or rc in query.resource_classes}}
    if http.at_least(req, (1, 17)):
        # Standard traits first, then custom ones: the order placement's
        # catalogue numbers them in.
        out['traits'] = sorted(summary['traits'],
                               key=lambda t: (t.startswith('CUSTOM_'), t))
    if http.at_least(req, NESTED_AWARE):
        out['parent_provider_uuid'] = summary['parent_provider_uuid']
        out['root_provider_uuid'] = summary['root_provider_uuid']
    return out


def _one_provider_per_tree(finder, row, found):
    """Before 1.29 a candidate takes from at most one provider of each
    tree (a root and sharing providers, or one child alone)."""
    roots = finder.provider_roots(row)
    return [c for c in found
            if len({roots[rp] for rp in c.allocations}) ==
            len(c.allocations)]


def _first_time(candidate, seen):
    key = candidate.key()
    if key in seen:
        return False
    seen.add(key)
    return True


def index(req):
    if not http.at_least(req, (1, 10)):
        raise errors.Error(404, 'GET /allocation_candidates needs '
                           'microversion 1.10')
    query = http.db(req).read(_parse, req)
    limit = query.limit
    nested_aware = http.at_least(req, NESTED_AWARE)
    manager = req.environ['gantt.host_manager']
    requests, summaries, kept, seen = [], {}, [], set()
    with manager.lock:
        state = manager.snapshot()
        finder = candidates.Finder(state, query.groups,
                                   limit=limit or PER_HOST)
        for row in finder.mask().nonzero()[0]:
            row = int(row)
            found = finder.for_row(row)
            if not nested_aware:
                found = _one_provider_per_tree(finder, row, found)
            # Sharing providers alone may serve a request for many hosts
            # with the same allocation request: placement lists it once.
            found = [c for c in found if _first_time(c, seen)]
            if limit is not None:
                found = found[:limit - len(requests)]
            if not found:
                continue
            kept.append((row, found))
            requests.extend(_allocation_request(req, c) for c in found)
            if limit is not None and len(requests) >= limit:
                break
        for row, found in kept:
            for uuid, summary in candidates.provider_summaries(
                    finder, row, found, whole_trees=nested_aware).items():
                summaries[uuid] = _summary(req, query, summary)
    return http.json({'allocation_requests': requests,
                      'provider_summaries': summaries})
