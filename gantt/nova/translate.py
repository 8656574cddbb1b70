"""nova's objects into Gantt's, and Gantt's Selections into nova's.

A nova RequestSpec becomes a Gantt RequestSpec field by field (what Gantt
understands: flavor, image, hints, server group, destination, retries,
limits, request groups, request-level parameters, PCI requests), which
gantt.request then reads once like any other; nova's numa_topology is not
taken, Gantt derives the same from the flavor and image. A Gantt Selection
becomes nova's, its allocation request (placement's format) passed through
unchanged, with the NUMA limits nova's compute checks its claim against.
"""

import re
import uuid

from oslo_log import log as logging

from gantt.nova import selection as nova_selection
from gantt.objects import aggregate as gantt_aggregate
from gantt.objects import base as obj_base
from gantt.objects import destination as gantt_destination
from gantt.objects import flavor as gantt_flavor
from gantt.objects import image_meta as gantt_image_meta
from gantt.objects import instance_group as gantt_instance_group
from gantt.objects import instance_info as gantt_instance_info
from gantt.objects import pci_request as gantt_pci_request
from gantt.objects import request_group as gantt_request_group
from gantt.objects import request_spec as gantt_request_spec
from gantt.objects import scheduler_limits as gantt_limits
from gantt.objects import scheduler_retries as gantt_retries

LOG = logging.getLogger(__name__)

NIL_UUID = str(uuid.UUID(int=0))

# Hosts already warned about for lacking a cell (once each per worker).
_WARNED = set()

_FLAVOR_FIELDS = ('id', 'flavorid', 'name', 'memory_mb', 'vcpus',
                  'root_gb', 'ephemeral_gb', 'swap', 'rxtx_factor',
                  'vcpu_weight', 'disabled', 'is_public', 'extra_specs',
                  'description')
_IMAGE_FIELDS = ('id', 'name', 'checksum', 'container_format',
                 'disk_format', 'min_disk', 'min_ram', 'size', 'owner')
_GROUP_FIELDS = ('requester_id', 'use_same_provider', 'resources',
                 'required_traits', 'forbidden_traits', 'aggregates',
                 'forbidden_aggregates', 'in_tree', 'provider_uuids')
_LEVEL_FIELDS = ('root_required', 'root_forbidden', 'same_subtree')
_SPEC_FIELDS = ('instance_uuid', 'project_id', 'user_id',
                'availability_zone', 'num_instances', 'is_bfv',
                'ignore_hosts', 'force_hosts', 'force_nodes',
                'scheduler_hints')
_LIMIT_FIELDS = ('vcpu', 'disk_gb', 'memory_mb')
_PCI_FIELDS = ('count', 'spec', 'alias_name', 'numa_policy', 'request_id',
               'requester_id')
# nova's per-node image properties, typed as lists; Gantt reads them as
# hw_numa_cpus.N / hw_numa_mem.N, as the image gave them.
_IMAGE_NODE_LISTS = ('hw_numa_cpus', 'hw_numa_mem')


def _copy(source, names):
    """{name: value} of the names set (and not None) on ``source``."""
    if source is None:
        return {}
    if isinstance(source, dict):
        return {n: source[n] for n in names if source.get(n) is not None}
    got = {n: obj_base.field(source, n) for n in names}
    return {n: v for n, v in got.items() if v is not None}


def flavor(nova_flavor):
    if nova_flavor is None:
        return None
    return gantt_flavor.Flavor(**_copy(nova_flavor, _FLAVOR_FIELDS))


