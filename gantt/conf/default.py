"""Options of the [DEFAULT] group: where Gantt keeps state and who it is."""

import socket

from oslo_config import cfg

GROUP = None

opts = [
    cfg.StrOpt(
        'state_path',
        default='/var/lib/gantt',
        help='Directory where Gantt keeps local state, such as the embedded '
             'SQLite database when [database] connection is not set. Change '
             'it when the service runs as a user that cannot write to the '
             'default, or to keep test runs apart.'),
    cfg.StrOpt(
        'host',
        default=socket.gethostname(),
        sample_default='<current_hostname>',
        help='Name of this scheduler host, used as the RPC server name and '
             'in the services table. Change it when the machine name is not '
             'unique among the scheduler hosts sharing one message bus.'),
    cfg.IntOpt(
        'service_down_time',
        default=60,
        min=1,
        mutable=True,
        help='Seconds since its last report after which a compute service '
             'is considered down and is no longer offered. Raise it when '
             'computes report less often than every third of this value.'),
    cfg.StrOpt(
        'default_availability_zone',
        default='nova',
        help='Availability zone of hosts that belong to no aggregate with '
             'an availability_zone key. Change it to match the zone name '
             'your compute controller uses for such hosts.'),
]


def register_opts(conf):
    conf.register_opts(opts)


def list_opts():
    return {GROUP: opts}
