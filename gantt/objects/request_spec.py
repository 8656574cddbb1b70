"""RequestSpec: everything the scheduler needs to place one request."""

from oslo_utils import versionutils

from gantt.objects import base
from gantt.objects import destination  # noqa: F401 (registers the class)
from gantt.objects import fields
from gantt.objects import flavor as flavor_obj
from gantt.objects import image_meta
from gantt.objects import instance_group  # noqa: F401
from gantt.objects import pci_request  # noqa: F401
from gantt.objects import request_group
from gantt.objects import scheduler_limits  # noqa: F401
from gantt.objects import scheduler_retries  # noqa: F401


@base.GanttObjectRegistry.register
class RequestSpec(base.GanttObject):
    """A scheduling request for ``num_instances`` identical instances.

    ``scheduler_hints`` maps a hint name to a list of strings; use
    :meth:`get_scheduler_hint` to read one. ``image`` and
    ``request_level_params`` start empty; ``flavor`` starts as None.
    ``pci_requests`` are PCI devices asked beside the flavor's aliases
    (a port's SR-IOV device); see gantt.numa_request.
    """

    # Version 1.0: Initial version
    # Version 1.1: Added pci_requests
    VERSION = '1.1'

    fields = {
        'instance_uuid': fields.UUIDField(nullable=True, default=None),
        'project_id': fields.StringField(nullable=True, default=None),
        'user_id': fields.StringField(nullable=True, default=None),
        'availability_zone': fields.StringField(nullable=True, default=None),
        'flavor': fields.ObjectField('Flavor', nullable=True, default=None),
        'image': fields.ObjectField('ImageMeta', nullable=True),
        'num_instances': fields.IntegerField(nullable=True, default=1),
        'scheduler_hints': fields.DictOfListOfStringsField(nullable=True,
                                                           default={}),
        'ignore_hosts': fields.ListOfStringsField(nullable=True, default=[]),
        'force_hosts': fields.ListOfStringsField(nullable=True, default=[]),
        'force_nodes': fields.ListOfStringsField(nullable=True, default=[]),
        'requested_destination': fields.ObjectField(
            'Destination', nullable=True, default=None),
        'retry': fields.ObjectField('SchedulerRetries', nullable=True,
                                    default=None),
        'limits': fields.ObjectField('SchedulerLimits', nullable=True,
                                     default=None),
        'instance_group': fields.ObjectField('InstanceGroup', nullable=True,
                                             default=None),
        'is_bfv': fields.BooleanField(nullable=True, default=False),
        'requested_resources': fields.ListOfObjectsField(
            'RequestGroup', nullable=True, default=[]),
        'request_level_params': fields.ObjectField('RequestLevelParams',
                                                   nullable=True),
        'pci_requests': fields.ListOfObjectsField(
            'InstancePCIRequest', nullable=True, default=[]),
    }

    obj_relationships = {
        'flavor': [('1.0', '1.0'), ('1.1', '1.0')],
        'image': [('1.0', '1.0'), ('1.1', '1.0')],
        'requested_destination': [('1.0', '1.0'), ('1.1', '1.0')],
        'retry': [('1.0', '1.0'), ('1.1', '1.0')],
        'limits': [('1.0', '1.0'), ('1.1', '1.0')],
        'instance_group': [('1.0', '1.0'), ('1.1', '1.0')],
        'requested_resources': [('1.0', '1.0'), ('1.1', '1.0')],
        'request_level_params': [('1.0', '1.0'), ('1.1', '1.0')],
        'pci_requests': [('1.1', '1.0')],
    }

    child_defaults = ('image', 'request_level_params')

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)
        target = versionutils.convert_version_to_tuple(target_version)
        if target < (1, 1):
            # A 1.0 scheduler knows no port devices: it places the
            # flavor's own, as it always did.
            primitive.pop('pci_requests', None)

    def get_scheduler_hint(self, name, default=None):
        """Return hint ``name``: its only element, its list, or ``default``."""
        if (not self.obj_attr_is_set('scheduler_hints') or
                not self.scheduler_hints):
            return default
        value = self.scheduler_hints.get(name)
        if value is None:
            return default
        if isinstance(value, list) and len(value) == 1:
            return value[0]
        return value

    @classmethod
    def from_components(cls, flavor, image=None, scheduler_hints=None,
                        **kwargs):
        """Build a spec from objects or plain dicts (for tests and tools).

        ``flavor`` and ``image`` may be objects or dicts; hint values may be
        a single string or a list of strings. Other keyword arguments set the
        field of the same name.
        """
        if isinstance(flavor, dict):
            flavor = flavor_obj.Flavor(**flavor)
        if image is None or isinstance(image, dict):
            image = image_meta.ImageMeta.from_dict(image)
        hints = {}
        for name, value in (scheduler_hints or {}).items():
            if isinstance(value, (list, tuple, set)):
                hints[name] = [str(v) for v in value]
            else:
                hints[name] = [str(value)]
        groups = kwargs.pop('requested_resources', None) or []
        kwargs['requested_resources'] = [
            request_group.RequestGroup(**g) if isinstance(g, dict) else g
            for g in groups]
        return cls(flavor=flavor, image=image, scheduler_hints=hints,
                   **kwargs)