def _extra_value(value):
    """An image property as the string Gantt keeps untyped ones as, or
    None when it is no scalar (a list or dict property Gantt has no
    typed field for is left out)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)):
        return str(value)
    return None


def image_properties(nova_props):
    if nova_props is None:
        return {}
    received = getattr(nova_props, 'received', None)
    if received is None:
        received = {n: getattr(nova_props, n) for n in nova_props.fields
                    if nova_props.obj_attr_is_set(n)}
    typed = gantt_image_meta.ImageMetaProps.fields
    props = {}
    for name, value in received.items():
        if value is None:
            continue
        if name in _IMAGE_NODE_LISTS and isinstance(value, (list, tuple)):
            props.update(_per_node(name, value))
        elif name in typed and name != 'extra':
            props[name] = value
        else:
            value = _extra_value(value)
            if value is not None:
                props[name] = value
    return props


def _per_node(name, values):
    """{'<name>.N': text} of nova's list property (a CPU set or MiB per
    guest node)."""
    out = {}
    for node, value in enumerate(values):
        if isinstance(value, (list, tuple, set, frozenset)):
            value = ','.join(str(int(c)) for c in sorted(value))
        out['%s.%d' % (name, node)] = str(value)
    return out


def image(nova_image):
    if nova_image is None:
        return gantt_image_meta.ImageMeta.from_dict(None)
    got = _copy(nova_image, _IMAGE_FIELDS)
    got['properties'] = image_properties(nova_image.get('properties'))
    return gantt_image_meta.ImageMeta.from_dict(got)


def instance_group(group):
    if group is None:
        return None
    got = _copy(group, ('uuid', 'name', 'user_id', 'project_id', 'policy',
                        'members', 'hosts'))
    got['rules'] = dict(group.get('_rules', {}))
    return gantt_instance_group.InstanceGroup(**got)


def destination(dest):
    if dest is None:
        return None
    got = _copy(dest, ('host', 'node', 'aggregates', 'forbidden_aggregates',
                       'allow_cross_cell_move'))
    cell = dest.get('cell')
    if cell is not None and cell.get('uuid'):
        got['cell_uuid'] = cell.uuid
    return gantt_destination.Destination(**got)


def retry(retries):
    if retries is None:
        return None
    nodes = retries.get('hosts')
    pairs = [[n.get('host'), n.get('hypervisor_hostname')]
             for n in (nodes.objects if nodes is not None else ())]
    return gantt_retries.SchedulerRetries(
        num_attempts=retries.get('num_attempts', 0),
        hosts=[p for p in pairs if None not in p])


def limits(nova_limits):
    if nova_limits is None:
        return None
    return gantt_limits.SchedulerLimits(**_copy(nova_limits, _LIMIT_FIELDS))


def pci_requests(nova_requests):
    """Gantt's InstancePCIRequests of nova's InstancePCIRequests (its
    flavor's aliases and its ports' devices)."""
    if nova_requests is None:
        return []
    return [gantt_pci_request.InstancePCIRequest(**_copy(r, _PCI_FIELDS))
            for r in nova_requests.get('requests', ())]


def request_spec(spec):
    """The Gantt RequestSpec a nova RequestSpec asks for."""
    got = _copy(spec, _SPEC_FIELDS)
    params = spec.get('request_level_params')
    return gantt_request_spec.RequestSpec(
        flavor=flavor(spec.get('flavor')),
        image=image(spec.get('image')),
        instance_group=instance_group(spec.get('instance_group')),
        requested_destination=destination(
            spec.get('requested_destination')),
        retry=retry(spec.get('retry')),
        limits=limits(spec.get('limits')),
        requested_resources=[
            gantt_request_group.RequestGroup(**_copy(g, _GROUP_FIELDS))
            for g in spec.get('requested_resources', ())],
        request_level_params=gantt_request_group.RequestLevelParams(
            **_copy(params, _LEVEL_FIELDS)),
        pci_requests=pci_requests(spec.get('pci_requests')),
        **got)


# Flavor extra specs that ask for resources (resources:VCPU,
# resources1:CUSTOM_X, resources_port:...).
_RESOURCE_SPEC = re.compile(r'^resources[^:]*:')

REBUILD_HINT = '_nova_check_type'


def is_rebuild(spec):
    """Whether nova's conductor asks about a rebuild on the instance's
    own host (which needs no new resources)."""
    return (spec.get('scheduler_hints') or {}).get(REBUILD_HINT) == [
        'rebuild']


def without_resources(spec):
    """``spec`` (Gantt's) asking for no resources: a rebuild's instance
    already holds them (its ports' devices too), so only the other
    filters are to be asked."""
    flavor = spec.flavor
    if flavor is not None:
        flavor.vcpus = flavor.memory_mb = flavor.root_gb = 0
        flavor.ephemeral_gb = flavor.swap = 0
        flavor.extra_specs = {k: v for k, v in flavor.extra_specs.items()
                              if not _RESOURCE_SPEC.match(k)}
    spec.requested_resources = []
    spec.pci_requests = []
    return spec


def legacy_request_spec(request_spec_dict, filter_properties):
    """The Gantt RequestSpec of a 4.0-4.2 caller's two legacy dicts.

    Reads what those callers sent that Gantt understands: the flavor
    ('instance_type'), image, instance properties, instance count and
    uuids, hints, forced and ignored hosts, retries and limits.
    """
    legacy = request_spec_dict or {}
    props = filter_properties or {}
    instance = legacy.get('instance_properties') or {}
    nova_flavor = legacy.get('instance_type') or props.get('instance_type')
    gantt_flavor_obj = (flavor(nova_flavor) if not isinstance(
        nova_flavor, dict) else gantt_flavor.Flavor(
            **_copy(nova_flavor, _FLAVOR_FIELDS)))
    legacy_image = dict(legacy.get('image') or {})
    hints = {name: [str(v) for v in value] if isinstance(
        value, (list, tuple)) else [str(value)]
        for name, value in (props.get('scheduler_hints') or {}).items()}
    uuids = legacy.get('instance_uuids') or []
    tried = (props.get('retry') or {})
    return gantt_request_spec.RequestSpec(
        flavor=gantt_flavor_obj,
        image=gantt_image_meta.ImageMeta.from_dict(
            _copy(legacy_image, _IMAGE_FIELDS + ('properties',))),
        scheduler_hints=hints,
        instance_uuid=uuids[0] if uuids else instance.get('uuid'),
        project_id=instance.get('project_id'),
        user_id=instance.get('user_id'),
        availability_zone=instance.get('availability_zone'),
        num_instances=legacy.get('num_instances', 1),
        ignore_hosts=list(props.get('ignore_hosts') or []),
        force_hosts=list(props.get('force_hosts') or []),
        force_nodes=list(props.get('force_nodes') or []),
        retry=gantt_retries.SchedulerRetries(
            num_attempts=tried.get('num_attempts', 0),
            hosts=[list(h) for h in tried.get('hosts', ())]) if tried
        else None,
        limits=gantt_limits.SchedulerLimits(
            **_copy(props.get('limits') or {}, _LIMIT_FIELDS)))


def aggregate(nova_aggregate):
    return gantt_aggregate.Aggregate(**_copy(
        nova_aggregate, ('id', 'uuid', 'name', 'hosts', 'metadata')))


def instance_info(host, instances):
    """Gantt's InstanceInfoList of nova Instance objects on ``host``."""
    return gantt_instance_info.InstanceInfoList(objects=[
        gantt_instance_info.InstanceInfo(
            uuid=i.uuid, host=i.get('host', host), node=i.get('node'))
        for i in instances])


def numa_limits(gantt_limits_obj, network_metadata=None):
    """nova's NUMATopologyLimits of the ratios Gantt's limits name (None
    when they name none: no guest topology, or a host without NUMA
    cells), with the request's ``network_metadata`` (nova's), as nova's
    NUMA filter hands them to its compute's claim."""
    ratios = (gantt_limits_obj.numa_ratios()
              if gantt_limits_obj is not None else None)
    if ratios is None:
        return None
    limits = nova_selection.NUMATopologyLimits(**ratios)
    if network_metadata:
        limits.network_metadata = network_metadata
    return limits


def selection(gantt_sel, default_cell_uuid=None, network_metadata=None):
    """nova's Selection for one of Gantt's; ``network_metadata`` is the
    request's (nova's NetworkMetadata), for the NUMA limits."""
    cell = gantt_sel.cell_uuid or default_cell_uuid
    if not cell:
        if gantt_sel.service_host not in _WARNED:
            _WARNED.add(gantt_sel.service_host)
            LOG.warning('Host %(host)s reports no cell and [nova] '
                        'default_cell_uuid is unset: its Selections name '
                        'the nil cell uuid', {'host': gantt_sel.service_host})
        cell = NIL_UUID
    # nova reads every field of SchedulerLimits (to_dict): all are set.
    gantt_limits_obj = obj_base.field(gantt_sel, 'limits')
    nova_limits = nova_selection.SchedulerLimits(
        numa_topology=numa_limits(gantt_limits_obj, network_metadata), **{
            name: obj_base.field(gantt_limits_obj, name)
            for name in _LIMIT_FIELDS})
    return nova_selection.Selection(
        compute_node_uuid=gantt_sel.compute_node_uuid,
        service_host=gantt_sel.service_host,
        nodename=gantt_sel.nodename,
        cell_uuid=cell,
        limits=nova_limits,
        allocation_request=gantt_sel.allocation_request,
        allocation_request_version=gantt_sel.allocation_request_version,
        availability_zone=gantt_sel.availability_zone)
