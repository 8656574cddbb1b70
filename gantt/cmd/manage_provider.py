"""``gantt-manage provider``: providers outside any node's tree.

Sharing providers (shared storage, a pool of IPs) serve every node in one
of their aggregates once they have the MISC_SHARES_VIA_AGGREGATE trait::

    gantt-manage provider create nfs1
    gantt-manage provider set-inventory UUID DISK_GB=10000,reserved=100
    gantt-manage provider set-traits UUID MISC_SHARES_VIA_AGGREGATE
    gantt-manage provider set-aggregates UUID AGGREGATE_UUID...
"""

from oslo_serialization import jsonutils
from oslo_utils import uuidutils

from gantt.db import api
from gantt import exception

INVENTORY_KEYS = ('total', 'reserved', 'min_unit', 'max_unit', 'step_size',
                  'allocation_ratio')
NOT_FOUND = 2
REFUSED = 1


def parse_inventory(text):
    """'RC=TOTAL[,key=value...]' -> (rc, record); raises ValueError."""
    head, _, rest = text.partition(',')
    rc, sep, total = head.partition('=')
    if not sep:
        raise ValueError('%r is not RC=TOTAL[,key=value...]' % text)
    record = {'total': int(total)}
    for item in filter(None, rest.split(',')):
        key, sep, value = item.partition('=')
        if not sep or key not in INVENTORY_KEYS:
            raise ValueError('%r: keys are %s'
                             % (item, ', '.join(INVENTORY_KEYS)))
        record[key] = float(value) if key == 'allocation_ratio' else int(
            value)
    return rc.strip(), record


def _print(value):
    print(jsonutils.dumps(value, indent=2, sort_keys=True))


def _run(conf, action):
    db = api.Database(conf)
    try:
        _print(action(db, conf.category))
        return 0
    except exception.ResourceProviderNotFound as e:
        print(e)
        return NOT_FOUND
    except (exception.InvalidInventory, exception.InvalidResourceClass,
            exception.InvalidTrait, ValueError) as e:
        print(e)
        return REFUSED
    finally:
        db.dispose()


def _create(db, args):
    uuid = args.uuid or uuidutils.generate_uuid()
    return db.create_provider(uuid, args.provider_name)


def _set_inventory(db, args):
    inventories = dict(parse_inventory(t) for t in args.inventories)
    return db.set_provider_inventory(args.uuid, inventories)


ACTIONS = {
    'create': _create,
    'list': lambda db, args: db.list_sharing_providers(),
    'show': lambda db, args: db.get_provider(args.uuid),
    'delete': lambda db, args: db.delete_provider(args.uuid),
    'set-inventory': _set_inventory,
    'set-traits': lambda db, args: db.set_provider_traits(
        args.uuid, args.traits),
    'set-aggregates': lambda db, args: db.set_provider_aggregates(
        args.uuid, args.aggregates),
}


def _handler(name):
    return lambda conf: _run(conf, ACTIONS[name])


def add_command_parsers(subparsers):
    provider = subparsers.add_parser(
        'provider', help='Sharing and other stand-alone providers.')
    actions = provider.add_subparsers(dest='action')
    actions.required = True
    p = actions.add_parser('create', help='Create a provider.')
    # Not 'name': oslo.config's sub-command namespace already has one.
    p.add_argument('provider_name', metavar='NAME')
    p.add_argument('--uuid', default=None,
                   help='The provider uuid (default: a new one).')
    p.set_defaults(func=_handler('create'))
    p = actions.add_parser('list', help='List providers with no node.')
    p.set_defaults(func=_handler('list'))
    for name, text in (('show', 'Show a provider.'),
                       ('delete', 'Delete a provider (refused while it '
                                  'holds allocations).')):
        p = actions.add_parser(name, help=text)
        p.add_argument('uuid')
        p.set_defaults(func=_handler(name))
    p = actions.add_parser(
        'set-inventory', help='Replace the inventories: RC=TOTAL[,reserved='
        'N,allocation_ratio=F,min_unit=N,max_unit=N,step_size=N] ...')
    p.add_argument('uuid')
    p.add_argument('inventories', nargs='*')
    p.set_defaults(func=_handler('set-inventory'))
    p = actions.add_parser('set-traits', help='Replace the traits.')
    p.add_argument('uuid')
    p.add_argument('traits', nargs='*')
    p.set_defaults(func=_handler('set-traits'))
    p = actions.add_parser('set-aggregates',
                           help='Replace the aggregate uuids.')
    p.add_argument('uuid')
    p.add_argument('aggregates', nargs='*')
    p.set_defaults(func=_handler('set-aggregates'))
