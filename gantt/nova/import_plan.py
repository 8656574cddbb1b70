"""What ``gantt-manage import-nova`` changes in Gantt's store: the
difference between what placement and nova's API database hold (read by
gantt.nova.import_source) and what the store holds, as a list of changes
each of which can be described (a dry run) or applied.

Only differences become changes, so a second import of the same cloud
finds none. Everything is written through the store's own functions (the
same ones gantt-api and the scheduler use); allocations are claimed with
Gantt's claim, so an allocation that does not fit the imported inventory
is refused loudly, never written over capacity. Nothing in the store
that the cloud does not hold is deleted.
"""

import collections

from oslo_serialization import jsonutils

from gantt.db import aggregate as aggregate_db
from gantt.db import allocation as allocation_db
from gantt.db import provider as provider_db
from gantt.db import request_spec as request_spec_db
from gantt.db import resource_class as resource_class_db
from gantt.db import server_group as server_group_db
from gantt.db import trait as trait_db
from gantt import exception
from gantt.nova import request_spec as nova_request_spec
from gantt.nova import translate
from gantt.objects import aggregate as gantt_aggregate

Change = collections.namedtuple('Change', 'kind key summary apply')

INVENTORY_FIELDS = ('total', 'reserved', 'min_unit', 'max_unit',
                    'step_size', 'allocation_ratio')


def _provider(session, uuid):
    try:
        return provider_db.show(session, uuid)
    except exception.ResourceProviderNotFound:
        return None


def _inventories(rp):
    return {rc: {f: inv[f] for f in INVENTORY_FIELDS}
            for rc, inv in provider_db.live_inventories(rp).items()}


def _named(session):
    return {'classes': set(resource_class_db.list_names(session)),
            'traits': set(trait_db.list_names(session))}


def _catalogue_changes(placement, named):
    for rc in placement['resource_classes']:
        if rc not in named['classes']:
            yield Change('resource class', rc, 'create resource class %s'
                         % rc, lambda s, rc=rc: resource_class_db.create(
                             s, rc))
    for name in placement['traits']:
        if name.startswith('CUSTOM_') and name not in named['traits']:
            yield Change('trait', name, 'create trait %s' % name,
                         lambda s, n=name: trait_db.create(s, n))


def _edit(uuid, change):
    return lambda s: provider_db.edit(
        s, uuid, None, lambda row, seq: change(s, row, seq))


def _provider_changes(session, source):
    uuid = source['uuid']
    current = _provider(session, uuid)
    if current is None:
        yield Change('provider', uuid, 'create provider %s (%s)%s' % (
            uuid, source['name'], ' under %s' % source['parent_uuid']
            if source['parent_uuid'] else ''),
            lambda s: provider_db.create(s, uuid, source['name'],
                                         source['parent_uuid']))
        current = {'name': source['name'],
                   'parent_provider_uuid': source['parent_uuid'],
                   'inventories': {}, 'traits': [], 'aggregates': []}
    elif (current['name'], current['parent_provider_uuid']) != (
            source['name'], source['parent_uuid']):
        yield Change('provider', uuid, 'rename/reparent provider %s: %s '
                     'under %s' % (uuid, source['name'],
                                   source['parent_uuid']),
                     lambda s: provider_db.update(s, uuid, source['name'],
                                                  source['parent_uuid']))
    if _inventories(current) != source['inventories']:
        yield Change('inventory', uuid, 'set inventories of %s: %s' % (
            uuid, ', '.join('%s %d' % (rc, inv['total']) for rc, inv in
                            sorted(source['inventories'].items())) or
            'none'), _edit(uuid, lambda s, row, seq:
                           provider_db.set_live_inventories(
                               s, row, seq, source['inventories'])))
    if sorted(current['traits']) != source['traits']:
        yield Change('traits', uuid, 'set traits of %s: %s' % (
            uuid, ', '.join(source['traits']) or 'none'),
            _edit(uuid, lambda s, row, seq: provider_db.set_traits(
                s, row.id, source['traits'])))
    if sorted(current['aggregates']) != source['aggregates']:
        yield Change('aggregates', uuid, 'set aggregates of %s: %s' % (
            uuid, ', '.join(source['aggregates']) or 'none'),
            _edit(uuid, lambda s, row, seq: provider_db.set_aggregates(
                s, row.id, source['aggregates'])))


def _allocation_changes(db, placement):
    """One change per consumer whose allocations, project or user differ;
    they are applied together (see apply)."""
    for consumer, source in sorted(placement['allocations'].items()):
        held = db.get_allocations(consumer)
        now = {rp: entry['resources']
               for rp, entry in held['allocations'].items()}
        if (now, held.get('project_id'), held.get('user_id')) == (
                source['allocations'], source['project_id'],
                source['user_id']):
            continue
        entry = (consumer, {'allocations': {
            rp: {'resources': r}
            for rp, r in source['allocations'].items()}},
            source['project_id'], source['user_id'], None)
        yield Change('allocations', consumer, 'allocate for %s: %s' % (
            consumer, '; '.join('%s %s' % (rp, ', '.join(
                '%s %d' % kv for kv in sorted(r.items())))
                for rp, r in sorted(source['allocations'].items()))), entry)


