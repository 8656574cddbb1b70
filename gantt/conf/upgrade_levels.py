"""Options of the [upgrade_levels] group: RPC version caps for clients."""

from oslo_config import cfg

GROUP = cfg.OptGroup(
    'upgrade_levels',
    title='RPC version caps',
    help='Caps on the RPC versions Gantt clients send, for rolling '
         'upgrades: pin clients to what the oldest running scheduler '
         'understands, then remove the pin once every service is upgraded.')

opts = [
    cfg.StrOpt(
        'scheduler',
        help='Highest version of the scheduler API (select_destinations, '
             'explain, ping) a client sends: a version such as "1.0", or '
             '"auto". Unset means the newest this code knows. Set it while '
             'older schedulers still run.'),
    cfg.StrOpt(
        'report',
        help='Highest version of the report API (compute resource and '
             'instance reports, aggregates) a client sends: a version such '
             'as "1.0", or "auto". Unset means the newest this code knows. '
             'Set it while older schedulers still run.'),
]


def register_opts(conf):
    # A fresh group per conf: oslo.config copies a registered OptGroup only
    # shallowly, so reusing GROUP would share option state between confs.
    conf.register_group(cfg.OptGroup(GROUP.name, title=GROUP.title,
                                     help=GROUP.help))
    conf.register_opts(opts, group=GROUP.name)


def list_opts():
    return {GROUP: opts}
