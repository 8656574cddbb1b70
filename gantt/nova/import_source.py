"""Read a running cloud's placement database and nova API database into
plain values (providers, allocations, host aggregates, server groups,
request specs) for ``gantt-manage import-nova``.

Only SQLAlchemy Core over the tables placement 16 and nova 34 create
(placement/db/sqlalchemy/models.py, nova/db/api/models.py); neither
project is imported.
"""

import os_resource_classes
from oslo_serialization import jsonutils
import sqlalchemy as sa

from gantt import exception

PLACEMENT_TABLES = (
    'resource_providers', 'inventories', 'allocations', 'resource_classes',
    'traits', 'resource_provider_traits', 'placement_aggregates',
    'resource_provider_aggregates', 'consumers', 'projects', 'users')
NOVA_API_TABLES = (
    'aggregates', 'aggregate_hosts', 'aggregate_metadata', 'instance_groups',
    'instance_group_policy', 'instance_group_member', 'request_specs')


def _tables(engine, names, what):
    """{name: Table} reflected from ``engine``; a missing table is an
    error naming the database and the table."""
    found = set(sa.inspect(engine).get_table_names())
    missing = [n for n in names if n not in found]
    if missing:
        raise exception.InvalidRequest(
            reason='%s at %s has no table %s: is it a %s database?'
            % (what, engine.url.render_as_string(hide_password=True),
               ', '.join(missing), what))
    meta = sa.MetaData()
    return {n: sa.Table(n, meta, autoload_with=engine) for n in names}


def _engine(url, what):
    try:
        return sa.create_engine(url)
    except Exception as e:
        raise exception.InvalidRequest(
            reason='cannot open the %s database %r: %s' % (what, url, e))


def _class_names(conn, t):
    """{resource class id: name}: the table's rows, and for ids it lacks
    the standard classes, whose ids are their os-resource-classes index."""
    names = dict(enumerate(os_resource_classes.STANDARDS))
    rc = t['resource_classes']
    names.update({row.id: row.name for row in conn.execute(sa.select(rc))})
    return names


def _providers(conn, t, classes):
    rp = t['resource_providers']
    rows = conn.execute(sa.select(rp).order_by(rp.c.id)).all()
    uuid_of = {r.id: r.uuid for r in rows}
    out = {r.uuid: {'uuid': r.uuid, 'name': r.name,
                    'generation': r.generation,
                    'parent_uuid': uuid_of.get(r.parent_provider_id),
                    'inventories': {}, 'traits': [], 'aggregates': []}
           for r in rows}
    inv = t['inventories']
    for r in conn.execute(sa.select(inv)):
        out[uuid_of[r.resource_provider_id]]['inventories'][
            classes[r.resource_class_id]] = {
                'total': r.total, 'reserved': r.reserved,
                'min_unit': r.min_unit, 'max_unit': r.max_unit,
                'step_size': r.step_size,
                'allocation_ratio': float(r.allocation_ratio)}
    traits, links = t['traits'], t['resource_provider_traits']
    for rp_id, name in conn.execute(
            sa.select(links.c.resource_provider_id, traits.c.name)
            .join(traits, traits.c.id == links.c.trait_id)):
        out[uuid_of[rp_id]]['traits'].append(name)
    aggs, links = t['placement_aggregates'], t['resource_provider_aggregates']
    for rp_id, agg in conn.execute(
            sa.select(links.c.resource_provider_id, aggs.c.uuid)
            .join(aggs, aggs.c.id == links.c.aggregate_id)):
        out[uuid_of[rp_id]]['aggregates'].append(agg)
    for p in out.values():
        p['traits'].sort()
        p['aggregates'].sort()
    return _parents_first(out)


def _parents_first(providers):
    """The providers as a list in which every parent precedes its
    children."""
    ordered, placed = [], set()
    pending = sorted(providers.values(), key=lambda p: p['uuid'])
    while pending:
        later = []
        for p in pending:
            if p['parent_uuid'] is None or p['parent_uuid'] in placed:
                ordered.append(p)
                placed.add(p['uuid'])
            else:
                later.append(p)
        if len(later) == len(pending):
            raise exception.InvalidRequest(
                reason='placement providers %s name parents that are not '
                       'providers' % ', '.join(p['uuid'] for p in later))
        pending = later
    return ordered


