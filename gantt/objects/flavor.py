"""Flavor: the size and extra specs of the instance being scheduled."""

from gantt.objects import base
from gantt.objects import fields


@base.GanttObjectRegistry.register
class Flavor(base.GanttObject):
    """A flavor as the conductor sends it inside a RequestSpec.

    ``swap`` is in MB; ``root_gb`` and ``ephemeral_gb`` in GB.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(nullable=True, default=None),
        'flavorid': fields.StringField(nullable=True, default=None),
        'name': fields.NameField(nullable=True, default=None),
        'memory_mb': fields.IntegerField(nullable=True, default=0),
        'vcpus': fields.IntegerField(nullable=True, default=0),
        'root_gb': fields.IntegerField(nullable=True, default=0),
        'ephemeral_gb': fields.IntegerField(nullable=True, default=0),
        'swap': fields.IntegerField(nullable=True, default=0),
        'rxtx_factor': fields.FloatField(nullable=True, default=1.0),
        'vcpu_weight': fields.IntegerField(nullable=True, default=None),
        'disabled': fields.BooleanField(nullable=True, default=False),
        'is_public': fields.BooleanField(nullable=True, default=True),
        'extra_specs': fields.DictOfStringsField(nullable=True, default={}),
        'description': fields.StringField(nullable=True, default=None),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)
