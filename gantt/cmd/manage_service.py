"""``gantt-manage service``: the services the database knows of.

Each scheduler records itself (binary ``gantt-scheduler``) when it starts,
each compute with every report it sends. ``[upgrade_levels] ... = auto``
caps clients at the lowest version a recorded scheduler speaks, and
``gantt-status upgrade check`` looks at every record, so the record of a
service that is gone for good should go too::

    gantt-manage service list [--binary gantt-scheduler] [--versions]
    gantt-manage service delete gantt-scheduler old-host

Deleting a compute (any binary but gantt-scheduler) removes its host's
compute nodes from scheduling too; allocations stay for ``allocations
audit``. A service seen within ``service_down_time`` seconds is left alone
unless ``--force`` is given: a running one records itself again anyway (a
compute with its next report, a scheduler when it restarts).

``--versions`` adds, per service, the scheduler and report API versions
it speaks and the object versions those imply above 1.0, then the cap
each ``[upgrade_levels]`` setting resolves to now (what a client built
from this configuration would send).
"""

import datetime
import time

from gantt.cmd import tables
from gantt.db import api
from gantt.rpcapi import object_versions
from gantt.rpcapi import releases
from gantt.rpcapi import version_cap

NOT_FOUND = 2
REFUSED = 1

_COLUMNS = ('binary', 'host', 'service version', 'RPC version',
            'last seen (UTC)')


def _when(epoch):
    if epoch is None:
        return '-'
    return datetime.datetime.fromtimestamp(
        epoch, datetime.timezone.utc).strftime('%Y-%m-%d %H:%M:%S')


def format_services(services):
    """The services as a text table, one line each."""
    return tables.table(_COLUMNS, [
        (s['binary'], s['host'],
         '-' if s['version'] is None else str(s['version']),
         s['rpc_version'] or '-', _when(s['last_seen_up']))
        for s in services])


def _objects_above_1_0(api_name, version):
    found = object_versions.manifest(api_name, version)
    return ' '.join('%s=%s' % (name, v) for name, v in sorted(found.items())
                    if v != '1.0') or 'all 1.0'


def _speaks(service, api_name):
    try:
        return version_cap.service_speaks(service, api_name)
    except Exception:
        return None


def format_versions(services):
    """Per service: the API versions it speaks and the objects they carry."""
    rows = []
    for s in services:
        row = [s['binary'], s['host']]
        for api_name in releases.APIS:
            version = _speaks(s, api_name)
            row += [version or '-', _objects_above_1_0(api_name, version)
                    if version else '-']
        rows.append(row)
    header = ['binary', 'host']
    for api_name in releases.APIS:
        header += ['%s API' % api_name, '%s objects' % api_name]
    return tables.table(header, rows)


def format_caps(conf, schedulers):
    """What each [upgrade_levels] setting caps clients at, right now."""
    rows = []
    for api_name in releases.APIS:
        newest = object_versions.newest(api_name)
        value = getattr(conf.upgrade_levels, api_name)
        try:
            cap = version_cap.resolve(value, api_name, newest,
                                      releases.aliases(api_name),
                                      lambda: schedulers)
        except Exception as exc:
            rows.append((api_name, value or '(unset)', 'invalid: %s' % exc,
                         '-'))
            continue
        rows.append((api_name, value or '(unset)', cap or newest,
                     _objects_above_1_0(api_name, cap)))
    return tables.table(('API', '[upgrade_levels]', 'clients send up to',
                         'objects above 1.0'), rows)


def service_list(conf):
    db = api.Database(conf)
    try:
        services = db.get_services(binary=conf.category.binary)
        schedulers = (db.get_services(binary=version_cap.SERVER_BINARY)
                      if conf.category.versions else [])
    finally:
        db.dispose()
    print(format_services(services) if services else
          'No services are recorded.')
    if conf.category.versions:
        if services:
            print()
            print(format_versions(services))
        print()
        print(format_caps(conf, schedulers))
    return 0


def service_delete(conf):
    args = conf.category
    db = api.Database(conf)
    try:
        found = db.get_service(args.service_binary, args.service_host)
        if found is None:
            print('No %s service is recorded on host %s.'
                  % (args.service_binary, args.service_host))
            return NOT_FOUND
        seen = found['last_seen_up']
        ago = None if seen is None else time.time() - seen
        if ago is not None and ago < conf.service_down_time and (
                not args.force):
            print('%s on %s was seen %d s ago (service_down_time is %d s): '
                  'it may still run, and a running service records itself '
                  'again. Stop it first, or pass --force.'
                  % (args.service_binary, args.service_host, max(0, ago),
                     conf.service_down_time))
            return REFUSED
        # Anything but a scheduler is a compute: its nodes go with it.
        compute = args.service_binary != version_cap.SERVER_BINARY
        _, nodes = db.delete_service(args.service_binary, args.service_host,
                                     with_nodes=compute)
    finally:
        db.dispose()
    print('Deleted the record of %s on %s%s.' % (
        args.service_binary, args.service_host,
        ' and its %d compute node(s) (a report from it would bring them '
        'back)' % nodes if compute else ''))
    return 0


def add_command_parsers(subparsers):
    service = subparsers.add_parser(
        'service', help='The services recorded in the database.')
    actions = service.add_subparsers(dest='action')
    actions.required = True
    p = actions.add_parser('list', help='List the recorded services.')
    p.add_argument('--binary', default=None,
                   help='Only this binary (gantt-scheduler, gantt-compute).')
    p.add_argument('--versions', action='store_true',
                   help='Also the RPC and object versions each service '
                        'speaks and the caps clients use now.')
    p.set_defaults(func=service_list)
    p = actions.add_parser(
        'delete', help='Forget the record of a service that is gone.')
    # Not 'binary'/'host': names of their own in the sub-command namespace.
    p.add_argument('service_binary', metavar='BINARY')
    p.add_argument('service_host', metavar='HOST')
    p.add_argument('--force', action='store_true',
                   help='Delete even a service seen within '
                        'service_down_time.')
    p.set_defaults(func=service_delete)
