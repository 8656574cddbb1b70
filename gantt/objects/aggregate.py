"""Aggregate: a named set of service hosts with metadata."""

from gantt.objects import base
from gantt.objects import fields

AZ_METADATA_KEY = 'availability_zone'


@base.GanttObjectRegistry.register
class Aggregate(base.GanttObject):
    """A host aggregate; membership is by service host name."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(nullable=True, default=None),
        'uuid': fields.UUIDField(nullable=True, default=None),
        'name': fields.NameField(nullable=True, default=None),
        'hosts': fields.ListOfNamesField(nullable=True, default=[]),
        'metadata': fields.DictOfStringsField(nullable=True, default={}),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)

    @property
    def availability_zone(self):
        """The aggregate's availability zone, or None if it sets none."""
        if not self.obj_attr_is_set('metadata') or not self.metadata:
            return None
        return self.metadata.get(AZ_METADATA_KEY)
