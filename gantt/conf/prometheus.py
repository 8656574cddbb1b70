"""Options of the [prometheus] group: the daemon's metrics endpoint."""

from oslo_config import cfg

from gantt.conf import groups

GROUP = cfg.OptGroup(
    'prometheus',
    title='Prometheus metrics endpoint',
    help='An HTTP endpoint, served by the gantt-scheduler parent process, '
         'with the metrics of every worker process aggregated (decisions, '
         'refusals, stage latencies, report intake, claim conflicts, hosts '
         'per state). Off by default: it has no authentication.')

opts = [
    cfg.BoolOpt(
        'enabled',
        default=False,
        help='Serve /metrics. Enable it when a Prometheus server scrapes '
             'this host.'),
    cfg.HostAddressOpt(
        'host',
        default='127.0.0.1',
        help='Address the endpoint listens on. Loopback by default, since '
             'anyone who reaches it can read it; set this host\'s address '
             'when the Prometheus server runs elsewhere.'),
    cfg.PortOpt(
        'port',
        default=9412,
        help='TCP port of the endpoint. 0 picks a free port (written to the '
             'log). Change it when the port is taken.'),
]


def register_opts(conf):
    groups.register_group(conf, GROUP, opts)


def list_opts():
    return {GROUP: opts}
