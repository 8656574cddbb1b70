"""Provider trees and sharing providers in the store.

A node report's ``provider_tree`` is written whole in the report's
transaction (:func:`save_tree`): providers, their inventories (through
gantt.db.inventory, which refuses one below what is allocated, so the
previous report stays in force), custom resource classes, traits and
aggregates. The change feed hands out whole trees.
Sharing providers (shared storage and the like) are trees of one provider
that operators manage with ``gantt-manage provider``.
"""

import sqlalchemy as sa

from gantt.db import held
from gantt.db import inventory
from gantt.db import models
from gantt.db import timestamps
from gantt import exception
from gantt import resource_classes
from gantt import traits as traits_mod
from gantt.objects import base as obj_base

_providers = models.ResourceProvider.__table__
_inventories = models.Inventory.__table__
_allocations = models.Allocation.__table__
_classes = models.ResourceClass.__table__
_traits = models.Trait.__table__
_provider_traits = models.ProviderTrait.__table__
_provider_aggs = models.ProviderAggregate.__table__
_tombstones = models.ProviderTombstone.__table__


def ensure_resource_classes(session, names):
    """Validate ``names``; record custom ones not seen before."""
    custom = set()
    for name in names:
        resource_classes.validate(name)
        if resource_classes.is_custom(name):
            custom.add(name)
    if not custom:
        return
    known = set(session.execute(
        sa.select(_classes.c.name).where(_classes.c.name.in_(
            sorted(custom)))).scalars())
    for name in sorted(custom - known):
        session.execute(sa.insert(_classes).values(name=name))


def _trait_ids(session, names):
    names = sorted(traits_mod.validate_all(names))
    if not names:
        return {}
    ids = dict(session.execute(
        sa.select(_traits.c.name, _traits.c.id)
        .where(_traits.c.name.in_(names))).all())
    for name in names:
        if name not in ids:
            ids[name] = session.execute(sa.insert(_traits).values(
                name=name)).inserted_primary_key[0]
    return ids


def set_traits(session, provider_id, names):
    """Replace a provider's traits; True when they changed."""
    ids = _trait_ids(session, names)
    current = dict(session.execute(
        sa.select(_traits.c.name, _traits.c.id)
        .join(_provider_traits, _provider_traits.c.trait_id == _traits.c.id)
        .where(_provider_traits.c.resource_provider_id == provider_id)).all())
    if set(current) == set(ids):
        return False
    session.execute(sa.delete(_provider_traits).where(
        _provider_traits.c.resource_provider_id == provider_id))
    if ids:
        session.execute(sa.insert(_provider_traits), [
            {'resource_provider_id': provider_id, 'trait_id': i}
            for i in sorted(ids.values())])
    return True


def set_aggregates(session, provider_id, uuids):
    """Replace a provider's aggregate uuids; True when they changed."""
    wanted = set(uuids or ())
    current = set(session.execute(
        sa.select(_provider_aggs.c.aggregate_uuid).where(
            _provider_aggs.c.resource_provider_id == provider_id)).scalars())
    if current == wanted:
        return False
    session.execute(sa.delete(_provider_aggs).where(
        _provider_aggs.c.resource_provider_id == provider_id))
    if wanted:
        session.execute(sa.insert(_provider_aggs), [
            {'resource_provider_id': provider_id, 'aggregate_uuid': a}
            for a in sorted(wanted)])
    return True


# -- node trees (compute reports) ---------------------------------------------

def save_tree(session, seq, node, fresh=False):
    """Write a report's provider tree: its providers and their
    inventories, then custom classes, traits and aggregates.

    Raises InvalidInventory (the whole report then rolls back) when an
    inventory would shrink below what is allocated on it.
    """
    _save_providers(session, seq, node)
    _save_extras(session, seq, node, fresh)


def _records(node):
    """[(uuid, name, parent uuid, {rc: inventory})] for the node's tree.

    The root (uuid = node uuid) has VCPU, MEMORY_MB and DISK_GB from
    ``resources``, PCPU from the NUMA cells' dedicated CPUs (unless child
    providers offer PCPU) plus what ``provider_tree`` adds for it (the
    tree wins on the same class); children come from ``provider_tree``
    alone.
    """
    root = inventory.inventories_from(node)
    tree_root = {}
    records = []
    for rp in obj_base.field(node, 'provider_tree', []):
        inventories = {}
        for rc, inv in rp.inventory_dict().items():
            inventories[rc] = inventory.with_capacity(inv)
        if rp.uuid == node.uuid:
            tree_root.update(inventories)
            continue
        records.append((rp.uuid, obj_base.field(rp, 'name', rp.uuid),
                        obj_base.field(rp, 'parent_provider_uuid'),
                        inventories))
    if any('PCPU' in invs for _u, _n, _p, invs in records):
        # The tree offers the dedicated CPUs on child providers (NUMA
        # nodes): the root does not offer them a second time.
        root.pop('PCPU', None)
    root.update(tree_root)
    return [(node.uuid, node.hypervisor_hostname, None, root)] + records


