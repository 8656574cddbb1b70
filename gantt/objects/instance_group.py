"""InstanceGroup: a server group and its (anti-)affinity policy."""

from gantt.objects import base
from gantt.objects import fields


@base.GanttObjectRegistry.register
class InstanceGroup(base.GanttObject):
    """A server group as the conductor sends it inside a RequestSpec.

    ``policy`` is one of :class:`gantt.objects.fields.InstanceGroupPolicy`;
    ``rules`` holds policy knobs such as ``max_server_per_host``;
    ``members`` are instance uuids and ``hosts`` the service hosts they
    run on.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'uuid': fields.UUIDField(nullable=True, default=None),
        'name': fields.StringField(nullable=True, default=None),
        'user_id': fields.StringField(nullable=True, default=None),
        'project_id': fields.StringField(nullable=True, default=None),
        'policy': fields.StringField(nullable=True, default=None),
        'rules': fields.DictOfStringsField(nullable=True, default={}),
        'members': fields.ListOfStringsField(nullable=True, default=[]),
        'hosts': fields.ListOfStringsField(nullable=True, default=[]),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)
