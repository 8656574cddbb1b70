"""GET /allocation_candidates: placement's query read into Gantt's request
groups and answered by Gantt's candidate engine (gantt.candidates) over
the scheduler's own view of the store (a HostManager kept by the app,
refreshed from the change feed on each call).

The engine places on compute nodes Gantt knows (a root provider with a
compute node record), as the scheduler does.
"""

import re

from gantt.api import errors
from gantt.api import http
from gantt import candidates
from gantt import exception
from gantt import request_groups

# resources, required, member_of, in_tree with an optional group suffix.
_GROUPED = re.compile(r'^(resources|required|member_of|in_tree)(.*)$')
_REQUEST_KEYS = {'limit', 'group_policy', 'root_required', 'same_subtree'}


def _resources(value, key):
    wanted = {}
    for item in filter(None, value.split(',')):
        rc, sep, amount = item.partition(':')
        if not sep or not amount.isdigit():
            raise errors.Error(400, '%s: %r is not RESOURCE_CLASS:AMOUNT'
                               % (key, item), errors.BAD_QUERY)
        wanted[rc.strip()] = int(amount)
    return wanted


def _traits(values):
    required, forbidden = set(), set()
    for value in values:
        for name in filter(None, value.split(',')):
            if name.startswith('!'):
                forbidden.add(name[1:])
            else:
                required.add(name)
    return required, forbidden


def _member_of(values):
    out, forbidden = [], set()
    for value in values:
        if value.startswith('!'):
            value = value[1:]
            if value.startswith('in:'):
                value = value[3:]
            forbidden |= set(filter(None, value.split(',')))
            continue
        if value.startswith('in:'):
            value = value[3:]
        out.append(set(filter(None, value.split(','))))
    return out, forbidden


def groups_from_query(params):
    """Gantt's RequestGroups for placement's query parameters."""
    by_suffix = {}
    for key in params:
        match = _GROUPED.match(key)
        if match:
            by_suffix.setdefault(match.group(2), {})[match.group(1)] = (
                params.getall(key))
        elif key not in _REQUEST_KEYS:
            raise errors.Error(400, 'unknown query parameter %s' % key,
                               errors.BAD_QUERY)
    if not any('resources' in g for g in by_suffix.values()):
        raise errors.Error(400, "'resources' is a required query parameter",
                           errors.BAD_QUERY)
    groups = {}
    for suffix, raw in by_suffix.items():
        if 'resources' not in raw:
            raise errors.Error(400, 'group %r has no resources%s'
                               % (suffix, suffix), errors.BAD_QUERY)
        required, forbidden = _traits(raw.get('required', ()))
        member_of, forbidden_aggs = _member_of(raw.get('member_of', ()))
        in_tree = raw.get('in_tree', [None])[-1]
        if in_tree is not None:
            http.uuid(in_tree, 'in_tree%s' % suffix)
        groups[suffix] = request_groups.Group(
            suffix=suffix,
            resources=_resources(raw['resources'][-1], 'resources' + suffix),
            required=required, forbidden=forbidden, member_of=member_of,
            forbidden_aggs=forbidden_aggs, in_tree=in_tree)
    root_required, root_forbidden = _traits(params.getall('root_required'))
    try:
        return request_groups.RequestGroups(
            groups.pop('', None) or request_groups.Group(),
            numbered=[groups[s] for s in sorted(groups)],
            group_policy=params.get('group_policy'),
            root_required=root_required, root_forbidden=root_forbidden,
            same_subtree=[tuple(filter(None, v.split(',')))
                          for v in params.getall('same_subtree')])
    except (exception.InvalidRequest, exception.InvalidTrait,
            exception.InvalidResourceClass) as e:
        raise errors.Error(400, str(e), errors.BAD_QUERY)


def _limit(params):
    limit = params.get('limit')
    if limit is None:
        return None
    if not limit.isdigit() or int(limit) < 1:
        raise errors.Error(400, 'limit=%r: expected a positive integer'
                           % limit, errors.BAD_QUERY)
    return int(limit)


def _allocation_request(req, candidate):
    ar = candidate.allocation_request()
    if not http.at_least(req, (1, 34)):
        ar.pop('mappings', None)
    if not http.at_least(req, (1, 12)):
        ar['allocations'] = [
            {'resource_provider': {'uuid': rp}, 'resources': a['resources']}
            for rp, a in ar['allocations'].items()]
    return ar


def _summary(req, summary):
    out = {'resources': summary['resources']}
    if http.at_least(req, (1, 17)):
        out['traits'] = summary['traits']
    if http.at_least(req, (1, 29)):
        out['parent_provider_uuid'] = summary['parent_provider_uuid']
        out['root_provider_uuid'] = summary['root_provider_uuid']
    return out


def index(req):
    if not http.at_least(req, (1, 10)):
        raise errors.Error(404, 'GET /allocation_candidates needs '
                           'microversion 1.10')
    groups = groups_from_query(req.GET)
    limit = _limit(req.GET)
    manager = req.environ['gantt.host_manager']
    requests, summaries = [], {}
    with manager.lock:
        state = manager.snapshot()
        finder = candidates.Finder(state, groups,
                                   limit=limit or candidates.DEFAULT_LIMIT)
        for row in finder.mask().nonzero()[0]:
            found = finder.for_row(int(row))
            for candidate in found:
                requests.append(_allocation_request(req, candidate))
            for uuid, summary in candidates.provider_summaries(
                    finder, int(row), found).items():
                summaries[uuid] = _summary(req, summary)
            if limit is not None and len(requests) >= limit:
                requests = requests[:limit]
                break
    return http.json({'allocation_requests': requests,
                      'provider_summaries': summaries})
