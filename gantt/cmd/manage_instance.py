"""``gantt-manage instance``: what Gantt holds of an instance, and its moves.

``show`` reads the store; the others ask a running scheduler, as a
conductor would, using the RequestSpec stored with the instance::

    gantt-manage instance show UUID [--json]
    gantt-manage instance migrate UUID [--host H] [--node N] [--live]
    gantt-manage instance evacuate UUID [--host H]
    gantt-manage instance resize UUID --flavor NAME:VCPUS:RAM_MB:DISK_GB
    gantt-manage instance unshelve UUID [--host H] [--az AZ]
    gantt-manage instance confirm UUID MIGRATION
    gantt-manage instance revert UUID MIGRATION
    gantt-manage instance delete UUID

A move prints its migration uuid: confirm drops the source it holds,
revert drops the destination. Exit status 0 when done, 1 when refused,
2 for an unknown instance or a bad argument, 3 when no host would take
the move.
"""

from oslo_serialization import jsonutils
from oslo_utils import uuidutils

from gantt.cmd import manage_capacity
from gantt.cmd import tables
from gantt import context
from gantt.db import api
from gantt import exception
from gantt import move as move_mod

REFUSED = 1
NOT_FOUND = 2
NO_HOST = 3

_DATA = 'versioned_object.data'


def _data(primitive):
    return (primitive or {}).get(_DATA) or {}


def format_instance(shown):
    """A stored instance as an operator reads it."""
    spec = _data(shown['request_spec'])
    flavor = _data(spec.get('flavor'))
    group = _data(spec.get('instance_group'))
    out = ['instance      %s' % shown['instance_uuid'],
           'host          %s' % (shown['host'] or '- (not placed)'),
           'node          %s' % (shown['node'] or '-')]
    if shown['request_spec'] is None:
        out.append('request spec  - (none stored)')
    else:
        out += [
            'flavor        %s (%s VCPU, %s MB RAM, %s GB root)' % (
                flavor.get('name'), flavor.get('vcpus'),
                flavor.get('memory_mb'), flavor.get('root_gb')),
            'zone          %s' % (spec.get('availability_zone') or '-'),
            'project/user  %s / %s' % (spec.get('project_id'),
                                       spec.get('user_id')),
            'hints         %s' % (jsonutils.dumps(
                spec.get('scheduler_hints') or {}, sort_keys=True)),
            'group (spec)  %s' % (
                '%s %s' % (group.get('uuid'), group.get('policy'))
                if group else '-')]
    for g in shown['groups']:
        out.append('member of     %s %s (%s) on %s' % (
            g['uuid'], g['name'] or '', g['policy'], g['host']))
    rows = [(shown['instance_uuid'], rp, rc, n)
            for rp, body in sorted(shown['allocations'].items())
            for rc, n in sorted(body['resources'].items())]
    for m in shown['moves']:
        rows += [(m['migration_uuid'], rp, rc, n)
                 for rp, body in sorted(m['allocations'].items())
                 for rc, n in sorted(body['resources'].items())]
    out += ['', 'allocations', tables.table(
        ('consumer', 'provider', 'class', 'amount'), rows)
        if rows else '  (none)']
    if shown['moves']:
        out += ['', 'moves in flight', tables.table(
            ('migration', 'operation', 'from', 'to', 'since'),
            [(m['migration_uuid'], m['operation'], m['source_host'],
              m['dest_host'], m['created_at']) for m in shown['moves']])]
    return '\n'.join(out)


def _show(conf):
    args = conf.category
    db = api.Database(conf)
    try:
        shown = db.get_instance(args.uuid)
    finally:
        db.dispose()
    if shown is None:
        print('instance %s: Gantt holds nothing of it' % args.uuid)
        return NOT_FOUND
    if args.json:
        print(jsonutils.dumps(shown, indent=2, sort_keys=True))
    else:
        print(format_instance(shown))
    return 0


def _flavor(text):
    from gantt import objects
    objects.register_all()
    name, vcpus, ram, disk = manage_capacity.parse_flavor(text)
    return objects.Flavor(name=name, vcpus=vcpus, memory_mb=ram,
                          root_gb=disk, ephemeral_gb=0, swap=0,
                          extra_specs={})


