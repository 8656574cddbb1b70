"""Options of the [api] group: gantt-api, the placement-compatible REST
API nova-compute's report client and the openstack CLI talk to."""

from oslo_config import cfg

from gantt.conf import groups

GROUP = cfg.OptGroup(
    'api',
    title='Placement-compatible REST API',
    help='gantt-api serves the placement REST API over Gantt\'s own store '
         '(the [database] the scheduler uses), so that nova-compute reports '
         'its providers, inventories, traits, aggregates and allocations '
         'straight to what the scheduler decides on.')

opts = [
    cfg.HostAddressOpt(
        'bind_host',
        default='127.0.0.1',
        help='Address gantt-api listens on. Set this host\'s address when '
             'computes on other hosts report to it.'),
    cfg.PortOpt(
        'bind_port',
        default=8778,
        help='TCP port gantt-api listens on; 8778 is placement\'s, so '
             'computes already pointed at placement\'s port need no change.'),
    cfg.StrOpt(
        'auth_strategy',
        default='noauth',
        choices=[('noauth', 'no authentication: every caller is an admin '
                  'and a service (every default rule admits it); '
                  'keep the port on a trusted network'),
                 ('noauth2', 'no authentication, placement\'s test mode: '
                  'X-Auth-Token (required) names the caller as USER or '
                  'USER:PROJECT, X-Roles its roles (the token "admin" '
                  'alone is an admin), OpenStack-System-Scope its scope; '
                  'policy is checked against them'),
                 ('keystone', 'keystonemiddleware validates tokens '
                  '(configure [keystone_authtoken])')],
        help='How gantt-api authenticates callers. Whoever the caller is, '
             'placement\'s policy rules ([oslo_policy] policy_file) say '
             'what it may do.'),
]


def register_opts(conf):
    groups.register_group(conf, GROUP, opts)


def list_opts():
    return {GROUP: opts}