def _upsert_provider(session, seq, uuid, name, root_uuid=None,
                     parent_uuid=None):
    """The id of provider ``uuid``, creating or updating it."""
    root_uuid = root_uuid or uuid
    row = session.execute(
        sa.select(_providers.c.id, _providers.c.name,
                  _providers.c.root_provider_uuid,
                  _providers.c.parent_provider_uuid)
        .where(_providers.c.uuid == uuid)).first()
    values = {'name': name, 'root_provider_uuid': root_uuid,
              'parent_provider_uuid': parent_uuid}
    if row is None:
        return session.execute(sa.insert(_providers).values(
            uuid=uuid, generation=0, change_seq=seq,
            **values)).inserted_primary_key[0]
    if (row.name, row.root_provider_uuid, row.parent_provider_uuid) != (
            name, root_uuid, parent_uuid):
        session.execute(sa.update(_providers)
                        .where(_providers.c.id == row.id)
                        .values(change_seq=seq, **values))
    return row.id


def _save_providers(session, seq, node):
    """Upsert every provider of the node's tree and their inventories.

    A provider or class the report no longer has keeps its row with
    nothing offered (stamped, so readers learn of it); that is refused,
    like any shrink, while allocations remain on it.
    """
    records = _records(node)
    reported = {uuid for uuid, _n, _p, _i in records}
    known = dict(session.execute(
        sa.select(_providers.c.uuid, _providers.c.id)
        .where(_providers.c.root_provider_uuid == node.uuid)).all())
    for uuid, name, parent, inventories in records:
        provider_id = _upsert_provider(session, seq, uuid, name,
                                       root_uuid=node.uuid,
                                       parent_uuid=parent)
        inventory.set_inventories(session, seq, provider_id, uuid,
                                  inventories, retire_missing=True)
    for uuid in sorted(set(known) - reported):
        inventory.set_inventories(session, seq, known[uuid], uuid, {},
                                  retire_missing=True)


def _save_extras(session, seq, node, fresh):
    """Record a report's custom classes and every provider's traits and
    aggregates (_save_providers wrote providers and inventories).

    A provider of the tree the report no longer lists loses its traits
    and aggregates. The root is stamped when anything changed, or when the
    node is ``fresh`` (new, or back after a delete: workers dropped its
    tree and must be sent it again).
    """
    tree = obj_base.field(node, 'provider_tree', []) or []
    ensure_resource_classes(session, {inv.resource_class for rp in tree
                                      for inv in rp.inventories or ()})
    ids = dict(session.execute(
        sa.select(_providers.c.uuid, _providers.c.id)
        .where(_providers.c.root_provider_uuid == node.uuid)).all())
    reported = {rp.uuid: rp for rp in tree}
    changed = False
    for uuid, provider_id in sorted(ids.items()):
        rp = reported.get(uuid)
        changed |= set_traits(session, provider_id, rp.traits if rp else ())
        changed |= set_aggregates(session, provider_id,
                                  rp.aggregates if rp else ())
    if changed or fresh:
        _stamp(session, seq, [node.uuid])
    return changed


def _stamp(session, seq, uuids):
    if uuids:
        session.execute(sa.update(_providers)
                        .where(_providers.c.uuid.in_(sorted(uuids)))
                        .values(change_seq=seq))


def _delete_provider(session, seq, provider_id, uuid):
    held = session.execute(
        sa.select(sa.func.count()).select_from(_allocations)
        .where(_allocations.c.resource_provider_id == provider_id)
    ).scalar_one()
    if held:
        raise exception.ResourceProviderInUse(
            uuid=uuid, reason='it holds %d allocations' % held)
    for table in (_inventories, _provider_traits, _provider_aggs):
        session.execute(sa.delete(table).where(
            table.c.resource_provider_id == provider_id))
    session.execute(sa.delete(_providers).where(_providers.c.id ==
                                                provider_id))
    session.execute(sa.insert(_tombstones).values(uuid=uuid,
                                                  change_seq=seq))


