"""InstancePCIRequest: PCI devices a request asks for beside its flavor's.

The compute controller puts one on its RequestSpec for each port whose
vNIC type needs a device (an SR-IOV VF or PF, a vDPA device), and one for
each ``pci_passthrough:alias`` of the flavor it resolved with its own
aliases; gantt.numa_request reads them with the flavor's own.
"""

from gantt.objects import base
from gantt.objects import fields


@base.GanttObjectRegistry.register
class InstancePCIRequest(base.GanttObject):
    """``count`` devices matching any dict of ``spec`` (wanted values).

    ``alias_name`` names the flavor alias the request came from (None for
    a port's); ``requester_id`` names the port; ``numa_policy`` is the
    NUMA affinity policy (None: legacy).
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'count': fields.IntegerField(),
        'spec': fields.ListOfDictOfNullableStringsField(default=[]),
        'alias_name': fields.StringField(nullable=True, default=None),
        'numa_policy': fields.StringField(nullable=True, default=None),
        'request_id': fields.UUIDField(nullable=True, default=None),
        'requester_id': fields.StringField(nullable=True, default=None),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)
