"""Options of the [reservation] group: how long capacity may be held
without building, and how often expired holds are swept away."""

from oslo_config import cfg

from gantt.conf import groups

GROUP = cfg.OptGroup(
    'reservation',
    title='Reservations',
    help='Capacity reserved for a RequestSpec until a deadline, without '
         'building. Past its deadline a reservation holds nothing: every '
         'fit check treats its rows as free at once; the sweep only '
         'removes them.')

opts = [
    cfg.IntOpt(
        'max_seconds',
        default=7 * 24 * 3600,
        min=1,
        help='Longest a reservation may hold capacity, in seconds from '
             'when it is made. Lower it when callers reserve and forget.'),
    cfg.IntOpt(
        'sweep_interval',
        default=60,
        min=0,
        help='Seconds between two sweeps of expired reservations by each '
             'scheduler process (also done at start). 0 sweeps only at '
             'start; capacity is free at the deadline either way.'),
]


def register_opts(conf):
    groups.register_group(conf, GROUP, opts)


def list_opts():
    return {GROUP: opts}
