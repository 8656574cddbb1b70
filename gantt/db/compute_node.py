"""Compute reports in the store: the node row, its root provider, inventories.

A report is stored whole (the ComputeNode primitive) so a restarted
scheduler rebuilds every host from the table; the VCPU, MEMORY_MB and
DISK_GB inventories of the node's root provider follow its resources, and
the providers of its ``provider_tree`` (children included) are upserted.
"""

from oslo_serialization import jsonutils
import sqlalchemy as sa

from gantt import fit
from gantt.db import models
from gantt.db import provider as provider_db
from gantt.db import service
from gantt.db import timestamps
from gantt import exception
from gantt.objects import base as obj_base

_nodes = models.ComputeNode.__table__
_providers = models.ResourceProvider.__table__
_inventories = models.Inventory.__table__

# resource class -> (total field, reserved field, ratio field, default ratio)
RESOURCE_FIELDS = {
    'VCPU': ('vcpus', 'reserved_vcpus', 'cpu_allocation_ratio', 16.0),
    'MEMORY_MB': ('memory_mb', 'reserved_memory_mb', 'ram_allocation_ratio',
                  1.5),
    'DISK_GB': ('local_gb', 'reserved_disk_gb', 'disk_allocation_ratio',
                1.0),
}
INVENTORY_KEYS = ('total', 'reserved', 'min_unit', 'max_unit', 'step_size',
                  'allocation_ratio', 'capacity')


capacity = fit.capacity


def inventories_from(node):
    """The root provider's inventories a ComputeNode report describes."""
    resources = obj_base.field(node, 'resources')
    if resources is None:
        return {}
    result = {}
    for rc, (total_f, reserved_f, ratio_f, ratio_default) in (
            RESOURCE_FIELDS.items()):
        total = int(obj_base.field(resources, total_f, 0))
        reserved = int(obj_base.field(resources, reserved_f, 0))
        ratio = float(obj_base.field(resources, ratio_f, ratio_default))
        result[rc] = {
            'total': total, 'reserved': reserved, 'min_unit': 1,
            'max_unit': total, 'step_size': 1, 'allocation_ratio': ratio,
            'capacity': capacity(total, reserved, ratio),
        }
    return result


