"""Inventories in the store: what each provider offers of each class.

A record is total, reserved, min/max unit, step, allocation ratio and the
capacity gantt.fit computes from them; ``used`` belongs to the claims
(gantt.db.allocation) and is never written here. Records come from a
compute report's resources (:func:`inventories_from`) or from an operator's
partial description (:func:`inventory_record`).
"""

import sqlalchemy as sa

from gantt import cpu_resources
from gantt import exception
from gantt import fit
from gantt.db import models
from gantt.objects import base as obj_base

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


def inventories_from(node):
    """The root provider's inventories a ComputeNode report describes:
    VCPU, MEMORY_MB and DISK_GB from its resources, and PCPU from the
    dedicated CPUs of its NUMA cells (gantt.cpu_resources)."""
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
            'capacity': fit.capacity(total, reserved, ratio),
        }
    pcpus = cpu_resources.dedicated_count(obj_base.field(node, 'numa'))
    if pcpus:
        # The dedicated CPUs of the node's NUMA cells, one pinned vCPU
        # each: never over-committed, none reserved (the compute leaves
        # reserved CPUs out of cpu_dedicated_set).
        result[cpu_resources.PCPU] = {
            'total': pcpus, 'reserved': 0, 'min_unit': 1,
            'max_unit': pcpus, 'step_size': 1, 'allocation_ratio': 1.0,
            'capacity': fit.capacity(pcpus, 0, 1.0)}
    return result


def inventory_record(inv):
    """A full inventory record (capacity included) from a partial dict."""
    total = int(inv['total'])
    reserved = int(inv.get('reserved') or 0)
    ratio = float(inv.get('allocation_ratio') or 1.0)
    max_unit = inv.get('max_unit')
    return {'total': total, 'reserved': reserved,
            'min_unit': int(inv.get('min_unit') or 1),
            'max_unit': total if max_unit is None else int(max_unit),
            'step_size': int(inv.get('step_size') or 1),
            'allocation_ratio': ratio,
            'capacity': fit.capacity(total, reserved, ratio)}


def with_capacity(inv):
    """``inv`` (a full record but for capacity) with its capacity set."""
    inv['capacity'] = fit.capacity(inv['total'], inv['reserved'],
                                   inv['allocation_ratio'])
    return inv


def _retired():
    """The figures of an inventory no longer reported: nothing offered."""
    return {'total': 0, 'reserved': 0, 'min_unit': 1, 'max_unit': 0,
            'step_size': 1, 'allocation_ratio': 1.0, 'capacity': 0}


def set_inventories(session, seq, provider_id, provider_uuid, inventories,
                    retire_missing=False, allow_below_used=False):
    """Insert or update inventories; never touches ``used``.

    With ``retire_missing``, classes not in ``inventories`` are set to
    offer nothing. Raises InvalidInventory, before writing anything, when a
    new capacity is below what is already allocated, unless
    ``allow_below_used`` for the classes ``inventories`` names (a reshape's
    interim step, whose transaction checks the final inventories before it
    commits; an operator's PUT, which placement takes and which leaves the
    provider with no room until its consumers leave); a class retired
    while allocated is always refused. True when anything changed (the
    provider's generation is then bumped and stamped).
    """
    existing = {
        row.resource_class: row for row in session.execute(
            sa.select(_inventories)
            .where(_inventories.c.resource_provider_id == provider_id))}
    named = set(inventories)
    if retire_missing:
        inventories = dict(inventories)
        for rc in set(existing) - named:
            inventories[rc] = _retired()
    for rc, new in sorted(inventories.items()):
        old = existing.get(rc)
        if (not (allow_below_used and rc in named) and old is not None and
                new['capacity'] < old.used):
            raise exception.InventoryInUse(
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
