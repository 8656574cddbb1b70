"""What one scheduling request asks for, read once at the edge.

A RequestSpec is the wire object; :func:`from_spec` reads it once into a
frozen, plain :class:`Request` (resources, hints, flavor, image, server
group, destination, request groups, ...), so filters, weighers and the
engine never touch a versioned object. What changes while the instances of
one request are placed (the instance being placed, the rows already picked,
the allocation candidate plan) lives in the request's :class:`Placing`.
"""

import dataclasses
import math
import time
import typing

from gantt.objects import base as obj_base
from gantt.objects import image_meta
from gantt import request_groups

RESOURCES_PREFIX = 'resources:'

_frozen = dataclasses.dataclass(frozen=True, slots=True)


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


@_frozen
class Flavor:
    """The flavor fields the scheduler reads."""

    name: typing.Optional[str] = None
    flavorid: typing.Optional[str] = None
    vcpus: int = 0
    memory_mb: int = 0
    root_gb: int = 0
    ephemeral_gb: int = 0
    swap: int = 0
    extra_specs: dict = dataclasses.field(default_factory=dict)


# Properties an image states as typed fields; any other goes to extra.
_TYPED_PROPS = frozenset(n for n in image_meta.ImageMetaProps.fields
                         if n != 'extra')


@_frozen
class ImageProps:
    """An image's properties: ``typed`` ones the filters know by name
    (set and not None), then the ``extra`` ones, as the image gave them.
    """

    typed: dict = dataclasses.field(default_factory=dict)
    extra: dict = dataclasses.field(default_factory=dict)

    def get(self, name, default=None):
        """A typed property, else an extra one, else ``default``."""
        value = self.typed.get(name)
        if value is not None:
            return value
        if name in _TYPED_PROPS:
            return default
        return self.extra.get(name, default)


@_frozen
class Image:
    id: typing.Optional[str] = None
    name: typing.Optional[str] = None
    properties: typing.Optional[ImageProps] = None


@_frozen
class InstanceGroup:
    """The server group the instances join, as plain values."""

    uuid: typing.Optional[str] = None
    name: typing.Optional[str] = None
    policy: typing.Optional[str] = None
    rules: dict = dataclasses.field(default_factory=dict)
    members: tuple = ()
    hosts: tuple = ()


@_frozen
class Destination:
    """Where a move or a targeted build must land."""

    host: typing.Optional[str] = None
    node: typing.Optional[str] = None
    cell_uuid: typing.Optional[str] = None
    aggregates: tuple = ()
    forbidden_aggregates: frozenset = frozenset()
    allow_cross_cell_move: bool = False


class Placing(object):
    """What changes while the instances of one request are placed: the
    instance being placed, the rows picked for earlier instances, and the
    request's CandidatePlan (None on the root-only path)."""

    __slots__ = ('instance_uuid', 'picked_rows', 'plan')

    def __init__(self, instance_uuid=None, plan=None):
        self.instance_uuid = instance_uuid
        self.picked_rows = []
        self.plan = plan


@_frozen
class Request:
    """A RequestSpec read once: plain values only, never changed."""

    now: float
    resources: dict
    hints: dict
    flavor: Flavor
    extra_specs: dict
    image: Image
    image_props: typing.Optional[ImageProps]
    instance_group: typing.Optional[InstanceGroup]
    project_id: typing.Optional[str]
    user_id: typing.Optional[str]
    instance_uuid: typing.Optional[str]
    num_instances: int
    availability_zone: typing.Optional[str]
    is_bfv: bool
    ignore_hosts: tuple
    force_hosts: tuple
    force_nodes: tuple
    retry_hosts: tuple
    requested_destination: typing.Optional[Destination]
    limits: dict
    groups: typing.Any
    conf: typing.Any = dataclasses.field(default=None, compare=False,
                                         repr=False)
    placing: Placing = dataclasses.field(default_factory=Placing,
                                         compare=False, repr=False)

    def hint(self, name, default=None):
        """A scheduler hint: the single value when only one was given."""
        value = self.hints.get(name)
        if value is None:
            return default
        if isinstance(value, (list, tuple)) and len(value) == 1:
            return value[0]
        return value

    def start(self, plan=None):
        """The request's Placing, reset for a new decision: no row picked,
        the spec's instance being placed, and `plan`."""
        placing = self.placing
        placing.instance_uuid = self.instance_uuid
        placing.picked_rows = []
        placing.plan = plan
        return placing


