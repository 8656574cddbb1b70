"""Options of the [scheduler] group: the daemon's processes and RPC topic."""

from oslo_config import cfg

from gantt.conf import groups

GROUP = cfg.OptGroup(
    'scheduler',
    title='Scheduler service options',
    help='How the gantt-scheduler daemon runs: worker processes, the RPC '
         'topic it listens on and how many hosts each instance gets.')

opts = [
    cfg.IntOpt(
        'workers',
        default=1,
        min=1,
        help='Number of worker processes, each an RPC server on the same '
             'topic. Raise it when one process cannot keep up with the '
             'request rate and the machine has spare cores.'),
    cfg.IntOpt(
        'max_attempts',
        default=3,
        min=1,
        mutable=True,
        help='Number of hosts returned per instance: the claimed primary '
             'plus max_attempts - 1 alternates for rescheduling. Raise it '
             'when builds fail often on the chosen host.'),
    cfg.StrOpt(
        'topic',
        default='scheduler',
        help='RPC topic the scheduler listens on (the exchange is always '
             '"gantt"). Change it only to run two independent Gantt '
             'deployments on one message bus virtual host.'),
    cfg.IntOpt(
        'allocation_audit_grace_period',
        default=3600,
        min=0,
        mutable=True,
        help='Seconds an allocation may exist without its instance being '
             'reported by any compute before an audit reports it as '
             'orphaned. Raise it when builds can take longer than this.'),
    cfg.IntOpt(
        'decision_replay_seconds',
        default=600,
        min=0,
        mutable=True,
        help='Seconds during which select_destinations asked again for '
             'instances that hold the claim of an earlier call for the same '
             'request answers that call\'s selections instead of deciding '
             'again (a conductor retrying after a lost reply). 0 turns the '
             'replay off. Raise it when conductors retry later than this.'),
    cfg.FloatOpt(
        'report_check_interval',
        default=10.0,
        min=0.1,
        help='Seconds between checks of how old every compute\'s last '
             'report is (one worker per daemon checks): a node whose report '
             'is older than [DEFAULT] service_down_time gets one '
             'scheduler.report.stale notification, and the hosts-per-state '
             'and report-age metrics are updated. Lower it to hear of a '
             'silent compute sooner.'),
]

# The request pre-filters (gantt.request_filters): each narrows a request's
# hosts before any filter runs, as the scheduler Gantt replaces does.
_prefilter_opts = [
    cfg.BoolOpt(
        'limit_tenants_to_placement_aggregate',
        default=False,
        mutable=True,
        help='Confine a project to the aggregates whose metadata has a '
             'filter_tenant_id key (or filter_tenant_id<anything>, so one '
             'aggregate can name several projects) equal to the project '
             'id. A project no aggregate names is not confined unless '
             'placement_aggregate_required_for_tenants is set. Enable it '
             'to set hosts aside for some projects.'),
    cfg.BoolOpt(
        'placement_aggregate_required_for_tenants',
        default=False,
        mutable=True,
        help='With limit_tenants_to_placement_aggregate, refuse requests '
             'of a project that no aggregate names (no valid host) '
             'instead of letting them use any host. Enable it when every '
             'project must be confined.'),
    cfg.BoolOpt(
        'query_placement_for_availability_zone',
        default=False,
        mutable=True,
        help='Narrow a request naming an availability zone to the hosts of '
             'the aggregates whose availability_zone metadata is that '
             'zone, before the filters run. The AvailabilityZoneFilter '
             'gives the same answer host by host; enable this to remove '
             'the other zones\' hosts up front.'),
    cfg.BoolOpt(
        'query_placement_for_image_type_support',
        default=False,
        mutable=True,
        help='Require the COMPUTE_IMAGE_TYPE_<disk format> trait on the '
             'host of an instance booted from an image (not from a '
             'volume). Enable it when some computes cannot use every '
             'image format and report which they can.'),
    cfg.BoolOpt(
        'enable_isolated_aggregate_filtering',
        default=False,
        mutable=True,
        help='Keep a request out of every aggregate whose metadata holds '
             'trait:<TRAIT>=required for a trait the request (flavor or '
             'image) does not require. Enable it to reserve hosts for '
             'instances that ask for their special trait.'),
    cfg.BoolOpt(
        'compute_status_prefilter',
        default=True,
        mutable=True,
        help='Forbid hosts whose root provider has the '
             'COMPUTE_STATUS_DISABLED trait (a compute adds it when its '
             'service is disabled). Always on in the scheduler Gantt '
             'replaces; disable it only to place on such hosts anyway.'),
    cfg.BoolOpt(
        'accelerators_prefilter',
        default=True,
        mutable=True,
        help='Require the COMPUTE_ACCELERATORS trait on the host when the '
             'flavor names an accel:device_profile.'),
    cfg.BoolOpt(
        'ephemeral_encryption_prefilter',
        default=True,
        mutable=True,
        help='Require COMPUTE_EPHEMERAL_ENCRYPTION (and, with a format, '
             'COMPUTE_EPHEMERAL_ENCRYPTION_<FORMAT>) on the host when the '
             'flavor (hw:ephemeral_encryption) or the image '
             '(hw_ephemeral_encryption) asks for encrypted ephemeral '
             'storage.'),
]

opts = opts + _prefilter_opts

_move_opts = [
    cfg.BoolOpt(
        'allow_resize_to_same_host',
        default=False,
        mutable=True,
        help='Let a resize (move_instance with a new flavor) land on the '
             'host the instance is on, as the controller\'s option of the '
             'same name does. A cold migration stays off its host unless '
             'that host\'s provider has the COMPUTE_SAME_HOST_COLD_MIGRATE '
             'trait; live migration and evacuation always leave it. The '
             'source is held by the migration while the destination is '
             'claimed, so a same-host resize needs room for both flavors.'),
]

opts = opts + _move_opts


def register_opts(conf):
    groups.register_group(conf, GROUP, opts)


def list_opts():
    return {GROUP: opts}
