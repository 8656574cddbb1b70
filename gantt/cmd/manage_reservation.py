"""``gantt-manage reservation``: capacity held until a deadline.

``create`` asks a running scheduler to reserve (the reserve RPC: the
instances are placed and claimed as a build would be, group and all);
``list`` and ``release`` read and write the store directly::

    gantt-manage reservation create --flavor m1.small:1:2048:20 \\
        --instances 4 --seconds 3600 [--group UUID] [--project P]
    gantt-manage reservation list
    gantt-manage reservation release UUID

A build takes a reservation over with the scheduler hint
``reservation=UUID`` in its RequestSpec. Exit status 0 on success, 1 when
the scheduler refuses (the reason is printed), 2 for bad arguments or an
unknown reservation.
"""

from oslo_utils import uuidutils

from gantt.cmd import manage_capacity
from gantt.cmd import tables
from gantt import context
from gantt.db import api
from gantt import exception

REFUSED = 1
BAD_ARGS = 2


def format_list(reservations):
    """The reservations as a table: one line per slot."""
    rows = []
    for r in reservations:
        state = 'expired' if r['expired'] else 'held'
        for slot in r['slots']:
            rows.append((r['uuid'], r['flavor'] or '-',
                         r['deadline'][:19] + 'Z',
                         state if not slot.get('consumed_by') else
                         'taken by %s' % slot['consumed_by'],
                         slot['host'], slot['node'] or '-'))
    return tables.table(('reservation', 'flavor', 'deadline (UTC)', 'slot',
                         'host', 'node'), rows)


def _create(conf, args):
    from gantt import objects
    from gantt import rpc
    from gantt.rpcapi import scheduler as scheduler_rpcapi
    try:
        flavor = manage_capacity.parse_flavor(args.flavor or '')
        extra_specs = manage_capacity.parse_extra_specs(args.extra_spec)
        if args.group and not uuidutils.is_uuid_like(args.group):
            raise manage_capacity.BadArgument('--group %r is not a UUID'
                                              % args.group)
    except manage_capacity.BadArgument as e:
        print('gantt-manage reservation create: %s' % e)
        return BAD_ARGS
    spec = manage_capacity.build_spec(flavor, extra_specs, args.az,
                                      args.project)
    spec.num_instances = args.instances
    if args.group:
        spec.instance_group = objects.InstanceGroup(uuid=args.group)
    transport = rpc.get_transport(conf)
    try:
        api_ = scheduler_rpcapi.SchedulerAPI(conf, transport)
        made = api_.reserve(context.get_admin_context(), spec,
                            args.instances, seconds=args.seconds,
                            uuid=args.uuid)
    except exception.GanttException as e:
        # The reason only, not the scheduler's traceback under it.
        print(str(e).splitlines()[0])
        return REFUSED
    finally:
        transport.cleanup()
    print(format_list([made]))
    return 0


def _list(conf, args):
    db = api.Database(conf)
    try:
        print(format_list(db.list_reservations()))
    finally:
        db.dispose()
    return 0


def _release(conf, args):
    db = api.Database(conf)
    try:
        released = db.release_reservation(args.uuid)
    except exception.ReservationNotFound as e:
        print(e)
        return BAD_ARGS
    finally:
        db.dispose()
    print('Released reservation %s: %d slots given back' % (args.uuid,
                                                            released))
    return 0


def _handler(fn):
    return lambda conf: fn(conf, conf.category)


def add_command_parsers(subparsers):
    parser = subparsers.add_parser(
        'reservation', help='Capacity held for a request until a deadline.')
    actions = parser.add_subparsers(dest='action')
    actions.required = True
    p = actions.add_parser('create', help='Reserve instances of a flavor '
                           '(asks a running scheduler).')
    p.add_argument('--flavor', required=True,
                   metavar='NAME:VCPUS:RAM_MB:DISK_GB')
    p.add_argument('--extra-spec', action='append', default=[],
                   metavar='KEY=VALUE')
    p.add_argument('--instances', type=int, default=1,
                   help='How many instances to hold (default 1).')
    p.add_argument('--seconds', type=int, required=True,
                   help='How long to hold them, from now.')
    p.add_argument('--group', default=None,
                   help='Server group UUID the instances will belong to.')
    p.add_argument('--az', default=None)
    p.add_argument('--project', default='gantt-manage')
    p.add_argument('--uuid', default=None,
                   help='The reservation uuid (default: a new one).')
    p.set_defaults(func=_handler(_create))
    p = actions.add_parser('list', help='List reservations and their slots.')
    p.set_defaults(func=_handler(_list))
    p = actions.add_parser('release', help='Give a reservation\'s unused '
                           'slots back now.')
    p.add_argument('uuid')
    p.set_defaults(func=_handler(_release))
