"""Options of the [filter_scheduler] group: filters, weighers and knobs."""

from oslo_config import cfg

from gantt.conf import groups

GROUP = cfg.OptGroup(
    'filter_scheduler',
    title='Filter scheduler options',
    help='Which filters remove hosts, which weighers rank the rest, and '
         'the knobs of each. Options marked mutable are reloaded on SIGHUP.')

DEFAULT_FILTERS = [
    'AvailabilityZoneFilter',
    'ComputeFilter',
    'ComputeCapabilitiesFilter',
    'ImagePropertiesFilter',
    'ServerGroupAntiAffinityFilter',
    'ServerGroupAffinityFilter',
    'RamFilter',
    'CoreFilter',
    'DiskFilter',
]

# Every weigher declared under the gantt.weighers entry point.
DEFAULT_WEIGHERS = [
    'RAMWeigher',
    'CPUWeigher',
    'DiskWeigher',
    'IoOpsWeigher',
    'NumInstancesWeigher',
    'MetricsWeigher',
    'BuildFailureWeigher',
    'ServerGroupSoftAffinityWeigher',
    'ServerGroupSoftAntiAffinityWeigher',
    'HypervisorVersionWeigher',
    'CrossCellWeigher',
    'ImagePropertiesWeigher',
    'TraitPreferenceWeigher',
]

_selection_opts = [
    cfg.ListOpt(
        'enabled_filters',
        default=DEFAULT_FILTERS,
        mutable=True,
        help='Filters run on every request, in this order, by entry point '
             'name (gantt.filters). An unknown name stops the service at '
             'start. Put the filters that remove most hosts first.'),
    cfg.ListOpt(
        'enabled_weighers',
        default=DEFAULT_WEIGHERS,
        mutable=True,
        help='Weighers that rank the hosts left after filtering, by entry '
             'point name (gantt.weighers). Remove one to stop it costing '
             'time; setting its multiplier to 0 has the same effect on '
             'the result.'),
    cfg.IntOpt(
        'host_subset_size',
        default=1,
        min=1,
        mutable=True,
        help='Pick the host at random among this many best weighed hosts. '
             'Raise it when several schedulers race for the same best host '
             'and claims conflict often.'),
    cfg.BoolOpt(
        'shuffle_best_same_weighed_hosts',
        default=False,
        mutable=True,
        help='Shuffle hosts that share the best weight before choosing. '
             'Enable it to spread instances when many hosts are identical.'),
]

_limit_opts = [
    cfg.IntOpt(
        'max_io_ops_per_host',
        default=8,
        min=0,
        mutable=True,
        help='IoOpsFilter removes hosts with more concurrent I/O heavy '
             'operations (builds, resizes, snapshots) than this. Raise it '
             'for hosts with fast storage.'),
    cfg.IntOpt(
        'max_instances_per_host',
        default=50,
        min=1,
        mutable=True,
        help='NumInstancesFilter removes hosts with this many instances or '
             'more. Raise it for large hosts running small instances.'),
    cfg.ListOpt(
        'isolated_images',
        default=[],
        mutable=True,
        help='Image UUIDs that may only run on isolated_hosts '
             '(IsolatedHostsFilter). Set it with isolated_hosts to reserve '
             'hosts for particular images.'),
    cfg.ListOpt(
        'isolated_hosts',
        default=[],
        mutable=True,
        help='Hosts that may only run isolated_images '
             '(IsolatedHostsFilter).'),
    cfg.BoolOpt(
        'restrict_isolated_hosts_to_isolated_images',
        default=True,
        mutable=True,
        help='Whether isolated_hosts accept only isolated_images. Set False '
             'to let isolated hosts also run other images.'),
    cfg.StrOpt(
        'aggregate_image_properties_isolation_namespace',
        mutable=True,
        help='Only aggregate metadata keys in this namespace are compared '
             'with image properties by AggregateImagePropertiesIsolation. '
             'Set it when aggregates carry unrelated metadata.'),
    cfg.StrOpt(
        'aggregate_image_properties_isolation_separator',
        default='.',
        mutable=True,
        help='Separator between the namespace and the property name in '
             'aggregate metadata keys for AggregateImagePropertiesIsolation.'),
]


def _multiplier(name, default, what):
    return cfg.FloatOpt(
        name,
        default=default,
        mutable=True,
        help='Multiplier of the %s weight. Positive prefers hosts scoring '
             'high, negative the opposite, 0 disables the weigher. Change '
             'it to make this criterion count more or less than the others; '
             'an aggregate metadata key of the same name overrides it per '
             'host.' % what)


_weigher_opts = [
    _multiplier('ram_weight_multiplier', 1.0, 'free RAM (spreads '
                'instances when positive, packs them when negative)'),
    _multiplier('cpu_weight_multiplier', 1.0, 'free vCPU'),
    _multiplier('disk_weight_multiplier', 1.0, 'free disk'),
    _multiplier('io_ops_weight_multiplier', -1.0, 'I/O operations count'),
    _multiplier('num_instances_weight_multiplier', 0.0, 'instance count'),
    _multiplier('build_failure_weight_multiplier', 1000000.0,
                'recent build failures (a host that fails builds sinks)'),
    _multiplier('soft_affinity_weight_multiplier', 1.0,
                'soft-affinity server group'),
    _multiplier('soft_anti_affinity_weight_multiplier', 1.0,
                'soft-anti-affinity server group'),
    _multiplier('hypervisor_version_weight_multiplier', 1.0,
                'hypervisor version'),
    _multiplier('cross_cell_move_weight_multiplier', 1000000.0,
                'same-cell preference on moves'),
    _multiplier('image_props_weight_multiplier', 0.0,
                'image properties of instances already on the host'),
    cfg.ListOpt(
        'image_props_weight_setting',
        default=[],
        mutable=True,
        help='Image properties counted by ImagePropertiesWeigher and their '
             'ratios, as "name=ratio" entries, e.g. "os_distro=1, '
             'hw_machine_type=2". Empty counts every property equally.'),
    _multiplier('pci_weight_multiplier', 1.0, 'PCI device availability'),
    _multiplier('trait_preference_weight_multiplier', 1.0,
                'preferred minus avoided traits the flavor names '
                '(trait:NAME=preferred|avoided)'),
]

opts = _selection_opts + _limit_opts + _weigher_opts


def register_opts(conf):
    groups.register_group(conf, GROUP, opts)


def list_opts():
    return {GROUP: opts}