def _allocations(conn, t, classes, providers):
    alloc, cons = t['allocations'], t['consumers']
    projects, users = t['projects'], t['users']
    owners = {r.uuid: (r.project, r.user, r.generation) for r in conn.execute(
        sa.select(cons.c.uuid, cons.c.generation,
                  projects.c.external_id.label('project'),
                  users.c.external_id.label('user'))
        .join(projects, projects.c.id == cons.c.project_id)
        .join(users, users.c.id == cons.c.user_id))}
    rp_uuid = {r.id: r.uuid for r in conn.execute(
        sa.select(t['resource_providers'].c.id,
                  t['resource_providers'].c.uuid))}
    out = {}
    for r in conn.execute(sa.select(alloc).order_by(alloc.c.id)):
        project, user, generation = owners.get(r.consumer_id,
                                               (None, None, None))
        consumer = out.setdefault(r.consumer_id, {
            'project_id': project, 'user_id': user,
            'generation': generation, 'allocations': {}})
        consumer['allocations'].setdefault(
            rp_uuid[r.resource_provider_id], {})[
                classes[r.resource_class_id]] = r.used
    return out


def read_placement(url):
    """{'resource_classes', 'traits', 'providers' (parents first),
    'allocations' ({consumer: {project_id, user_id, allocations: {rp:
    {rc: amount}}}})} from a placement database."""
    engine = _engine(url, 'placement')
    try:
        t = _tables(engine, PLACEMENT_TABLES, 'placement')
        with engine.connect() as conn:
            classes = _class_names(conn, t)
            providers = _providers(conn, t, classes)
            return {
                'resource_classes': sorted(
                    n for n in classes.values() if n.startswith('CUSTOM_')),
                'traits': sorted(conn.execute(
                    sa.select(t['traits'].c.name)).scalars()),
                'providers': providers,
                'allocations': _allocations(conn, t, classes, providers)}
    finally:
        engine.dispose()


def _host_aggregates(conn, t):
    aggs = {r.id: {'id': r.id, 'uuid': r.uuid, 'name': r.name, 'hosts': [],
                   'metadata': {}}
            for r in conn.execute(sa.select(t['aggregates']))}
    for r in conn.execute(sa.select(t['aggregate_hosts'])):
        aggs[r.aggregate_id]['hosts'].append(r.host)
    for r in conn.execute(sa.select(t['aggregate_metadata'])):
        aggs[r.aggregate_id]['metadata'][r.key] = r.value
    for agg in aggs.values():
        agg['hosts'].sort()
    return sorted(aggs.values(), key=lambda a: a['uuid'])


def _server_groups(conn, t):
    groups = {r.id: {'uuid': r.uuid, 'name': r.name,
                     'project_id': r.project_id, 'user_id': r.user_id,
                     'policy': None, 'rules': {}, 'members': []}
              for r in conn.execute(sa.select(t['instance_groups']))}
    for r in conn.execute(sa.select(t['instance_group_policy'])):
        group = groups[r.group_id]
        group['policy'] = r.policy
        # nova keeps rule values as strings ("1"); Gantt's are integers.
        group['rules'] = {k: int(v) if str(v).isdigit() else v
                          for k, v in jsonutils.loads(r.rules or '{}')
                          .items()}
    for r in conn.execute(sa.select(t['instance_group_member'])):
        groups[r.group_id]['members'].append(r.instance_uuid)
    for group in groups.values():
        group['members'].sort()
    return sorted(groups.values(), key=lambda g: g['uuid'])


def read_nova_api(url):
    """{'aggregates', 'server_groups', 'request_specs' ({instance uuid:
    nova's RequestSpec primitive})} from a nova API database."""
    engine = _engine(url, 'nova API')
    try:
        t = _tables(engine, NOVA_API_TABLES, 'nova API')
        with engine.connect() as conn:
            specs = t['request_specs']
            return {
                'aggregates': _host_aggregates(conn, t),
                'server_groups': _server_groups(conn, t),
                'request_specs': {
                    r.instance_uuid: jsonutils.loads(r.spec)
                    for r in conn.execute(sa.select(
                        specs.c.instance_uuid, specs.c.spec))}}
    finally:
        engine.dispose()
