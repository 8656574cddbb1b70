"""Gang scheduling: several RequestSpecs placed together, all or nothing.

One call places every instance of every request (different flavors, one
server group or none): each request is fitted on the worker's view after
the ones before it, the members placed so far joining the group's hosts
so the server group filters see them, then every instance is claimed in
one transaction (gantt.scheduler.Scheduler._claim). Either each instance
holds a claim, or nothing is claimed and NoValidHost says which request
and instances could not be placed and why.
"""

from gantt import exception


def _one_group(requests):
    uuids = {r.instance_group.uuid for r in requests
             if r.instance_group is not None and r.instance_group.uuid}
    if len(uuids) > 1:
        raise exception.InvalidRequest(
            reason='the requests of one gang name %d server groups (%s); '
                   'a gang joins one group or none'
                   % (len(uuids), ', '.join(sorted(uuids))))


def _with_gang_members(request, placed_before, hosts):
    """The request's group with the gang's instances placed so far."""
    group = request.instance_group
    if group is None or not placed_before:
        return request
    uuids = [uuid for _, placed in placed_before
             for uuid, _row, _r, _a in placed if uuid]
    names = [hosts.hosts[row] for _, placed in placed_before
             for _u, row, _r, _a in placed]
    return request._replace(instance_group=group._replace(
        members=tuple(sorted(set(group.members) | set(uuids))),
        hosts=tuple(sorted(set(group.hosts) | set(names)))))


def select(scheduler, ctxt, requests, uuid_lists, return_alternates,
           specs=None):
    """Per request, per instance, the claimed Selection then alternates.

    ``requests`` are gantt.request.Request values, ``uuid_lists`` the
    instance uuids of each; ``specs`` ({instance uuid: stored spec
    primitive}) are stored with the claims. Raises NoValidHost naming the
    request and instances that did not fit (nothing claimed),
    InvalidRequest when the requests name more than one server group.
    """
    _one_group(requests)
    avoid = {}
    while True:
        hosts = scheduler.host_manager.state
        batches, results, group = [], [], None
        try:
            for index, (request, uuids) in enumerate(zip(requests,
                                                         uuid_lists)):
                request, joined = scheduler._with_stored_group(request,
                                                               False)
                group = group or joined
                request = _with_gang_members(request, batches, hosts)
                try:
                    placed = scheduler._place_all(ctxt, hosts, request,
                                                  uuids, avoid)
                except exception.NoValidHost as e:
                    raise exception.NoValidHost(
                        reason='request %d of %d (instances %s): %s' % (
                            index + 1, len(requests), ', '.join(uuids),
                            e.kwargs.get('reason', e)),
                        request=index, instances=list(uuids))
                batches.append((request, placed))
                results.append(scheduler._selections(
                    hosts, placed, request, return_alternates))
        except Exception:
            scheduler._undo_all(hosts, batches)
            raise
        if scheduler.db is None or scheduler._claim(
                hosts, batches, avoid, group=group,
                stored={'specs': specs}):
            break
        scheduler.host_manager.refresh()
    for _request, placed in batches:
        for uuid, row, _, _ in placed:
            if uuid:
                hosts.add_instance(uuid, row)
    return results
