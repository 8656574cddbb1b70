"""What one scheduling request asks for, read once at the edge.

A RequestSpec is the wire object; :func:`from_spec` reads it once into a
frozen, plain :class:`Request` (resources, hints, flavor, image, server
group, destination, request groups, ...), so filters, weighers and the
engine never touch a versioned object. What changes while the instances of
one request are placed (the instance being placed, the rows already picked,
the allocation candidate plan) lives in the request's :class:`Placing`.
"""

import math
import time
import typing

from gantt import cpu_resources
from gantt import numa_request
from gantt.objects import base as obj_base
from gantt.objects import image_meta
from gantt import request_groups

RESOURCES_PREFIX = 'resources:'

# The values below are immutable named tuples: a frozen dataclass costs four
# times as much to build, and a Request is built for every decision.


class Flavor(typing.NamedTuple):
    """The flavor fields the scheduler reads."""

    name: typing.Optional[str]
    flavorid: typing.Optional[str]
    vcpus: int
    memory_mb: int
    root_gb: int
    ephemeral_gb: int
    swap: int
    extra_specs: dict


# Properties an image states as typed fields; any other goes to extra.
_TYPED_PROPS = frozenset(n for n in image_meta.ImageMetaProps.fields
                         if n != 'extra')


class ImageProps(typing.NamedTuple):
    """An image's properties: ``typed`` ones the filters know by name
    (set and not None), then the ``extra`` ones, as the image gave them.
    """

    typed: dict
    extra: dict

    def get(self, name, default=None):
        """A typed property, else an extra one, else ``default``."""
        value = self.typed.get(name)
        if value is not None:
            return value
        if name in _TYPED_PROPS:
            return default
        return self.extra.get(name, default)


class Image(typing.NamedTuple):
    id: typing.Optional[str]
    name: typing.Optional[str]
    properties: typing.Optional[ImageProps]
    disk_format: typing.Optional[str] = None


class InstanceGroup(typing.NamedTuple):
    """The server group the instances join, as plain values."""

    uuid: typing.Optional[str]
    name: typing.Optional[str]
    policy: typing.Optional[str]
    rules: dict
    members: tuple
    hosts: tuple


class Destination(typing.NamedTuple):
    """Where a move or a targeted build must land."""

    host: typing.Optional[str]
    node: typing.Optional[str]
    cell_uuid: typing.Optional[str]
    aggregates: tuple
    forbidden_aggregates: frozenset
    allow_cross_cell_move: bool


class Placing(object):
    """What changes while the instances of one request are placed: the
    instance being placed, the rows picked for earlier instances, the
    request's CandidatePlan (None on the root-only path), the NUMA
    placement NUMATopologyFilter fitted on each row it kept (row ->
    gantt.numa_fit.Fitted), and per placed instance (by its index in the
    request) the NUMA claim it makes with the row's cells and devices
    from before it (index -> (claim, cells, pools))."""

    __slots__ = ('instance_uuid', 'picked_rows', 'plan', 'numa_fitted',
                 'numa_taken')

    def __init__(self, instance_uuid=None, plan=None):
        self.instance_uuid = instance_uuid
        self.picked_rows = []
        self.plan = plan
        self.numa_fitted = {}
        self.numa_taken = {}


class Request(typing.NamedTuple):
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
    groups: request_groups.RequestGroups
    conf: typing.Any
    placing: Placing
    # The NUMA topology and PCI devices asked (gantt.numa_request).
    numa: numa_request.Constraints = numa_request.NONE

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
        placing.numa_fitted = {}
        placing.numa_taken = {}
        return placing


def _image(image):
    got = obj_base.values(image)
    props = got.get('properties')
    if props is not None:
        given = obj_base.values(props)
        extra = dict(given.pop('extra', {}))
        props = ImageProps(given, extra)
    return Image(id=got.get('id'), name=got.get('name'), properties=props,
                 disk_format=got.get('disk_format'))


def _flavor(flavor):
    got = obj_base.values(flavor)
    return Flavor(name=got.get('name'), flavorid=got.get('flavorid'),
                  vcpus=got.get('vcpus', 0), memory_mb=got.get('memory_mb', 0),
                  root_gb=got.get('root_gb', 0),
                  ephemeral_gb=got.get('ephemeral_gb', 0),
                  swap=got.get('swap', 0),
                  extra_specs=dict(got.get('extra_specs') or {}))


