"""Request pre-filters: narrow a request before any filter runs.

Each pre-filter reads the plain Request and the aggregates, traits and
services the host store knows, and adds request-level constraints to the
request's groups (hosts in one of some aggregates, in none of others, root
traits required or forbidden) under its own name; the allocation candidates
(gantt.candidates.root_mask) then remove the hosts at once. Each one is
switched by an option of [scheduler] named as in the scheduler Gantt
replaces. :class:`RequestFilters` reads those options once (and again when
the configuration is reloaded) and runs the enabled pre-filters in a fixed
order.
"""

import typing

import os_traits
from oslo_log import log as logging
from oslo_utils import strutils

from gantt import exception

LOG = logging.getLogger(__name__)

TENANT_METADATA_KEY = 'filter_tenant_id'
AZ_METADATA_KEY = 'availability_zone'
TRAIT_METADATA_PREFIX = 'trait:'
IMAGE_TYPE_PREFIX = 'COMPUTE_IMAGE_TYPE_'
EPHEMERAL_FORMATS = ('plain', 'luks', 'luksv2')


class Settings(typing.NamedTuple):
    """The [scheduler] options of the pre-filters, read once."""

    limit_tenants_to_placement_aggregate: bool = False
    placement_aggregate_required_for_tenants: bool = False
    query_placement_for_availability_zone: bool = False
    query_placement_for_image_type_support: bool = False
    enable_isolated_aggregate_filtering: bool = False
    compute_status_prefilter: bool = True
    accelerators_prefilter: bool = True
    ephemeral_encryption_prefilter: bool = True

    @classmethod
    def read(cls, conf):
        group = conf.scheduler
        return cls(*(bool(getattr(group, name)) for name in cls._fields))


def _aggregates(hosts, matches):
    """The uuids of the aggregates whose metadata ``matches``."""
    return frozenset(uuid for uuid, agg in hosts.aggregates.items()
                     if matches(agg.metadata))


def tenant_aggregates(opts, hosts, request, groups):
    """Hosts of the aggregates set aside for the request's project."""
    if not opts.limit_tenants_to_placement_aggregate:
        return groups
    project = request.project_id
    found = _aggregates(hosts, lambda md: any(
        key.startswith(TENANT_METADATA_KEY) and value == project
        for key, value in md.items()))
    if found:
        return groups.narrowed('TenantAggregate', member_of=[found])
    if opts.placement_aggregate_required_for_tenants:
        raise exception.NoValidHost(
            reason='no aggregate is set aside for project %s (metadata '
            '%s) and [scheduler] placement_aggregate_required_for_tenants '
            'requires one' % (project, TENANT_METADATA_KEY))
    return groups


def availability_zone(opts, hosts, request, groups):
    """Hosts of the aggregates of the requested availability zone."""
    zone = request.availability_zone
    if not zone or not opts.query_placement_for_availability_zone:
        return groups
    found = _aggregates(hosts, lambda md: md.get(AZ_METADATA_KEY) == zone)
    if not found:
        # No aggregate names the zone (the default zone, say): the
        # AvailabilityZoneFilter decides host by host.
        return groups
    return groups.narrowed('AvailabilityZone', member_of=[found])


def image_type(opts, hosts, request, groups):
    """Hosts that support the image's disk format."""
    if not opts.query_placement_for_image_type_support:
        return groups
    disk_format = request.image.disk_format
    if request.is_bfv or not disk_format:
        return groups
    trait = IMAGE_TYPE_PREFIX + disk_format.upper()
    if not hasattr(os_traits, trait):
        LOG.error('Image disk format %r has no trait %s; is os-traits up '
                  'to date? The image type pre-filter is skipped.',
                  disk_format, trait)
        return groups
    return groups.narrowed('ImageType', required=[trait])


def isolated_aggregates(opts, hosts, request, groups):
    """Out of aggregates that require a trait the request does not."""
    if not opts.enable_isolated_aggregate_filtering:
        return groups
    wanted = groups.all_required()

    def isolated(md):
        return any(key.startswith(TRAIT_METADATA_PREFIX) and
                   value == 'required' and
                   key[len(TRAIT_METADATA_PREFIX):] not in wanted
                   for key, value in md.items())

    found = _aggregates(hosts, isolated)
    if not found:
        return groups
    return groups.narrowed('IsolatedAggregate', forbidden_aggs=found)