def upsert_provider(session, seq, uuid, name, root_uuid=None,
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


def provider_records(node):
    """[(uuid, name, parent uuid, {rc: inventory})] for the node's tree.

    The root (uuid = node uuid) has VCPU, MEMORY_MB and DISK_GB from
    ``resources`` plus what ``provider_tree`` adds for it (the tree wins on
    the same class); children come from ``provider_tree`` alone.
    """
    root = inventories_from(node)
    records = []
    for rp in obj_base.field(node, 'provider_tree', []):
        inventories = {}
        for rc, inv in rp.inventory_dict().items():
            inv['capacity'] = capacity(inv['total'], inv['reserved'],
                                       inv['allocation_ratio'])
            inventories[rc] = inv
        if rp.uuid == node.uuid:
            root.update(inventories)
            continue
        records.append((rp.uuid, obj_base.field(rp, 'name', rp.uuid),
                        obj_base.field(rp, 'parent_provider_uuid'),
                        inventories))
    return [(node.uuid, node.hypervisor_hostname, None, root)] + records


def _retired():
    """The figures of an inventory no longer reported: nothing offered."""
    return {'total': 0, 'reserved': 0, 'min_unit': 1, 'max_unit': 0,
            'step_size': 1, 'allocation_ratio': 1.0, 'capacity': 0}


def save_tree(session, seq, node):
    """Upsert every provider of the node's tree and their inventories.

    A provider or class the report no longer has keeps its row with
    nothing offered (stamped, so readers learn of it); that is refused,
    like any shrink, while allocations remain on it.
    """
    records = provider_records(node)
    reported = {uuid for uuid, _n, _p, _i in records}
    known = dict(session.execute(
        sa.select(_providers.c.uuid, _providers.c.id)
        .where(_providers.c.root_provider_uuid == node.uuid)).all())
    for uuid, name, parent, inventories in records:
        provider_id = upsert_provider(session, seq, uuid, name,
                                      root_uuid=node.uuid,
                                      parent_uuid=parent)
        set_inventories(session, seq, provider_id, uuid, inventories,
                        retire_missing=True)
    for uuid in sorted(set(known) - reported):
        set_inventories(session, seq, known[uuid], uuid, {},
                        retire_missing=True)


def set_inventories(session, seq, provider_id, provider_uuid, inventories,
                    retire_missing=False):
    """Insert or update inventories; never touches ``used``.

    With ``retire_missing``, classes not in ``inventories`` are set to
    offer nothing. Raises InvalidInventory, before writing anything, when a
    new capacity is below what is already allocated.
    """
    existing = {
        row.resource_class: row for row in session.execute(
            sa.select(_inventories)
            .where(_inventories.c.resource_provider_id == provider_id))}
    if retire_missing:
        inventories = dict(inventories)
        for rc in set(existing) - set(inventories):
            inventories[rc] = _retired()
    for rc, new in sorted(inventories.items()):
        old = existing.get(rc)
        if old is not None and new['capacity'] < old.used:
            raise exception.InvalidInventory(
                reason='provider %s %s capacity %d (total %d, reserved %d, '
                       'allocation_ratio %s) is below the %d already '
                       'allocated' % (provider_uuid, rc, new['capacity'],
                                      new['total'], new['reserved'],
                                      new['allocation_ratio'], old.used))
    changed = False
    for rc, new in sorted(inventories.items()):
        old = existing.get(rc)
        if old is None:
            session.execute(sa.insert(_inventories).values(
                resource_provider_id=provider_id, resource_class=rc, used=0,
                change_seq=seq, **new))
            changed = True
        elif any(getattr(old, k) != new[k] for k in INVENTORY_KEYS):
            session.execute(sa.update(_inventories)
                            .where(_inventories.c.id == old.id)
                            .values(change_seq=seq, **new))
            changed = True
    if changed:
        session.execute(sa.update(_providers)
                        .where(_providers.c.id == provider_id)
                        .values(generation=_providers.c.generation + 1,
                                change_seq=seq))
    return changed


_CHANGES_KEY = 'versioned_object.changes'

# The stored report and when its provider tree was last written: by a
# report that changed it, or by an operator (gantt-manage provider).
_STORED = (
    sa.select(_nodes.c.id, _nodes.c.report_seq, _nodes.c.deleted,
              _nodes.c.data, _nodes.c.change_seq,
              sa.select(_providers.c.change_seq)
              .where(_providers.c.uuid == _nodes.c.uuid)
              .scalar_subquery().label('tree_seq'))
    .where(_nodes.c.uuid == sa.bindparam('uuid')))


def _facts(primitive):
    """A report primitive without what every report changes: its sequence
    and the change lists (their order is a set's)."""
    if isinstance(primitive, dict):
        return {k: (None if k == 'report_seq' else _facts(v))
                for k, v in primitive.items() if k != _CHANGES_KEY}
    if isinstance(primitive, list):
        return [_facts(v) for v in primitive]
    return primitive


def _tree_as_stored(row, primitive):
    """Whether the provider tree stored for this node is exactly what the
    report would write: the stored report says the same, sequence aside,
    and nothing wrote the tree since it was stored."""
    if row is None or row.deleted or row.tree_seq is None or (
            row.tree_seq > row.change_seq):
        return False
    try:
        stored = jsonutils.loads(row.data)
    except (TypeError, ValueError):
        return False
    return _facts(stored) == _facts(primitive)


def save(session, node):
    """Store a report; False (nothing written) when it is not newer.

    Computes re-report unchanged facts every period; when the stored tree
    is already what such a report describes, only the node row (sequence,
    liveness) and the service are written.
    """
    seq = session.info['change_seq']
    if hasattr(node, 'validate'):
        node.validate()
    report_seq = int(obj_base.field(node, 'report_seq', 0))
    row = session.execute(_STORED, {'uuid': node.uuid}).first()
    if row is not None and not row.deleted and report_seq <= row.report_seq:
        return False
    now = timestamps.utcnow()
    primitive = node.obj_to_primitive()
    if not _tree_as_stored(row, primitive):
        save_tree(session, seq, node)
        provider_db.save_tree_extras(session, seq, node,
                                     fresh=row is None or row.deleted)
    values = {
        'host': node.host,
        'hypervisor_hostname': node.hypervisor_hostname,
        'cell_uuid': obj_base.field(node, 'cell_uuid'),
        'report_seq': report_seq,
        'data': jsonutils.dumps(primitive),
        'last_seen_up': now,
        'deleted': False,
        'change_seq': seq,
    }
    if row is None:
        session.execute(sa.insert(_nodes).values(uuid=node.uuid, **values))
    else:
        session.execute(sa.update(_nodes).where(_nodes.c.id == row.id)
                        .values(**values))
    status = obj_base.field(node, 'service')
    service.touch(session, seq,
                  obj_base.field(status, 'binary', 'gantt-compute'),
                  node.host, version=obj_base.field(status, 'version'),
                  now=now)
    return True


def _soft_delete(session, match):
    """Mark the live nodes ``match`` selects deleted (stamped, so readers
    learn of it); how many there were."""
    return session.execute(
        sa.update(_nodes).where(match).where(_nodes.c.deleted == sa.false())
        .values(deleted=True, change_seq=session.info['change_seq'])
    ).rowcount


def delete(session, uuid):
    """Soft-delete a node; True if it was live."""
    return _soft_delete(session, _nodes.c.uuid == uuid) > 0


def delete_host(session, host):
    """Soft-delete every node of ``host``; how many there were."""
    return _soft_delete(session, _nodes.c.host == host)


_registered = False


def load_node(data):
    """The ComputeNode object a stored primitive describes."""
    global _registered
    from gantt import objects
    from gantt.objects import base
    if not _registered:
        objects.register_all()
        _registered = True
    return base.GanttObject.obj_from_primitive(jsonutils.loads(data))