def _resources(flavor, is_bfv, topology=None):
    """Resource class -> amount one instance of `flavor` needs; its CPUs
    as VCPU or PCPU by the NUMA `topology` asked (gantt.cpu_resources),
    unless its extra specs name VCPU or PCPU themselves."""
    swap_gb = int(math.ceil(flavor.swap / 1024.0))
    root_gb = 0 if is_bfv else flavor.root_gb
    resources = {'MEMORY_MB': flavor.memory_mb,
                 'DISK_GB': root_gb + flavor.ephemeral_gb + swap_gb}
    if not cpu_resources.named_in(flavor.extra_specs):
        resources.update(cpu_resources.wanted(flavor, topology))
    for key, value in flavor.extra_specs.items():
        if key.startswith(RESOURCES_PREFIX):
            resources[key[len(RESOURCES_PREFIX):]] = int(value)
    return {rc: int(n) for rc, n in resources.items()}


def _instance_group(group):
    if group is None:
        return None
    got = obj_base.values(group)
    return InstanceGroup(uuid=got.get('uuid'), name=got.get('name'),
                         policy=got.get('policy'),
                         rules=dict(got.get('rules') or {}),
                         members=tuple(got.get('members', ())),
                         hosts=tuple(got.get('hosts', ())))


def _destination(dest):
    if dest is None:
        return None
    got = obj_base.values(dest)
    return Destination(
        host=got.get('host'), node=got.get('node'),
        cell_uuid=got.get('cell_uuid'),
        aggregates=tuple(got.get('aggregates', ())),
        forbidden_aggregates=frozenset(got.get('forbidden_aggregates', ())),
        allow_cross_cell_move=bool(got.get('allow_cross_cell_move', False)))


def _groups(got, resources, flavor, image):
    """The request groups of a spec's fields `got`."""
    props = image.properties
    params = obj_base.values(got.get('request_level_params'))
    return request_groups.build(
        resources, flavor.extra_specs,
        image_traits=props.typed.get('traits_required', ()) if props else (),
        requested=[obj_base.values(rg)
                   for rg in got.get('requested_resources', ())],
        root_required=params.get('root_required', ()),
        root_forbidden=params.get('root_forbidden', ()),
        same_subtree=params.get('same_subtree', ()))


def _pci_aliases(conf):
    group = getattr(conf, 'pci', None) if conf is not None else None
    return tuple(getattr(group, 'alias', None) or ()) if group else ()


def flavor_resources(spec):
    """Resource class -> amount one instance of `spec` needs."""
    got = obj_base.values(spec)
    if got.get('flavor') is None:
        return {}
    flavor = _flavor(got['flavor'])
    return _resources(flavor, got.get('is_bfv', False),
                      numa_request.topology(
                          flavor, _image(got.get('image')).properties))


def from_spec(spec, conf=None, now=None):
    """The Request a RequestSpec asks for, read once.

    Raises InvalidRequest when the spec's request groups are malformed or
    its NUMA and PCI asks contradict each other.
    """
    got = obj_base.values(spec)
    flavor = _flavor(got.get('flavor'))
    is_bfv = bool(got.get('is_bfv', False))
    image = _image(got.get('image'))
    numa = (numa_request.constraints(
        flavor, image.properties, _pci_aliases(conf),
        [obj_base.values(r) for r in got.get('pci_requests') or ()])
            if got.get('flavor') is not None else numa_request.NONE)
    resources = (_resources(flavor, is_bfv, numa.topology)
                 if got.get('flavor') is not None else {})
    hints = {name: list(value) if isinstance(value, (list, tuple)) else value
             for name, value in (got.get('scheduler_hints') or {}).items()}
    retry = obj_base.values(got.get('retry'))
    instance_uuid = got.get('instance_uuid')
    return Request(
        now=time.time() if now is None else now,
        resources=resources,
        hints=hints,
        flavor=flavor,
        extra_specs=flavor.extra_specs,
        image=image,
        image_props=image.properties,
        instance_group=_instance_group(got.get('instance_group')),
        project_id=got.get('project_id'),
        user_id=got.get('user_id'),
        instance_uuid=instance_uuid,
        num_instances=got.get('num_instances', 1),
        availability_zone=got.get('availability_zone') or None,
        is_bfv=is_bfv,
        ignore_hosts=tuple(got.get('ignore_hosts', ())),
        force_hosts=tuple(got.get('force_hosts', ())),
        force_nodes=tuple(got.get('force_nodes', ())),
        retry_hosts=tuple(tuple(entry) for entry in retry.get('hosts', ())),
        requested_destination=_destination(got.get('requested_destination')),
        limits=obj_base.values(got.get('limits')),
        groups=_groups(got, resources, flavor, image),
        conf=conf,
        placing=Placing(instance_uuid),
        numa=numa)