# -- sharing providers (gantt-manage provider) ------------------------------

def _provider_row(session, uuid):
    row = session.execute(sa.select(_providers).where(
        _providers.c.uuid == uuid)).first()
    if row is None:
        raise exception.ResourceProviderNotFound(uuid=uuid)
    return row


def create(session, uuid, name, parent_uuid=None):
    """Create a provider, the root of its own tree or under a parent.

    Raises ResourceProviderExists (uuid or name taken) and
    ResourceProviderNotFound (no such parent).
    """
    seq = session.info['change_seq']
    if session.execute(sa.select(_providers.c.id).where(
            _providers.c.uuid == uuid)).first() is not None:
        raise exception.ResourceProviderExists(what=uuid)
    if name is not None and session.execute(sa.select(_providers.c.id).where(
            _providers.c.name == name)).first() is not None:
        raise exception.ResourceProviderExists(what='named %r' % name)
    root_uuid = uuid
    if parent_uuid is not None:
        root_uuid = _provider_row(session, parent_uuid).root_provider_uuid
    session.execute(sa.delete(_tombstones).where(_tombstones.c.uuid == uuid))
    session.execute(sa.insert(_providers).values(
        uuid=uuid, name=name, root_provider_uuid=root_uuid,
        parent_provider_uuid=parent_uuid, generation=0, change_seq=seq))
    _stamp(session, seq, [root_uuid])
    return show(session, uuid)


def delete(session, uuid):
    seq = session.info['change_seq']
    row = _provider_row(session, uuid)
    if row.root_provider_uuid != uuid or session.execute(
            sa.select(_providers.c.id).where(
                _providers.c.root_provider_uuid == uuid)
            .where(_providers.c.uuid != uuid)).first() is not None:
        raise exception.InvalidInventory(
            reason='provider %s is part of a node tree; the node manages it'
            % uuid)
    _delete_provider(session, seq, row.id, uuid)
    return True


def _edit(session, uuid, change):
    """Apply ``change(row, seq)`` to a provider, stamp it and its root so
    every worker re-reads the tree, and return the provider as shown."""
    seq = session.info['change_seq']
    row = _provider_row(session, uuid)
    change(row, seq)
    _stamp(session, seq, [row.uuid, row.root_provider_uuid])
    return show(session, uuid)


def set_provider_inventory(session, uuid, inventories):
    """Replace a provider's inventories ({rc: partial record})."""
    def change(row, seq):
        ensure_resource_classes(session, inventories)
        records = {rc: inventory.inventory_record(inv)
                   for rc, inv in inventories.items()}
        inventory.set_inventories(session, seq, row.id, uuid, records,
                                  retire_missing=True)
    return _edit(session, uuid, change)


def set_provider_traits(session, uuid, names):
    """Replace a provider's traits."""
    return _edit(session, uuid,
                 lambda row, seq: set_traits(session, row.id, names))


def set_provider_aggregates(session, uuid, aggregate_uuids):
    """Replace a provider's aggregate uuids."""
    return _edit(session, uuid, lambda row, seq: set_aggregates(
        session, row.id, aggregate_uuids))


def _describe(session, rows):
    """Provider dicts (traits, aggregates, inventories) for provider rows."""
    if not rows:
        return []
    ids = [r.id for r in rows]
    traits, aggs, invs = {}, {}, {}
    for pid, name in session.execute(
            sa.select(_provider_traits.c.resource_provider_id, _traits.c.name)
            .join(_traits, _traits.c.id == _provider_traits.c.trait_id)
            .where(_provider_traits.c.resource_provider_id.in_(ids))):
        traits.setdefault(pid, []).append(name)
    for pid, agg in session.execute(
            sa.select(_provider_aggs.c.resource_provider_id,
                      _provider_aggs.c.aggregate_uuid)
            .where(_provider_aggs.c.resource_provider_id.in_(ids))):
        aggs.setdefault(pid, []).append(agg)
    # ``used`` as the fit rule sees it: expired reservations are free.
    for inv in session.execute(
            sa.select(*[c for c in _inventories.c if c.name != 'used'],
                      held.live_used().label('used'))
            .where(_inventories.c.resource_provider_id.in_(ids)),
            {'now': timestamps.utcnow()}):
        invs.setdefault(inv.resource_provider_id, {})[inv.resource_class] = {
            'total': inv.total, 'reserved': inv.reserved,
            'min_unit': inv.min_unit, 'max_unit': inv.max_unit,
            'step_size': inv.step_size,
            'allocation_ratio': inv.allocation_ratio,
            'capacity': inv.capacity, 'used': inv.used}
    return [{'uuid': r.uuid, 'name': r.name,
             'root_provider_uuid': r.root_provider_uuid,
             'parent_provider_uuid': r.parent_provider_uuid,
             'generation': r.generation,
             'traits': sorted(traits.get(r.id, ())),
             'aggregates': sorted(aggs.get(r.id, ())),
             'inventories': invs.get(r.id, {})} for r in rows]