def compute_status(opts, hosts, request, groups):
    """Not on hosts whose compute service is disabled."""
    trait = os_traits.COMPUTE_STATUS_DISABLED
    if not opts.compute_status_prefilter or not hosts.trait_slots.get(trait):
        # No provider has the trait: forbidding it removes no host.
        return groups
    return groups.narrowed('ComputeStatus', forbidden=[trait])


def accelerators(opts, hosts, request, groups):
    """Hosts whose compute handles accelerators, when the flavor asks."""
    if (not opts.accelerators_prefilter or
            not request.extra_specs.get('accel:device_profile')):
        return groups
    return groups.narrowed('Accelerators',
                           required=[os_traits.COMPUTE_ACCELERATORS])


def _flavor_and_image(request, spec_key, prop):
    """The flavor's extra spec and the image's property of one setting."""
    props = request.image_props
    return (request.extra_specs.get(spec_key),
            props.get(prop) if props is not None else None)


def _one_of(request, spec_key, prop, read):
    """The value the flavor or the image sets (``read`` parses it); they
    must not disagree."""
    flavor, image = _flavor_and_image(request, spec_key, prop)
    flavor = None if flavor is None else read(spec_key, flavor)
    image = None if image is None else read(prop, image)
    if flavor is not None and image is not None and flavor != image:
        raise exception.InvalidRequest(
            reason='flavor %s=%s conflicts with image %s=%s'
            % (spec_key, flavor, prop, image))
    return flavor if flavor is not None else image


def _bool(name, value):
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError:
        raise exception.InvalidRequest(
            reason='%s=%r is not a boolean' % (name, value))


def _format(name, value):
    value = str(value).lower()
    if value not in EPHEMERAL_FORMATS:
        raise exception.InvalidRequest(
            reason='%s=%r is not one of %s'
            % (name, value, ', '.join(EPHEMERAL_FORMATS)))
    return value


def ephemeral_encryption(opts, hosts, request, groups):
    """Hosts that encrypt ephemeral storage, when flavor or image asks."""
    if not opts.ephemeral_encryption_prefilter:
        return groups
    if not _one_of(request, 'hw:ephemeral_encryption',
                   'hw_ephemeral_encryption', _bool):
        return groups
    required = [os_traits.COMPUTE_EPHEMERAL_ENCRYPTION]
    fmt = _one_of(request, 'hw:ephemeral_encryption_format',
                  'hw_ephemeral_encryption_format', _format)
    if fmt:
        required.append('COMPUTE_EPHEMERAL_ENCRYPTION_%s' % fmt.upper())
    return groups.narrowed('EphemeralEncryption', required=required)


PREFILTERS = (
    tenant_aggregates,
    availability_zone,
    image_type,
    compute_status,
    isolated_aggregates,
    accelerators,
    ephemeral_encryption,
)


def narrow(opts, hosts, request):
    """``request`` with every enabled pre-filter's constraints added to its
    groups (the same request when none applies); ``opts`` is a Settings.

    Raises NoValidHost when a pre-filter leaves no host by configuration
    (a project without its aggregate), InvalidRequest when the flavor and
    the image disagree.
    """
    groups = request.groups
    for prefilter in PREFILTERS:
        groups = prefilter(opts, hosts, request, groups)
    if groups is request.groups:
        return request
    return request._replace(groups=groups)


class RequestFilters(object):
    """The pre-filters as one scheduler configures them.

    Reading an option costs more than running most pre-filters, so the
    options are read once, and again when the configuration is mutated
    (SIGHUP) or :meth:`reload` is called.
    """

    def __init__(self, conf):
        self.conf = conf
        self.reload()
        register = getattr(conf, 'register_mutate_hook', None)
        if register is not None:
            register(lambda _conf, _changed: self.reload())

    def reload(self):
        self.settings = Settings.read(self.conf)

    def narrow(self, hosts, request):
        """gantt.request_filters.narrow with this configuration."""
        return narrow(self.settings, hosts, request)
