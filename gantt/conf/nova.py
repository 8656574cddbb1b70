"""Options of the [nova] group: serving the compute controller's scheduler
RPC API beside Gantt's own, so nova's conductors call Gantt unchanged."""

from oslo_config import cfg

from gantt.conf import groups

GROUP = cfg.OptGroup(
    'nova',
    title="The compute controller's scheduler API",
    help="With enabled = true each gantt-scheduler worker also serves "
         "nova's scheduler RPC API (versions 4.0-4.5) on nova's exchange "
         "and topic, reading and writing nova's objects (namespace "
         "nova_object), so nova's conductors, computes and API use Gantt "
         "without a change. Gantt's own API is served as before.")

opts = [
    cfg.BoolOpt(
        'enabled',
        default=False,
        help="Serve nova's scheduler RPC API. Enable it when Gantt replaces "
             "nova-scheduler (stop every nova-scheduler first: both would "
             "take messages from the same queue)."),
    cfg.StrOpt(
        'exchange',
        default='nova',
        help="The exchange nova's services use: nova's [DEFAULT] "
             "control_exchange. Change it only when nova's is changed."),
    cfg.StrOpt(
        'topic',
        default='scheduler',
        help="The topic nova's conductors send scheduler calls to. nova "
             "fixes it to 'scheduler'; change it only for a test cloud."),
    cfg.StrOpt(
        'transport_url',
        secret=True,
        help="The message bus of nova's services, when it is not Gantt's "
             "own [DEFAULT] transport_url (another vhost or cluster). Unset "
             "means Gantt's transport_url."),
    cfg.StrOpt(
        'default_cell_uuid',
        help="The cell uuid a Selection names for a host whose reports "
             "carry no cell (nova's Selection requires one). Set it to the "
             "uuid of the cell the computes run in when they report without "
             "one, as through the placement API; unset, such a Selection "
             "names the nil uuid and a warning is logged."),
]


def register_opts(conf):
    groups.register_group(conf, GROUP, opts)


def list_opts():
    return {GROUP: opts}
