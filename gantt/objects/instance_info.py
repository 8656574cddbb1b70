"""InstanceInfo: which instance lives on which host, for the info casts."""

from gantt.objects import base
from gantt.objects import fields


@base.GanttObjectRegistry.register
class InstanceInfo(base.GanttObject):
    """One instance on a service host and node."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'uuid': fields.UUIDField(nullable=True, default=None),
        'host': fields.NameField(nullable=True, default=None),
        'node': fields.NameField(nullable=True, default=None),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)


@base.GanttObjectRegistry.register
class InstanceInfoList(base.GanttObjectListBase, base.GanttObject):
    """The instances of a host, as sent by sync_instance_info."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('InstanceInfo'),
    }

    obj_relationships = {
        'objects': [('1.0', '1.0')],
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)
