"""What one scheduling request asks for, worked out once per decision.

A RequestSpec is the wire object; a Request is the scheduler's reading of
it: the resources each instance needs, the hints, and the rows already
picked for earlier instances of the same request, so filters and weighers do
not each recompute them.
"""

import math
import time

from gantt.objects import base as obj_base

RESOURCES_PREFIX = 'resources:'


def flavor_resources(spec):
    """Resource class -> amount one instance of `spec` needs."""
    flavor = obj_base.field(spec, 'flavor')
    if flavor is None:
        return {}
    swap_gb = int(math.ceil(obj_base.field(flavor, 'swap', 0) / 1024.0))
    root_gb = 0 if obj_base.field(spec, 'is_bfv', False) else obj_base.field(
        flavor, 'root_gb', 0)
    resources = {
        'VCPU': obj_base.field(flavor, 'vcpus', 0),
        'MEMORY_MB': obj_base.field(flavor, 'memory_mb', 0),
        'DISK_GB': (root_gb + obj_base.field(flavor, 'ephemeral_gb', 0)
                    + swap_gb),
    }
    for key, value in obj_base.field(flavor, 'extra_specs', {}).items():
        if key.startswith(RESOURCES_PREFIX):
            resources[key[len(RESOURCES_PREFIX):]] = int(value)
    return {rc: int(n) for rc, n in resources.items()}


class Request(object):
    """A RequestSpec read once for one decision."""

    def __init__(self, spec, conf, now=None):
        self.spec = spec
        self.conf = conf
        self.now = time.time() if now is None else now
        self.resources = flavor_resources(spec)
        self.hints = obj_base.field(spec, 'scheduler_hints', {}) or {}
        self.flavor = obj_base.field(spec, 'flavor')
        self.image = obj_base.field(spec, 'image')
        self.image_props = obj_base.field(self.image, 'properties')
        self.extra_specs = obj_base.field(self.flavor, 'extra_specs', {}) or {}
        self.instance_group = obj_base.field(spec, 'instance_group')
        self.project_id = obj_base.field(spec, 'project_id')
        self.instance_uuid = obj_base.field(spec, 'instance_uuid')
        # Rows chosen for earlier instances of this same request.
        self.picked_rows = []

    def hint(self, name, default=None):
        """A scheduler hint: the single value when only one was given."""
        value = self.hints.get(name)
        if value is None:
            return default
        if isinstance(value, (list, tuple)) and len(value) == 1:
            return value[0]
        return value
