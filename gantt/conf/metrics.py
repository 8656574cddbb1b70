"""Options of the [metrics] group: the metrics filter and weigher."""

from oslo_config import cfg

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
    # A fresh group per conf: oslo.config copies a registered OptGroup only
    # shallowly, so reusing GROUP would share option state between confs.
    conf.register_group(cfg.OptGroup(GROUP.name, title=GROUP.title,
                                     help=GROUP.help))
    conf.register_opts(opts, group=GROUP.name)


def list_opts():
    return {GROUP: opts}
