"""How the scheduler uses allocation candidates for one request.

A CandidatePlan decides once per request whether the host's provider trees
can matter (numbered groups, traits, root constraints, classes that child or
sharing providers offer, sharing providers at all); if not, the resource
filters and root columns decide as before and :func:`for_request` returns
None. Otherwise it narrows hosts to those with a candidate, hands out each
host's best allocation request, and accounts claims locally.
"""

from gantt import candidates
from gantt import request_groups

STAGE_NAME = 'AllocationCandidates'


def for_request(hosts, providers, request, limit=candidates.DEFAULT_LIMIT):
    """A CandidatePlan for ``request``, or None for the root-only path."""
    groups = request_groups.from_spec(request.spec, request.resources)
    if providers is None:
        if groups.is_root_only():
            return None
    elif groups.is_root_only() and not providers.sharing and not any(
            rc in providers.res for rc in groups.unnumbered.resources):
        return None
    return CandidatePlan(hosts, providers, groups, limit)


class CandidatePlan(object):
    """Candidates of one request, consumed as its instances are placed."""

    name = STAGE_NAME
    reason = candidates.REASON

    def __init__(self, hosts, providers, groups, limit):
        self.hosts = hosts
        self.providers = providers
        self.groups = groups
        self.finder = candidates.Finder(hosts, providers, groups, limit)

    def mask(self):
        """Bool per row: the host may have a candidate."""
        return self.finder.mask()

    def candidates(self, row):
        return self.finder.for_row(row)

    def allocation_request(self, row):
        """The best allocation request for ``row``, or None."""
        found = self.finder.for_row(row)
        return found[0].allocation_request() if found else None

    def consume(self, row, allocation_request, sign=1):
        """Account a claimed allocation request locally (sign -1 undoes).

        The root's share goes to the HostState columns, the rest to the
        ProviderState; every host's cached candidates are dropped, as a
        sharing provider serves many hosts.
        """
        root = self.hosts.uuids[row]
        others = {}
        for rp, body in allocation_request['allocations'].items():
            if rp == root:
                for rc, amount in body['resources'].items():
                    self.hosts.resource(rc).used[row] += sign * amount
            else:
                others[rp] = body['resources']
        if others and self.providers is not None:
            self.providers.consume(others, sign)
        self.finder._cache.clear()


def root_share(hosts, row, allocation_request):
    """The root provider's resources in an allocation request."""
    body = allocation_request['allocations'].get(hosts.uuids[row])
    return dict(body['resources']) if body else {}
