"""What Gantt keeps of a RequestSpec for an instance's whole life.

An instance's spec is stored with its first claim and read back for every
move. As the scheduler it replaces does, the fields that belong to one
request only (retry, ignore_hosts, requested_destination, forced hosts and
nodes, the scheduler hint naming a reservation to build on) and the group's
could-be-stale members and hosts are not kept; the spec names its one
instance.
"""

from oslo_serialization import jsonutils

from gantt.objects import request_spec as request_spec_obj
from gantt import reservations

NAME = 'versioned_object.name'
DATA = 'versioned_object.data'
CHANGES = 'versioned_object.changes'

# Per-request fields: never stored, never reused by a later move.
PER_REQUEST = ('retry', 'ignore_hosts', 'requested_destination',
               'force_hosts', 'force_nodes')

# Per-request scheduler hints: a later move must not take the reservation
# the build took over.
PER_REQUEST_HINTS = (reservations.HINT,)


def _without(primitive, names):
    """A copy of an object primitive without the fields ``names``."""
    out = dict(primitive)
    data = dict(out.get(DATA) or {})
    for name in names:
        data.pop(name, None)
    out[DATA] = data
    if CHANGES in out:
        out[CHANGES] = [c for c in out[CHANGES] if c not in names]
    return out


def primitive(spec):
    """The storable primitive of a RequestSpec object (not per instance
    yet: see for_instance)."""
    stored = _without(spec.obj_to_primitive(), PER_REQUEST)
    hints = stored[DATA].get('scheduler_hints')
    if isinstance(hints, dict):
        stored[DATA]['scheduler_hints'] = {
            name: value for name, value in hints.items()
            if name not in PER_REQUEST_HINTS}
    group = stored[DATA].get('instance_group')
    if isinstance(group, dict):
        group = _without(group, ('members', 'hosts'))
        stored[DATA]['instance_group'] = group
    return stored


def for_instance(stored, instance_uuid):
    """``stored`` naming one instance, ``instance_uuid``."""
    out = dict(stored)
    out[DATA] = dict(stored[DATA], instance_uuid=instance_uuid,
                     num_instances=1)
    if CHANGES in out:
        out[CHANGES] = sorted(set(out[CHANGES]) |
                              {'instance_uuid', 'num_instances'})
    return out


def per_instance(spec, instance_uuids):
    """{instance uuid: storable primitive as JSON text} for a request's
    instances, made at the edge so the claim's transaction only writes."""
    stored = primitive(spec)
    return {uuid: jsonutils.dumps(for_instance(stored, uuid))
            for uuid in instance_uuids}


def load(stored):
    """The RequestSpec object a stored primitive (or its JSON) holds."""
    if isinstance(stored, str):
        stored = jsonutils.loads(stored)
    return request_spec_obj.RequestSpec.obj_from_primitive(stored)