def show(session, uuid):
    return _describe(session, [_provider_row(session, uuid)])[0]


def list_sharing(session):
    """Every provider that is its own root and has no compute node."""
    nodes = models.ComputeNode.__table__
    rows = session.execute(
        sa.select(_providers)
        .where(_providers.c.root_provider_uuid == _providers.c.uuid)
        .where(~sa.exists().where(nodes.c.uuid == _providers.c.uuid))
        .order_by(_providers.c.name, _providers.c.uuid)).all()
    return _describe(session, rows)


def trees_since(session, since):
    """(provider dicts of every tree touched after ``since``, removed uuids).

    A tree is touched when any of its providers is stamped later.
    """
    roots = sorted(set(session.execute(
        sa.select(_providers.c.root_provider_uuid)
        .where(_providers.c.change_seq > since)).scalars()))
    out = []
    for start in range(0, len(roots), 500):
        out += _describe(session, session.execute(
            sa.select(_providers)
            .where(_providers.c.root_provider_uuid.in_(
                roots[start:start + 500]))
            .order_by(_providers.c.id)).all())
    removed = list(session.execute(
        sa.select(_tombstones.c.uuid)
        .where(_tombstones.c.change_seq > since)).scalars())
    return out, removed


# -- providers edited one by one (the placement-compatible API) -------------

def _children(session, uuid):
    return list(session.execute(
        sa.select(_providers.c.uuid)
        .where(_providers.c.parent_provider_uuid == uuid)).scalars())


