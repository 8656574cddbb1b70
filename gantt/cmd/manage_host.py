"""``gantt-manage host``: what an operator asks about compute hosts daily.

::

    gantt-manage host list [--host NAME]   # usage and last report age
    gantt-manage host claims HOST          # the allocations on its nodes

``list`` shows, per compute node, its state (up, down: no report within
service_down_time or forced down, disabled), the age of its last report
and how much of VCPU, MEMORY_MB and DISK_GB is claimed of its capacity.
"""

import time

import sqlalchemy as sa

from gantt.cmd import tables
from gantt.db import api
from gantt.db import models
from gantt.objects import base as obj_base

NOT_FOUND = 2
CLASSES = ('VCPU', 'MEMORY_MB', 'DISK_GB')

_HOST_COLUMNS = ('host', 'node', 'state', 'report age (s)', 'instances',
                 'VCPU', 'MEMORY_MB', 'DISK_GB')


def host_rows(changes, down_time, now=None):
    """One dict per compute node from a full Changes read, by host."""
    now = time.time() if now is None else now
    use = {}
    for inv in changes.inventories:
        if inv['resource_class'] in CLASSES:
            use.setdefault(inv['provider_uuid'], {})[
                inv['resource_class']] = (inv['used'], inv['capacity'])
    instances = {}
    for inst in changes.instances:
        if not inst.get('deleted'):
            key = (inst['host'], inst.get('node'))
            instances[key] = instances.get(key, 0) + 1
    rows = []
    for node in changes.compute_nodes:
        if node.get('deleted'):
            continue
        service = obj_base.field(node.get('node'), 'service')
        seen = node.get('last_seen_up')
        age = None if not seen else max(0.0, now - seen)
        if obj_base.field(service, 'disabled', False):
            state = 'disabled'
        elif age is None or age > down_time or obj_base.field(
                service, 'forced_down', False):
            state = 'down'
        else:
            state = 'up'
        nodename = node['hypervisor_hostname']
        rows.append({
            'host': node['host'], 'node': nodename, 'uuid': node['uuid'],
            'state': state, 'age': age,
            'instances': (instances.get((node['host'], nodename), 0) +
                          instances.get((node['host'], None), 0)),
            'use': use.get(node['uuid'], {})})
    rows.sort(key=lambda r: (r['host'], r['node']))
    return rows


def _amount(use, rc):
    if rc not in use:
        return '-'
    used, capacity = use[rc]
    pct = ' (%d%%)' % round(100.0 * used / capacity) if capacity else ''
    return '%d/%d%s' % (used, capacity, pct)


def format_hosts(rows):
    return tables.table(_HOST_COLUMNS, [
        (r['host'], r['node'], r['state'],
         '-' if r['age'] is None else '%d' % r['age'], r['instances'])
        + tuple(_amount(r['use'], rc) for rc in CLASSES) for r in rows])


def host_list(conf):
    db = api.Database(conf)
    try:
        changes = db.get_changes(0)
    finally:
        db.dispose()
    rows = host_rows(changes, conf.service_down_time)
    if conf.category.only_host:
        rows = [r for r in rows if r['host'] == conf.category.only_host]
    if not rows:
        print('No compute hosts are known%s.' % (
            ' by the name %s' % conf.category.only_host
            if conf.category.only_host else ''))
        return NOT_FOUND if conf.category.only_host else 0
    print(format_hosts(rows))
    return 0


def host_claims(db, host):
    """[(consumer, project, provider, resource class, amount)] held on
    the providers of ``host``'s compute nodes (their whole trees)."""
    nodes = models.ComputeNode.__table__
    rps = models.ResourceProvider.__table__
    allocs = models.Allocation.__table__
    consumers = models.Consumer.__table__
    roots = sa.select(nodes.c.uuid).where(nodes.c.host == host,
                                          nodes.c.deleted == sa.false())
    query = (sa.select(consumers.c.uuid, consumers.c.project_id,
                       rps.c.name, rps.c.uuid, allocs.c.resource_class,
                       allocs.c.used)
             .join(rps, rps.c.id == allocs.c.resource_provider_id)
             .join(consumers, consumers.c.id == allocs.c.consumer_id)
             .where(rps.c.root_provider_uuid.in_(roots))
             .order_by(consumers.c.uuid, rps.c.uuid,
                       allocs.c.resource_class))
    with db.engine.connect() as conn:
        known = conn.execute(roots).first() is not None
        return known, [tuple(row) for row in conn.execute(query)]


def format_claims(claims):
    return tables.table(
        ('consumer', 'project', 'provider', 'resource class', 'amount'),
        [(c, p or '-', name or uuid, rc, amount)
         for c, p, name, uuid, rc, amount in claims])


def host_claims_cmd(conf):
    host = conf.category.claims_host
    db = api.Database(conf)
    try:
        known, claims = host_claims(db, host)
    finally:
        db.dispose()
    if not known:
        print('No compute host %s is known.' % host)
        return NOT_FOUND
    if not claims:
        print('Nothing is claimed on %s.' % host)
        return 0
    print(format_claims(claims))
    consumers = len({c[0] for c in claims})
    print('%d consumer(s) hold claims on %s.' % (consumers, host))
    return 0


def add_command_parsers(subparsers):
    host = subparsers.add_parser('host', help='Compute hosts: usage, '
                                              'report age, claims.')
    actions = host.add_subparsers(dest='action')
    actions.required = True
    p = actions.add_parser('list', help='Every compute node with its '
                                        'state, report age and usage.')
    # Not 'host': a name of its own in the sub-command namespace.
    p.add_argument('--host', dest='only_host', default=None,
                   help='Only this host.')
    p.set_defaults(func=host_list)
    p = actions.add_parser('claims', help='The allocations held on a '
                                          'host\'s providers.')
    p.add_argument('claims_host', metavar='HOST')
    p.set_defaults(func=host_claims_cmd)
