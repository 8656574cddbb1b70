"""``gantt-manage import-nova``: take over a running cloud's scheduling
state from its placement database and nova API database::

    gantt-manage --config-file gantt.conf import-nova \\
        --placement-connection mysql+pymysql://placement:...@db/placement \\
        --nova-api-connection mysql+pymysql://nova:...@db/nova_api [--dry-run]

It prints one line per change (with --dry-run, per change it would make)
and a summary; a second run over the same cloud changes nothing and says
so. Exit codes: 0 done (or nothing to do), 1 the sources could not be
read or a change was refused (nothing after it is written).
"""

import collections

from gantt.db import api
from gantt import exception
from gantt.nova import import_plan
from gantt.nova import import_source

REFUSED = 1


def _summary(changes):
    counts = collections.Counter(c.kind for c in changes)
    return ', '.join('%d %s' % (n, kind) for kind, n in sorted(
        counts.items()))


def import_nova(conf):
    args = conf.category
    db = api.Database(conf)
    try:
        placement = import_source.read_placement(args.placement_connection)
        nova_api = (import_source.read_nova_api(args.nova_api_connection)
                    if args.nova_api_connection else None)
        changes = import_plan.plan(db, placement, nova_api)
        if not changes:
            print('Nothing to change: Gantt already holds what %s.' % (
                'placement and the nova API database hold'
                if nova_api is not None else 'placement holds'))
            return 0
        for change in changes:
            print(('would ' if args.dry_run else '') + change.summary)
        if args.dry_run:
            print('Dry run: %d changes (%s) not made.'
                  % (len(changes), _summary(changes)))
            return 0
        import_plan.apply(db, changes, placement)
        print('Imported: %d changes (%s).' % (len(changes),
                                              _summary(changes)))
        return 0
    except exception.GanttException as e:
        print('import-nova refused: %s' % e)
        return REFUSED
    finally:
        db.dispose()


def add_command_parsers(subparsers):
    p = subparsers.add_parser(
        'import-nova', help="Import providers, inventories, allocations, "
        "traits and aggregates from placement's database, and host "
        "aggregates, server groups and request specs from nova's API "
        "database.")
    p.add_argument('--placement-connection', required=True,
                   help="SQLAlchemy URL of placement's database.")
    p.add_argument('--nova-api-connection', default=None,
                   help="SQLAlchemy URL of nova's API database (without "
                        "it, only placement's state is imported).")
    p.add_argument('--dry-run', action='store_true',
                   help='Print what would change; change nothing.')
    p.set_defaults(func=import_nova)
