"""Options of the [limits] group: how large and deep a message may be.

Every RPC message the scheduler receives is measured against these before
it is decoded into objects; every object field is held to them as it is
read. A message past a limit is refused with an error naming the limit.
"""

from oslo_config import cfg

from gantt.conf import groups

GROUP = cfg.OptGroup(
    'limits',
    title='Limits on received messages',
    help='Bounds on what one RPC message may carry. A message beyond one '
         'is refused before it costs more than reading its size: a call '
         'gets InvalidRequest naming the limit, a cast is logged on one '
         'line and dropped. Raise a limit only when a legitimate compute '
         'or conductor is refused (the log line names the option).')

opts = [
    cfg.IntOpt(
        'max_message_bytes',
        default=1024 * 1024,
        min=1024,
        help='Largest message body, in bytes, that is decoded at all. A '
             'request spec is a few KB, a compute report with a large '
             'provider tree some tens of KB.'),
    cfg.IntOpt(
        'max_depth',
        default=32,
        min=4,
        help='Deepest nesting of lists and dicts in a message (an object '
             'counts two: its envelope and its data).'),
    cfg.IntOpt(
        'max_items',
        default=10000,
        min=16,
        help='Most items in any one list or dict of a message (instance '
             'uuids of a host, providers of a tree, metadata keys).'),
    cfg.IntOpt(
        'max_string_length',
        default=65536,
        min=255,
        help='Longest string anywhere in a message, and in any string '
             'field of an object (CPU info and topology texts are the '
             'longest legitimate ones).'),
    cfg.IntOpt(
        'max_name_length',
        default=255,
        min=16,
        help='Longest host, node, aggregate, flavor or provider name, and '
             'longest project or user id of a claim.'),
    cfg.IntOpt(
        'max_count',
        default=100000,
        min=1,
        help='Largest per-host counter a compute may report (instances, '
             'I/O operations, failed builds in its stats).'),
]


def register_opts(conf):
    groups.register_group(conf, GROUP, opts)


def list_opts():
    return {GROUP: opts}
