"""Payloads of the notifications Gantt emits, one versioned object each.

A listener reads ``versioned_object.name`` and ``.version`` from the
payload and knows its fields; see gantt.notifications for the event types.
"""

from gantt.objects import base
from gantt.objects import fields


@base.GanttObjectRegistry.register
class SelectDestinationsPayload(base.GanttObject):
    """A decision begun (hosts empty, duration None) or ended."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'request_id': fields.StringField(nullable=True, default=None),
        'project_id': fields.StringField(nullable=True, default=None),
        'user_id': fields.StringField(nullable=True, default=None),
        'instance_uuids': fields.ListOfStringsField(default=[]),
        # Service host and node of each instance's chosen host, in
        # instance_uuids order (only at .end).
        'hosts': fields.ListOfStringsField(default=[]),
        'nodes': fields.ListOfStringsField(default=[]),
        # Seconds the decision took (only at .end).
        'duration': fields.FloatField(nullable=True, default=None),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)


@base.GanttObjectRegistry.register
class FilterStagePayload(base.GanttObject):
    """One narrowing step of a refused request: what it removed and why."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'name': fields.StringField(),
        'removed': fields.IntegerField(default=0),
        'remaining': fields.IntegerField(default=0),
        'reason': fields.StringField(nullable=True, default=None),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)


@base.GanttObjectRegistry.register
class NoValidHostPayload(base.GanttObject):
    """A decision that found no host, with the stages that narrowed it."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'request_id': fields.StringField(nullable=True, default=None),
        'project_id': fields.StringField(nullable=True, default=None),
        'user_id': fields.StringField(nullable=True, default=None),
        'instance_uuids': fields.ListOfStringsField(default=[]),
        # The NoValidHost message the caller got.
        'reason': fields.StringField(nullable=True, default=None),
        # The stage after which no host remained (a filter's name,
        # 'claim', 'capacity' or 'no_hosts').
        'emptied_by': fields.StringField(nullable=True, default=None),
        'stages': fields.ListOfObjectsField('FilterStagePayload',
                                            default=[]),
        'duration': fields.FloatField(nullable=True, default=None),
    }

    obj_relationships = {
        'stages': [('1.0', '1.0')],
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)


@base.GanttObjectRegistry.register
class HostStalePayload(base.GanttObject):
    """A compute node whose last report is older than service_down_time."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'uuid': fields.UUIDField(),
        'host': fields.StringField(),
        'nodename': fields.StringField(nullable=True, default=None),
        'last_seen': fields.DateTimeField(nullable=True, default=None),
        # Seconds since the last report when it was found stale.
        'age': fields.FloatField(),
        'service_down_time': fields.IntegerField(),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)


#: Sent only as notification payloads, on no RPC API: no API manifest
#: carries them, and only the hash table pins their versions.
PAYLOADS = frozenset({'SelectDestinationsPayload', 'FilterStagePayload',
                      'NoValidHostPayload', 'HostStalePayload'})
