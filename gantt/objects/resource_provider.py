"""ResourceProvider and Inventory: the provider tree a compute reports.

A node's root provider has the node's uuid; its children (NUMA nodes,
physical GPUs, NICs) name a parent in the same tree. :func:`validate_tree`
rejects a tree that is not one tree or that names unknown classes or traits.
"""

from gantt import exception
from gantt.objects import base
from gantt.objects import fields
from gantt import resource_classes
from gantt import traits as traits_mod


@base.GanttObjectRegistry.register
class Inventory(base.GanttObject):
    """What one provider offers of one resource class."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'resource_class': fields.StringField(),
        'total': fields.IntegerField(default=0),
        'reserved': fields.IntegerField(default=0),
        'min_unit': fields.IntegerField(default=1),
        'max_unit': fields.IntegerField(nullable=True, default=None),
        'step_size': fields.IntegerField(default=1),
        'allocation_ratio': fields.FloatField(default=1.0),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)

    def as_dict(self):
        """The store's inventory record (``max_unit`` defaults to total)."""
        max_unit = self.max_unit
        return {'total': self.total, 'reserved': self.reserved,
                'min_unit': self.min_unit,
                'max_unit': self.total if max_unit is None else max_unit,
                'step_size': self.step_size,
                'allocation_ratio': self.allocation_ratio}


@base.GanttObjectRegistry.register
class ResourceProvider(base.GanttObject):
    """One provider of a node's tree (or a sharing provider).

    ``parent_provider_uuid`` is None for the root. ``aggregates`` are
    aggregate uuids; ``traits`` trait names.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'uuid': fields.UUIDField(),
        'name': fields.NameField(nullable=True, default=None),
        'parent_provider_uuid': fields.UUIDField(nullable=True,
                                                 default=None),
        'inventories': fields.ListOfObjectsField('Inventory', default=[]),
        'traits': fields.ListOfStringsField(default=[]),
        'aggregates': fields.ListOfStringsField(default=[]),
    }

    obj_relationships = {
        'inventories': [('1.0', '1.0')],
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)

    def inventory_dict(self):
        """{resource class: inventory record}."""
        return {inv.resource_class: inv.as_dict()
                for inv in self.inventories or ()}


def _invalid(field, reason):
    raise exception.InvalidReport(field=field, reason=reason)


def _check_inventory(where, inv):
    try:
        resource_classes.validate(inv.resource_class)
    except exception.InvalidResourceClass as e:
        _invalid(where + '.resource_class', str(e))
    limit = fields.MAX_RESOURCE_TOTAL
    for name in ('total', 'reserved', 'min_unit', 'step_size'):
        value = getattr(inv, name)
        if value is None or value < 0 or value > limit:
            _invalid('%s.%s' % (where, name), '%r is not in [0, %d]'
                     % (value, limit))
    if inv.reserved > inv.total:
        _invalid(where + '.reserved', '%d is above the total %d'
                 % (inv.reserved, inv.total))
    if inv.step_size < 1 or inv.min_unit < 1:
        _invalid(where + '.step_size', 'min_unit and step_size must be >= 1')
    if inv.max_unit is not None and inv.max_unit < inv.min_unit:
        _invalid(where + '.max_unit', '%d is below min_unit %d'
                 % (inv.max_unit, inv.min_unit))
    ratio = inv.allocation_ratio
    if ratio is None or not 0.0 < ratio <= fields.MAX_ALLOCATION_RATIO:
        _invalid(where + '.allocation_ratio', '%r is not in (0, %g]'
                 % (ratio, fields.MAX_ALLOCATION_RATIO))


def validate_tree(root_uuid, providers, prefix='provider_tree'):
    """Raise InvalidReport unless ``providers`` form one tree at root_uuid.

    Checks: unique uuids, exactly one root (no parent) whose uuid is
    ``root_uuid``, every parent known, no cycle, valid resource classes and
    inventories, valid trait names.
    """
    by_uuid = {}
    for i, rp in enumerate(providers):
        where = '%s[%d]' % (prefix, i)
        if not rp.obj_attr_is_set('uuid') or not rp.uuid:
            _invalid(where + '.uuid', 'is missing')
        if rp.uuid in by_uuid:
            _invalid(where + '.uuid', '%s appears twice' % rp.uuid)
        by_uuid[rp.uuid] = rp
        seen_rc = set()
        for j, inv in enumerate(rp.inventories or ()):
            _check_inventory('%s.inventories[%d]' % (where, j), inv)
            if inv.resource_class in seen_rc:
                _invalid('%s.inventories[%d]' % (where, j),
                         '%s appears twice' % inv.resource_class)
            seen_rc.add(inv.resource_class)
        for trait in rp.traits or ():
            try:
                traits_mod.validate(trait)
            except exception.InvalidTrait as e:
                _invalid(where + '.traits', str(e))
    roots = [rp.uuid for rp in providers if rp.parent_provider_uuid is None]
    if len(roots) != 1:
        _invalid(prefix, 'has %d roots (%s); a tree has exactly one'
                 % (len(roots), ', '.join(roots) or 'none'))
    if roots[0] != root_uuid:
        _invalid(prefix, 'root %s is not the node %s' % (roots[0], root_uuid))
    for rp in providers:
        parent = rp.parent_provider_uuid
        if parent is not None and parent not in by_uuid:
            _invalid(prefix, 'provider %s names parent %s, which is not in '
                     'the tree' % (rp.uuid, parent))
    for rp in providers:
        seen = {rp.uuid}
        current = rp.parent_provider_uuid
        while current is not None:
            if current in seen:
                _invalid(prefix, 'provider %s is in a cycle' % rp.uuid)
            seen.add(current)
            current = by_uuid[current].parent_provider_uuid
