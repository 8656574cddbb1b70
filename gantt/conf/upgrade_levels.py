"""Options of the [upgrade_levels] group: RPC version caps for clients."""

from oslo_config import cfg

from gantt.conf import groups

GROUP = cfg.OptGroup(
    'upgrade_levels',
    title='RPC version caps',
    help='Caps on the RPC versions Gantt clients send, for rolling '
         'upgrades: pin clients to what the oldest running scheduler '
         'understands, then remove the pin once every service is upgraded. '
         'Objects sent are backported to the versions the capped RPC '
         'version carries. A client reads its cap at start and again when '
         'its process is sent SIGHUP.')

_VALUES = (
    'Accepts a version such as "1.0"; a Gantt release name as an alias for '
    'the version that release speaks ("alpha" = 1.0, "beta" = 1.1); or '
    '"auto": the lowest version any gantt-scheduler registered in the '
    'database speaks (the newest, with a warning, when none is registered; '
    'the oldest supported release\'s version, with a warning, when the '
    'database cannot be read). Unset means the newest this code '
    'knows. A version of another major, an unknown name or text that is '
    'not a version stops the client with an error naming the value. Set '
    'it (or use auto) while schedulers older than this client still run.')

opts = [
    cfg.StrOpt(
        'scheduler',
        help='Highest version of the scheduler API a conductor client '
             'sends (select_destinations, explain, ping; the claim calls '
             'need 1.1). Versions: 1.0 initial; 1.1 Selection.weight, '
             'explain limit, claim_resources, delete_allocations, '
             'move_allocations, get_allocations; 1.2 capacity, server '
             'groups, select_gang; 1.3 reserve, release_reservation, '
             'get_reservation, list_reservations; 1.4 move_instance, '
             'confirm_move, revert_move, delete_instance, get_instance; '
             '1.5 Selection.numa_topology (the NUMA topology and PCI '
             'devices claimed); 1.6 claim_resources numa_topology (an '
             'alternate claimed with its pCPUs, pages and devices); 1.7 '
             'RequestSpec.pci_requests (a port\'s PCI devices). ' +
             _VALUES),
    cfg.StrOpt(
        'report',
        help='Highest version of the report API a compute (or API) client '
             'sends (resource and instance reports, aggregates). Versions: '
             '1.0 initial; 1.1 ComputeNode.provider_tree (dropped when '
             'capped at 1.0). ' + _VALUES),
]


def register_opts(conf):
    groups.register_group(conf, GROUP, opts)


def list_opts():
    return {GROUP: opts}
