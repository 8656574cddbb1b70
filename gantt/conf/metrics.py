"""Options of the [metrics] group: the metrics filter and weigher."""

from oslo_config import cfg

from gantt.conf import groups

GROUP = cfg.OptGroup(
    'metrics',
    title='Metrics weigher and filter options',
    help='How hosts are weighed and filtered on the metrics their compute '
         'monitors report (MetricsWeigher, MetricsFilter).')

opts = [
    cfg.FloatOpt(
        'weight_multiplier',
        default=1.0,
        mutable=True,
        help='Multiplier of the metrics weight. Positive prefers hosts with '
             'higher weighted metrics, negative the opposite, 0 disables the '
             'weigher.'),
    cfg.ListOpt(
        'weight_setting',
        default=[],
        mutable=True,
        help='Metrics to weigh and their ratios, as "name=ratio" entries, '
             'e.g. "cpu.frequency=1.0, cpu.percent=-1.0". Set it to the '
             'metrics your compute monitors report.'),
    cfg.BoolOpt(
        'required',
        default=True,
        mutable=True,
        help='Whether a host lacking a metric in weight_setting is an error '
             '(the host is filtered out) or only gets '
             'weight_of_unavailable. Set False when monitors are not '
             'enabled on every compute.'),
    cfg.FloatOpt(
        'weight_of_unavailable',
        default=-10000.0,
        mutable=True,
        help='Weight given to a host lacking a metric when required is '
             'False. Make it less negative to penalise such hosts less.'),
]


def register_opts(conf):
    groups.register_group(conf, GROUP, opts)


def list_opts():
    return {GROUP: opts}
