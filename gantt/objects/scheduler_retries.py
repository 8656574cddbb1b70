"""SchedulerRetries: the hosts a request has already been tried on."""

from gantt.objects import base
from gantt.objects import fields


@base.GanttObjectRegistry.register
class SchedulerRetries(base.GanttObject):
    """Attempts so far; ``hosts`` holds ``[service_host, nodename]`` pairs."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'num_attempts': fields.IntegerField(nullable=True, default=0),
        'hosts': fields.ListOfListsOfStringsField(nullable=True, default=[]),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)
