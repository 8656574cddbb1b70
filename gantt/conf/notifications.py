"""Options of the [notifications] group: Gantt's versioned notifications."""

from oslo_config import cfg

from gantt.conf import groups

GROUP = cfg.OptGroup(
    'notifications',
    title='Notification options',
    help='Whether and where gantt-scheduler emits versioned notifications '
         '(scheduler.select_destinations.start/.end/.error, '
         'scheduler.report.stale). Off by default.')

opts = [
    cfg.StrOpt(
        'driver',
        default='noop',
        help='oslo.messaging notification driver: "noop" (nothing is '
             'sent), "messagingv2" (versioned envelopes on the message '
             'bus), "log" (to the log). Set "messagingv2" when a billing, '
             'audit or monitoring consumer listens.'),
    cfg.ListOpt(
        'topics',
        default=['gantt_notifications'],
        help='Topics the messaging drivers publish to (each gets the '
             'priority appended, e.g. gantt_notifications.info). Change it '
             'to the topic your consumers read.'),
    cfg.StrOpt(
        'transport_url',
        secret=True,
        help='Message bus for notifications when not the RPC one '
             '([DEFAULT] transport_url). Set it to keep notification '
             'traffic on a separate broker or virtual host.'),
]


def register_opts(conf):
    groups.register_group(conf, GROUP, opts)


def list_opts():
    return {GROUP: opts}