def _subtree(session, uuid):
    """``uuid`` and every provider below it."""
    out, todo = [], [uuid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(_children(session, current))
    return out


def check_generation(session, uuid, generation):
    """The provider's row, if its generation is ``generation`` (None:
    any); raises ProviderGenerationConflict otherwise."""
    row = _provider_row(session, uuid)
    if generation is not None and generation != row.generation:
        raise exception.ProviderGenerationConflict(
            uuid=uuid, expected=generation, actual=row.generation)
    return row


def edit(session, uuid, generation, change):
    """Apply ``change(row, seq)`` to a provider whose generation is
    ``generation`` (None: any), move its generation on by one, stamp its
    tree, and return the provider as shown.

    Raises ProviderGenerationConflict when the generation is not the
    provider's (a concurrent writer got there first).
    """
    seq = session.info['change_seq']
    row = check_generation(session, uuid, generation)
    change(row, seq)
    session.execute(sa.update(_providers).where(_providers.c.id == row.id)
                    .values(generation=row.generation + 1, change_seq=seq))
    _stamp(session, seq, [row.root_provider_uuid])
    return show(session, uuid)


def update(session, uuid, name, parent_uuid, allow_detach=False):
    """Rename a provider and (re)attach it under ``parent_uuid``; a
    provider cannot become its own ancestor, nor leave a parent for none
    unless ``allow_detach`` (then it roots its own tree).
    """
    seq = session.info['change_seq']
    row = _provider_row(session, uuid)
    if name != row.name and name is not None and session.execute(
            sa.select(_providers.c.id).where(_providers.c.name == name)
            .where(_providers.c.id != row.id)).first() is not None:
        raise exception.ResourceProviderExists(what='named %r' % name)
    root_uuid = row.root_provider_uuid
    if parent_uuid != row.parent_provider_uuid:
        if parent_uuid is None and not allow_detach:
            raise exception.InvalidInventory(
                reason='provider %s cannot be detached from its parent %s'
                % (uuid, row.parent_provider_uuid))
        subtree = _subtree(session, uuid)
        if parent_uuid in subtree:
            raise exception.InvalidInventory(
                reason='provider %s cannot be the parent of its ancestor %s'
                % (parent_uuid, uuid))
        root_uuid = (uuid if parent_uuid is None else _provider_row(
            session, parent_uuid).root_provider_uuid)
        session.execute(sa.update(_providers)
                        .where(_providers.c.uuid.in_(subtree))
                        .values(root_provider_uuid=root_uuid,
                                change_seq=seq))
    session.execute(sa.update(_providers).where(_providers.c.id == row.id)
                    .values(name=name, parent_provider_uuid=parent_uuid,
                            change_seq=seq))
    _stamp(session, seq, {root_uuid, row.root_provider_uuid})
    return show(session, uuid)


def remove(session, uuid):
    """Delete a provider that has no children and holds no allocations."""
    seq = session.info['change_seq']
    row = _provider_row(session, uuid)
    children = _children(session, uuid)
    if children:
        raise exception.ResourceProviderHasChildren(
            uuid=uuid, reason='it is the parent of %s' % ', '.join(children))
    _delete_provider(session, seq, row.id, uuid)
    if row.root_provider_uuid != uuid:
        _stamp(session, seq, [row.root_provider_uuid])
    return True


def set_live_inventories(session, row, seq, inventories, interim=False,
                         below_used=False):
    """Replace ``row``'s inventories ({rc: partial record}); classes left
    out stop being offered (refused while allocated).

    ``interim`` (a reshape's first step): the classes left out stay as
    they are, and a capacity may drop below what is allocated for the
    rest of the transaction, which checks the final inventories.
    ``below_used``: a class kept may offer less than its consumers hold
    (they keep it; nothing more fits until enough of them leave).
    """
    ensure_resource_classes(session, inventories)
    records = {rc: inventory.inventory_record(inv)
               for rc, inv in inventories.items()}
    inventory.set_inventories(session, seq, row.id, row.uuid, records,
                              retire_missing=not interim,
                              allow_below_used=interim or below_used)


def live_inventories(provider):
    """A shown provider's inventories that offer something (Gantt keeps a
    class no longer offered as a row with a total of 0)."""
    return {rc: inv for rc, inv in provider['inventories'].items()
            if inv['total'] > 0}


def list_filtered(session, uuid=None, name=None, in_tree=None,
                  member_of=(), required=(), forbidden=(),
                  forbidden_aggs=()):
    """Providers matching every filter given, as shown.

    ``member_of`` is a list of sets of aggregate uuids: a provider is in at
    least one of each set, and in none of ``forbidden_aggs``. ``required``
    and ``forbidden`` are trait names.
    """
    query = sa.select(_providers).order_by(_providers.c.id)
    if uuid is not None:
        query = query.where(_providers.c.uuid == uuid)
    if name is not None:
        query = query.where(_providers.c.name == name)
    if in_tree is not None:
        query = query.where(_providers.c.root_provider_uuid ==
                            _provider_row(session, in_tree).root_provider_uuid)
    for any_of in member_of:
        query = query.where(_providers.c.id.in_(
            sa.select(_provider_aggs.c.resource_provider_id).where(
                _provider_aggs.c.aggregate_uuid.in_(sorted(any_of)))))
    if forbidden_aggs:
        query = query.where(_providers.c.id.not_in(
            sa.select(_provider_aggs.c.resource_provider_id).where(
                _provider_aggs.c.aggregate_uuid.in_(sorted(forbidden_aggs)))))
    has_trait = (sa.select(_provider_traits.c.resource_provider_id)
                 .join(_traits, _traits.c.id == _provider_traits.c.trait_id))
    for name_ in sorted(required):
        query = query.where(_providers.c.id.in_(
            has_trait.where(_traits.c.name == name_)))
    if forbidden:
        query = query.where(_providers.c.id.not_in(
            has_trait.where(_traits.c.name.in_(sorted(forbidden)))))
    return _describe(session, session.execute(query).all())


def allocations_on(session, uuid):
    """(provider row, {consumer uuid: {rc: amount}}) held on a provider."""
    row = _provider_row(session, uuid)
    consumers = models.Consumer.__table__
    held = {}
    for consumer, rc, amount in session.execute(
            sa.select(consumers.c.uuid, _allocations.c.resource_class,
                      _allocations.c.used)
            .join(consumers, consumers.c.id == _allocations.c.consumer_id)
            .where(_allocations.c.resource_provider_id == row.id)):
        held.setdefault(consumer, {})[rc] = amount
    return row, held
