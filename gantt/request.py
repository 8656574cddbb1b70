"""What one scheduling request asks for, worked out once per decision.

A RequestSpec is the wire object; a Request is the scheduler's reading of
it: the resources each instance needs, the hints, and the rows already
picked for earlier instances of the same request, so filters and weighers do
not each recompute them.
"""

import math
import time

RESOURCES_PREFIX = 'resources:'


def _field(obj, name, default=None):
    if obj is None or not obj.obj_attr_is_set(name):
        return default
    value = getattr(obj, name)
    return default if value is None else value


def flavor_resources(spec):
    """Resource class -> amount one instance of `spec` needs."""
    flavor = _field(spec, 'flavor')
    if flavor is None:
        return {}
    swap_gb = int(math.ceil(_field(flavor, 'swap', 0) / 1024.0))
    root_gb = 0 if _field(spec, 'is_bfv', False) else _field(
        flavor, 'root_gb', 0)
    resources = {
        'VCPU': _field(flavor, 'vcpus', 0),
        'MEMORY_MB': _field(flavor, 'memory_mb', 0),
        'DISK_GB': root_gb + _field(flavor, 'ephemeral_gb', 0) + swap_gb,
    }
    for key, value in _field(flavor, 'extra_specs', {}).items():
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
        self.hints = _field(spec, 'scheduler_hints', {}) or {}
        self.flavor = _field(spec, 'flavor')
        self.image = _field(spec, 'image')
        self.image_props = _field(self.image, 'properties')
        self.extra_specs = _field(self.flavor, 'extra_specs', {}) or {}
        self.instance_group = _field(spec, 'instance_group')
        self.project_id = _field(spec, 'project_id')
        self.instance_uuid = _field(spec, 'instance_uuid')
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
