"""How one request's instances are fitted to hosts and accounted locally.

A CandidatePlan is the single path every decision takes from a ranked host
to the allocation request that claims it, and back when a claim is undone.
It decides once per request whether the host's provider trees can matter
(numbered groups, traits, root constraints, classes that child or sharing
providers offer, sharing providers at all). If not, the request is
root-only: the resource filters and the root's columns decide, and a host
fits when gantt.fit passes on its root. Otherwise the allocation candidates
(gantt.candidates) narrow the hosts and hand out each host's best
allocation request.
"""

from gantt import candidates

STAGE_NAME = 'AllocationCandidates'


def _root_only(hosts, groups):
    """Whether only the roots' own inventories can serve ``groups``."""
    if not groups.is_root_only() or hosts.sharing:
        return False
    if not hosts.has_children():
        return True
    for rc in groups.unnumbered.resources:
        cols = hosts.res.get(rc)
        if cols is not None and hosts.in_provider_region(cols):
            return False
    return True


def for_request(hosts, request, limit=candidates.DEFAULT_LIMIT):
    """The CandidatePlan of ``request`` over the store ``hosts``."""
    groups = request.groups
    return CandidatePlan(hosts, request.resources, groups, limit,
                         _root_only(hosts, groups))


class CandidatePlan(object):
    """Fits one request's instances to hosts, consumed as they are placed."""

    name = STAGE_NAME

    def __init__(self, hosts, resources, groups, limit, root_only):
        self.hosts = hosts
        self.resources = resources
        self.groups = groups
        self.root_only = root_only
        self.finder = (None if root_only else
                       candidates.Finder(hosts, groups, limit))

    @property
    def reason(self):
        if self.root_only and self.groups.narrowed_by:
            # Only the request-level constraints remove hosts then.
            return 'removed by request filters: %s' % (
                ', '.join(self.groups.narrowed_by))
        return candidates.REASON

    def mask(self):
        """Bool per row: the host may have a candidate; None when the
        request is root-only and nothing at the request level removes a
        host (the resource filters decide then)."""
        if not self.root_only:
            return self.finder.mask()
        keep = candidates.root_mask(self.hosts, self.groups)
        if keep is None or not (self.hosts.valid[:self.hosts.n]
                                & ~keep).any():
            return None
        return keep

    def candidates(self, row):
        return self.finder.for_row(row)

    def allocation_request(self, row):
        """The allocation request that would claim ``row``, or None."""
        if self.root_only:
            if not self.hosts.fits(row, self.resources):
                return None
            uuid = self.hosts.uuids[row]
            return {'allocations': {uuid: {'resources': {
                        rc: int(n) for rc, n in sorted(self.resources.items())
                        if n > 0}}},
                    'mappings': {'': [uuid]}}
        found = self.finder.for_row(row)
        return found[0].allocation_request() if found else None

    def consume(self, row, allocation_request, sign=1):
        """Account an instance claimed on ``row`` locally (sign -1 undoes):
        its allocations on every provider, and one more instance and I/O
        operation on the host, as a build or a move is one."""
        self.hosts.consume(
            {rp: body['resources']
             for rp, body in allocation_request['allocations'].items()},
            sign)
        self.hosts.count_instance(row, sign)
        if self.finder is not None:
            # A sharing provider serves many hosts: every cached search
            # may have changed.
            self.finder.forget()


def root_share(hosts, row, allocation_request):
    """The root provider's resources in an allocation request."""
    body = allocation_request['allocations'].get(hosts.uuids[row])
    return dict(body['resources']) if body else {}
