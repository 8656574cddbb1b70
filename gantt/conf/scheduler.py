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


def register_opts(conf):
    groups.register_group(conf, GROUP, opts)


def list_opts():
    return {GROUP: opts}
