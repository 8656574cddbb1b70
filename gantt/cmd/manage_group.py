"""``gantt-manage group``: server groups held in Gantt's store.

Every claim of a member checks the group's policy in its transaction::

    gantt-manage group create web anti-affinity --max-per-host 2
    gantt-manage group list
    gantt-manage group show UUID
    gantt-manage group update UUID --name web2 --max-per-host 3
    gantt-manage group delete UUID
"""

from oslo_serialization import jsonutils
from oslo_utils import uuidutils

from gantt.db import api
from gantt import exception
from gantt import server_group_policy

NOT_FOUND = 2
REFUSED = 1


def _rules(args):
    if args.max_per_host is None:
        return None
    return {'max_server_per_host': args.max_per_host}


def _create(db, args):
    return db.create_server_group(
        args.uuid or uuidutils.generate_uuid(), args.group_name,
        args.policy, _rules(args) or {}, args.project_id, args.user_id)


def _delete(db, args):
    if not db.delete_server_group(args.uuid):
        raise exception.ServerGroupNotFound(uuid=args.uuid)
    return {'deleted': args.uuid}


def _show(db, args):
    found = db.get_server_group(args.uuid)
    if found is None:
        raise exception.ServerGroupNotFound(uuid=args.uuid)
    return found


ACTIONS = {
    'create': _create,
    'list': lambda db, args: db.get_server_groups(),
    'show': _show,
    'update': lambda db, args: db.update_server_group(
        args.uuid, args.group_name, _rules(args)),
    'delete': _delete,
}


def _run(conf, name):
    db = api.Database(conf)
    try:
        print(jsonutils.dumps(ACTIONS[name](db, conf.category), indent=2,
                              sort_keys=True))
        return 0
    except exception.ServerGroupNotFound as e:
        print(e)
        return NOT_FOUND
    except (exception.ServerGroupExists, exception.InvalidRequest) as e:
        print(e)
        return REFUSED
    finally:
        db.dispose()


def _handler(name):
    return lambda conf: _run(conf, name)


def add_command_parsers(subparsers):
    group = subparsers.add_parser(
        'group', help='Server groups whose policy every claim checks.')
    actions = group.add_subparsers(dest='action')
    actions.required = True
    p = actions.add_parser('create', help='Create a server group.')
    # Not 'name': oslo.config's sub-command namespace already has one.
    p.add_argument('group_name', metavar='NAME')
    p.add_argument('policy', choices=server_group_policy.POLICIES)
    p.add_argument('--uuid', default=None,
                   help='The group uuid (default: a new one).')
    p.add_argument('--max-per-host', type=int, default=None,
                   help='max_server_per_host (anti-affinity only).')
    p.add_argument('--project-id', default=None)
    p.add_argument('--user-id', default=None)
    p.set_defaults(func=_handler('create'))
    p = actions.add_parser('list', help='List server groups.')
    p.set_defaults(func=_handler('list'))
    p = actions.add_parser('update', help='Rename, or change the rules.')
    p.add_argument('uuid')
    p.add_argument('--name', dest='group_name', default=None)
    p.add_argument('--max-per-host', type=int, default=None)
    p.set_defaults(func=_handler('update'))
    for name, text in (('show', 'Show a group and its members.'),
                       ('delete', 'Delete a group and its membership.')):
        p = actions.add_parser(name, help=text)
        p.add_argument('uuid')
        p.set_defaults(func=_handler(name))