def _move_kwargs(args):
    operation = args.action
    if operation == 'migrate' and args.live:
        operation = move_mod.LIVE_MIGRATE
    # Not 'host': oslo.config's sub-command namespace already has one.
    kwargs = {'host': args.dest_host,
              'node': getattr(args, 'dest_node', None)}
    if operation in move_mod.WITH_SOURCE:
        kwargs['migration_uuid'] = (args.migration or
                                    uuidutils.generate_uuid())
    if operation == move_mod.RESIZE:
        kwargs['flavor'] = _flavor(args.flavor)
    if operation == move_mod.UNSHELVE:
        kwargs['availability_zone'] = args.az
    return operation, kwargs


def _call(api_, ctxt, args):
    """Run the action over RPC; (exit status, text to print)."""
    if args.action in ('confirm', 'revert'):
        done = getattr(api_, '%s_move' % args.action)(ctxt, args.uuid,
                                                      args.migration_uuid)
        return 0, ('%s of migration %s: %s' % (
            args.action, args.migration_uuid,
            'done' if done else 'nothing to do (no such move)'))
    if args.action == 'delete':
        dropped = api_.delete_instance(ctxt, args.uuid)
        return 0, 'deleted %s: %s' % (args.uuid, jsonutils.dumps(
            dropped, sort_keys=True))
    operation, kwargs = _move_kwargs(args)
    selections = api_.move_instance(ctxt, args.uuid, operation, **kwargs)
    sel = selections[0]
    text = '%s %s: now on %s (node %s)' % (
        operation, args.uuid, sel.service_host, sel.nodename)
    if kwargs.get('migration_uuid'):
        text += '\nmigration %s holds the source; confirm or revert with ' \
            'gantt-manage instance confirm|revert %s %s' % (
                kwargs['migration_uuid'], args.uuid, kwargs['migration_uuid'])
    return 0, text


def _over_rpc(conf):
    from gantt import objects
    from gantt import rpc
    from gantt.rpcapi import scheduler as scheduler_rpcapi
    objects.register_all()
    args = conf.category
    transport = rpc.get_transport(conf)
    try:
        api_ = scheduler_rpcapi.SchedulerAPI(conf, transport)
        code, text = _call(api_, context.get_admin_context(), args)
    except manage_capacity.BadArgument as e:
        code, text = NOT_FOUND, 'gantt-manage instance: %s' % e
    except exception.NoValidHost as e:
        code, text = NO_HOST, str(e)
    except exception.NotFound as e:
        code, text = NOT_FOUND, str(e)
    except exception.GanttException as e:
        code, text = REFUSED, str(e)
    finally:
        transport.cleanup()
    print(text)
    return code


def add_command_parsers(subparsers):
    instance = subparsers.add_parser(
        'instance', help='An instance: what Gantt holds of it, its moves.')
    actions = instance.add_subparsers(dest='action')
    actions.required = True
    p = actions.add_parser('show', help='The stored RequestSpec, host, '
                           'allocations, groups and moves in flight.')
    p.add_argument('uuid')
    p.add_argument('--json', action='store_true',
                   help='Everything stored, the whole spec included.')
    p.set_defaults(func=_show)
    for name, text in (
            ('migrate', 'Cold (or --live) migrate, off the source host.'),
            ('evacuate', 'Rebuild elsewhere (the source host is down).'),
            ('resize', 'Move to a new flavor (stored with the claim).'),
            ('unshelve', 'Place a shelved-offloaded instance again.')):
        p = actions.add_parser(name, help=text)
        p.add_argument('uuid')
        p.add_argument('--host', dest='dest_host', default=None,
                       help='The requested destination host.')
        if name != 'unshelve':
            p.add_argument('--migration', default=None,
                           help='The migration uuid (default: a new one).')
        if name in ('migrate', 'resize'):
            p.add_argument('--node', dest='dest_node', default=None,
                           help='The requested destination node.')
        if name == 'migrate':
            p.add_argument('--live', action='store_true',
                           help='A live migration.')
        if name == 'resize':
            p.add_argument('--flavor', required=True,
                           metavar='NAME:VCPUS:RAM_MB:DISK_GB')
        if name == 'unshelve':
            p.add_argument('--az', default=None,
                           help='A new availability zone.')
        p.set_defaults(func=_over_rpc)
    for name, text in (('confirm', 'The move is done: drop the source.'),
                       ('revert', 'Undo the move: drop the destination.')):
        p = actions.add_parser(name, help=text)
        p.add_argument('uuid')
        p.add_argument('migration_uuid')
        p.set_defaults(func=_over_rpc)
    p = actions.add_parser('delete', help='Drop its spec, allocations and '
                           'group membership together.')
    p.add_argument('uuid')
    p.set_defaults(func=_over_rpc)
