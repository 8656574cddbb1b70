"""Idempotent decisions: the same select_destinations asked again gets the
same answer while its claim stands.

RPC is at most once: when a reply is lost, the claim stays and the caller
does not know it. Each claimed instance keeps the selections it was given
(gantt.db.decision), keyed by a digest of the request and its instance
uuids. A call whose instances all hold such a decision for the same digest,
made within ``[scheduler] decision_replay_seconds``, and whose claims are
still exactly the decided allocations, gets those selections back instead
of a second decision (doc/claims.md).
"""

import hashlib
import json

from oslo_serialization import jsonutils

from gantt.objects import selection


def _plain(value):
    if isinstance(value, (set, frozenset)):
        return sorted(str(v) for v in value)
    return str(value)


def digest(request, instance_uuids):
    """A hex digest of what the decision depends on: the instances, the
    resources and flavor, the image, the hints and every host constraint.
    The same RequestSpec sent again, to any worker, digests the same.
    """
    group = request.instance_group
    dest = request.requested_destination
    what = {
        'instances': list(instance_uuids),
        'resources': request.resources,
        'flavor': request.flavor,
        'image': request.image.id if request.image else None,
        'hints': request.hints,
        'project': request.project_id,
        'user': request.user_id,
        'zone': request.availability_zone,
        'bfv': request.is_bfv,
        'ignore_hosts': request.ignore_hosts,
        'force_hosts': request.force_hosts,
        'force_nodes': request.force_nodes,
        'retry_hosts': request.retry_hosts,
        'destination': None if dest is None else [
            dest.host, dest.node, dest.cell_uuid, dest.aggregates,
            dest.forbidden_aggregates, dest.allow_cross_cell_move],
        'group': None if group is None else [group.uuid, group.policy],
    }
    text = json.dumps(what, sort_keys=True, default=_plain)
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def encode(selections):
    """One instance's selections (primary first) as stored JSON."""
    return jsonutils.dumps([s.obj_to_primitive() for s in selections])


def decode(text):
    """The Selection list ``encode`` stored."""
    return [selection.Selection.obj_from_primitive(p)
            for p in jsonutils.loads(text)]


def claimed(selections):
    """{provider uuid: {resource class: amount}} the primary claimed."""
    request = json.loads(selections[0].allocation_request)
    return {rp: dict(body['resources'])
            for rp, body in request['allocations'].items()}