def _image(image):
    props = obj_base.field(image, 'properties')
    if props is not None:
        typed = {}
        for name in sorted(_TYPED_PROPS):
            value = obj_base.field(props, name)
            if value is not None:
                typed[name] = value
        props = ImageProps(typed, dict(obj_base.field(props, 'extra', {})))
    return Image(id=obj_base.field(image, 'id'),
                 name=obj_base.field(image, 'name'), properties=props)


def _flavor(flavor):
    get = obj_base.field
    return Flavor(name=get(flavor, 'name'), flavorid=get(flavor, 'flavorid'),
                  vcpus=get(flavor, 'vcpus', 0),
                  memory_mb=get(flavor, 'memory_mb', 0),
                  root_gb=get(flavor, 'root_gb', 0),
                  ephemeral_gb=get(flavor, 'ephemeral_gb', 0),
                  swap=get(flavor, 'swap', 0),
                  extra_specs=dict(get(flavor, 'extra_specs', {}) or {}))


def _instance_group(group):
    if group is None:
        return None
    get = obj_base.field
    return InstanceGroup(uuid=get(group, 'uuid'), name=get(group, 'name'),
                         policy=get(group, 'policy'),
                         rules=dict(get(group, 'rules', {}) or {}),
                         members=tuple(get(group, 'members', ())),
                         hosts=tuple(get(group, 'hosts', ())))


def _destination(dest):
    if dest is None:
        return None
    get = obj_base.field
    return Destination(
        host=get(dest, 'host'), node=get(dest, 'node'),
        cell_uuid=get(dest, 'cell_uuid'),
        aggregates=tuple(get(dest, 'aggregates', ())),
        forbidden_aggregates=frozenset(get(dest, 'forbidden_aggregates', ())),
        allow_cross_cell_move=bool(get(dest, 'allow_cross_cell_move',
                                       False)))


def _limits(limits):
    return {name: obj_base.field(limits, name)
            for name in ('numa_topology', 'vcpu', 'disk_gb', 'memory_mb')
            if obj_base.field(limits, name) is not None}


def from_spec(spec, conf=None, now=None):
    """The Request a RequestSpec asks for, read once.

    Raises InvalidRequest when the spec's request groups are malformed.
    """
    get = obj_base.field
    resources = flavor_resources(spec)
    flavor = _flavor(get(spec, 'flavor'))
    image = _image(get(spec, 'image'))
    hints = {name: list(value) if isinstance(value, (list, tuple)) else value
             for name, value in (get(spec, 'scheduler_hints', {}) or {})
             .items()}
    retry = get(spec, 'retry')
    instance_uuid = get(spec, 'instance_uuid')
    return Request(
        now=time.time() if now is None else now,
        resources=resources,
        hints=hints,
        flavor=flavor,
        extra_specs=flavor.extra_specs,
        image=image,
        image_props=image.properties,
        instance_group=_instance_group(get(spec, 'instance_group')),
        project_id=get(spec, 'project_id'),
        user_id=get(spec, 'user_id'),
        instance_uuid=instance_uuid,
        num_instances=get(spec, 'num_instances', 1),
        availability_zone=get(spec, 'availability_zone') or None,
        is_bfv=bool(get(spec, 'is_bfv', False)),
        ignore_hosts=tuple(get(spec, 'ignore_hosts', ())),
        force_hosts=tuple(get(spec, 'force_hosts', ())),
        force_nodes=tuple(get(spec, 'force_nodes', ())),
        retry_hosts=tuple(tuple(entry) for entry in get(retry, 'hosts', ())),
        requested_destination=_destination(
            get(spec, 'requested_destination')),
        limits=_limits(get(spec, 'limits')),
        groups=request_groups.from_spec(spec, resources),
        conf=conf,
        placing=Placing(instance_uuid))
