"""Destination: where a request asks (or is forced) to land."""

from gantt.objects import base
from gantt.objects import fields


@base.GanttObjectRegistry.register
class Destination(base.GanttObject):
    """A requested destination.

    Each entry of ``aggregates`` is a comma-separated list of aggregate
    uuids of which the host must be in at least one; every entry must hold.
    The host must be in none of ``forbidden_aggregates``.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'host': fields.NameField(nullable=True, default=None),
        'node': fields.NameField(nullable=True, default=None),
        'cell_uuid': fields.UUIDField(nullable=True, default=None),
        'aggregates': fields.ListOfStringsField(nullable=True, default=[]),
        'forbidden_aggregates': fields.SetOfStringsField(nullable=True,
                                                         default=set()),
        'allow_cross_cell_move': fields.BooleanField(nullable=True,
                                                     default=False),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)
