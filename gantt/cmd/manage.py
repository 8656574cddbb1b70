"""gantt-manage: operator commands for the store.

``gantt-manage [--config-file F] db sync [REVISION]`` upgrades the schema,
``db version`` prints the current and newest revisions, and
``allocations audit [--fix] [--grace-seconds N]`` lists (and with --fix
releases) allocations of consumers no compute reports as an instance.
Audit exit codes: 0 nothing found, 3 orphans found, 4 orphans released.
``provider ...``, ``group ...``, ``instance ...``, ``service list |
delete``, ``host list | claims``, ``explain``, ``capacity``, ``reservation
...`` and ``import-nova`` are in manage_provider, manage_group,
manage_instance, manage_service, manage_host, manage_explain,
manage_capacity, manage_reservation and manage_import.
"""

import datetime
import sys

from oslo_config import cfg

from gantt.cmd import manage_capacity
from gantt.cmd import manage_explain
from gantt.cmd import manage_group
from gantt.cmd import manage_instance
from gantt.cmd import manage_host
from gantt.cmd import manage_import
from gantt.cmd import manage_provider
from gantt.cmd import manage_reservation
from gantt.cmd import manage_service
from gantt.db import api
from gantt.db import migration

AUDIT_FOUND = 3
AUDIT_FIXED = 4


def db_sync(conf):
    revision = migration.upgrade(conf, conf.category.revision or 'head')
    print('Database at revision %s' % revision)
    return 0


def db_version(conf):
    current = migration.current(conf)
    print('current: %s' % (current or 'none (empty database)'))
    print('head:    %s' % migration.head())
    return 0


def _grace(conf):
    if conf.category.grace_seconds is not None:
        return conf.category.grace_seconds
    try:
        return conf.scheduler.allocation_audit_grace_period
    except (cfg.NoSuchOptError, cfg.NoSuchGroupError):
        return 3600


def format_orphans(orphans, now=None):
    """The audit result as a text table, one line per allocation."""
    now = now or datetime.datetime.now(datetime.timezone.utc).timestamp()
    header = ('consumer', 'project', 'user', 'idle (s)', 'provider',
              'resource class', 'amount')
    lines = [header]
    for orphan in orphans:
        idle = '%d' % max(0, now - (orphan['updated_at'] or now))
        for rp_uuid, resources in sorted(orphan['allocations'].items()):
            for rc, amount in sorted(resources.items()):
                lines.append((orphan['consumer_uuid'],
                              orphan['project_id'] or '-',
                              orphan['user_id'] or '-', idle, rp_uuid, rc,
                              str(amount)))
    widths = [max(len(line[i]) for line in lines)
              for i in range(len(header))]
    rule = '+' + '+'.join('-' * (w + 2) for w in widths) + '+'
    out = [rule]
    for i, line in enumerate(lines):
        out.append('| ' + ' | '.join(v.ljust(w) for v, w in
                                     zip(line, widths)) + ' |')
        if i == 0:
            out.append(rule)
    out.append(rule)
    return '\n'.join(out)


def allocations_audit(conf):
    fix = conf.category.fix
    db = api.Database(conf)
    try:
        orphans = db.audit_allocations(_grace(conf), fix=fix)
    finally:
        db.dispose()
    if not orphans:
        print('No orphaned allocations.')
        return 0
    print(format_orphans(orphans))
    if fix:
        print('Released the allocations of %d consumers.' % len(orphans))
        return AUDIT_FIXED
    print('%d consumers hold allocations no compute reports; run with '
          '--fix to release them.' % len(orphans))
    return AUDIT_FOUND


def add_command_parsers(subparsers):
    db = subparsers.add_parser('db', help='Database schema commands.')
    db_actions = db.add_subparsers(dest='action')
    db_actions.required = True
    sync = db_actions.add_parser('sync', help='Upgrade the schema.')
    sync.add_argument('revision', nargs='?', default='head',
                      help='Target revision (default: head).')
    sync.set_defaults(func=db_sync)
    version = db_actions.add_parser(
        'version', help='Print the current and newest schema revisions.')
    version.set_defaults(func=db_version)

    allocations = subparsers.add_parser('allocations',
                                        help='Allocation commands.')
    alloc_actions = allocations.add_subparsers(dest='action')
    alloc_actions.required = True
    audit = alloc_actions.add_parser(
        'audit', help='List allocations of consumers that no compute '
                      'reports as an instance.')
    audit.add_argument('--fix', action='store_true',
                       help='Release the orphaned allocations.')
    audit.add_argument('--grace-seconds', type=int, default=None,
                       help='Ignore consumers written more recently than '
                            'this (default: [scheduler] '
                            'allocation_audit_grace_period).')
    audit.set_defaults(func=allocations_audit)

    manage_group.add_command_parsers(subparsers)
    manage_instance.add_command_parsers(subparsers)
    manage_host.add_command_parsers(subparsers)
    manage_import.add_command_parsers(subparsers)
    manage_explain.add_command_parsers(subparsers)
    manage_capacity.add_command_parsers(subparsers)
    manage_reservation.add_command_parsers(subparsers)
    manage_provider.add_command_parsers(subparsers)
    manage_service.add_command_parsers(subparsers)


category_opt = cfg.SubCommandOpt('category', title='Commands',
                                 handler=add_command_parsers)


def build_conf(argv, default_config_files=None):
    """Gantt's options plus the sub-commands, parsed from ``argv``."""
    from gantt import conf as gantt_conf
    conf = cfg.ConfigOpts()
    gantt_conf.register_all(conf)
    conf.register_cli_opt(category_opt)
    conf(args=argv, project='gantt',
         default_config_files=default_config_files)
    return conf


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    conf = build_conf(argv)
    return conf.category.func(conf)


if __name__ == '__main__':
    sys.exit(main())