def _aggregate_changes(session, nova_api):
    current = {a['uuid']: a for a in aggregate_db.changed_since(session, 0)
               if not a['deleted']}
    for agg in nova_api['aggregates']:
        have = current.get(agg['uuid'])
        if have is not None and (have['name'], have['hosts'],
                                 have['metadata']) == (
                agg['name'], agg['hosts'], agg['metadata']):
            continue
        obj = gantt_aggregate.Aggregate(**agg)
        yield Change('host aggregate', agg['uuid'],
                     'save host aggregate %s (%s): hosts %s, metadata %s'
                     % (agg['uuid'], agg['name'],
                        ', '.join(agg['hosts']) or 'none',
                        jsonutils.dumps(agg['metadata'], sort_keys=True)),
                     lambda s, obj=obj: aggregate_db.save(s, obj))


def _member_placements(group, placement):
    """[(instance, host, node)] of a group's members: the host is the
    name of the root provider the instance's allocations are on (nova's
    node name), until a compute reports the instance to Gantt."""
    names = {p['uuid']: p for p in placement['providers']}
    out = []
    for member in group['members']:
        host = None
        for rp in placement['allocations'].get(member, {}).get(
                'allocations', {}):
            root = names.get(rp)
            while root is not None and root['parent_uuid']:
                root = names.get(root['parent_uuid'])
            host = host or (root and root['name'])
        out.append((member, host, host))
    return out


def _group_changes(session, nova_api, placement):
    for group in nova_api['server_groups']:
        uuid = group['uuid']
        have = server_group_db.get(session, uuid)
        if have is None:
            yield Change('server group', uuid, 'create server group %s '
                         '(%s, %s)' % (uuid, group['name'], group['policy']),
                         lambda s, g=group: server_group_db.create(
                             s, g['uuid'], g['name'], g['policy'],
                             g['rules'], g['project_id'], g['user_id']))
        elif (have['name'], have['rules']) != (group['name'],
                                               group['rules']):
            yield Change('server group', uuid, 'update server group %s'
                         % uuid, lambda s, g=group: server_group_db.update(
                             s, g['uuid'], g['name'], g['rules']))
        if sorted(have['members'] if have else ()) != group['members']:
            placements = _member_placements(group, placement)
            yield Change('group members', uuid, 'set members of server '
                         'group %s: %s' % (uuid, ', '.join(
                             group['members']) or 'none'),
                         lambda s, u=uuid, p=placements:
                         server_group_db.set_members(s, u, p))


def gantt_spec_primitive(nova_primitive):
    """The primitive of the Gantt RequestSpec a stored nova RequestSpec
    asks for (as the scheduler reads it at its edge)."""
    spec = nova_request_spec.RequestSpec.obj_from_primitive(nova_primitive)
    gantt_spec = translate.request_spec(spec)
    gantt_spec.obj_reset_changes(recursive=True)
    return jsonutils.loads(jsonutils.dumps(gantt_spec.obj_to_primitive()))


def _spec_changes(session, nova_api):
    for uuid, primitive in sorted(nova_api['request_specs'].items()):
        try:
            wanted = gantt_spec_primitive(primitive)
        except Exception as e:
            raise exception.InvalidRequest(
                reason='request spec of instance %s cannot be read: %s'
                % (uuid, e))
        if request_spec_db.get(session, uuid) == wanted:
            continue
        yield Change('request spec', uuid, 'save request spec of %s'
                     % uuid, lambda s, u=uuid, w=wanted:
                     request_spec_db.save(s, u, w))


def plan(db, placement, nova_api):
    """Every change that would make the store hold what ``placement`` and
    ``nova_api`` hold, in the order they apply."""
    changes = list(db.read(lambda s: list(_catalogue_changes(
        placement, _named(s)))))
    for source in placement['providers']:
        changes += db.read(lambda s: list(_provider_changes(s, source)))
    changes += _allocation_changes(db, placement)
    if nova_api is not None:
        changes += db.read(lambda s: list(_aggregate_changes(s, nova_api)))
        changes += db.read(lambda s: list(_group_changes(
            s, nova_api, placement)))
        changes += db.read(lambda s: list(_spec_changes(s, nova_api)))
    return changes


def apply(db, changes, placement=None):
    """Apply ``changes`` (from plan): the allocations all in one claim
    transaction, everything else one write each, in order; then, given
    the ``placement`` they were planned from, give its providers and
    consumers placement's generations, which nova's computes hold."""
    claims = [c.apply for c in changes if c.kind == 'allocations']
    for change in changes:
        if change.kind != 'allocations':
            db.write(change.apply)
        elif claims:
            db.replace_allocations(claims, check_generations=False)
            claims = None
    if placement is not None and changes:
        db.write(_carry_generations, placement)


def _carry_generations(session, placement):
    for source in placement['providers']:
        if source.get('generation') is not None:
            provider_db.set_generation(session, source['uuid'],
                                       source['generation'])
    for consumer, source in placement['allocations'].items():
        if source.get('generation') is not None:
            allocation_db.set_consumer_generation(session, consumer,
                                                  source['generation'])
