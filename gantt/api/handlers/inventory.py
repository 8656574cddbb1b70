"""/resource_providers/{uuid}/inventories[/{resource_class}]: what a
provider offers, each write checked against the provider's generation."""

import os_resource_classes as orc

from gantt.api import errors
from gantt.api import http
from gantt.api.schemas import inventory as schemas
from gantt.api import validation
from gantt.db import provider as provider_db
from gantt import exception
from gantt import fit
from gantt import resource_classes

FIELDS = ('total', 'reserved', 'min_unit', 'max_unit', 'step_size',
          'allocation_ratio')
# What a record leaves out, as placement fills it in.
_DEFAULTS = {'reserved': 0, 'min_unit': 1, 'max_unit': schemas.MAX_INT,
             'step_size': 1, 'allocation_ratio': 1.0}


_ORDER = {rc: i for i, rc in enumerate(orc.STANDARDS)}


def _show(inv):
    return {k: inv[k] for k in FIELDS}


class BadClass(errors.Error):
    """A resource class that is neither standard nor a custom name."""


def checked(req, rc, data, uuid=None, action='update'):
    """A validated inventory record for class ``rc`` (``data`` checked
    against placement's record schema, and its capacity against the fit
    rule's); ``uuid`` and ``action`` word the refusal."""
    try:
        resource_classes.validate(rc)
    except exception.InvalidResourceClass:
        raise BadClass(400, 'No such resource class %s.' % rc)
    validation.check(data, schemas.RECORD)
    record = {k: data[k] for k in FIELDS if k in data}
    full = dict(_DEFAULTS, **record)
    if full['min_unit'] > full['max_unit']:
        raise errors.Error(400, 'Bad inventory %s for resource provider %s: '
                           'min_unit %d is above max_unit %d' % (
                               rc, uuid, full['min_unit'],
                               full['max_unit']))
    if http.at_least(req, (1, 26)):
        # From 1.26 all of the total may be reserved (a capacity of 0).
        bad = full['reserved'] > full['total'] or full[
            'allocation_ratio'] < 0
        why = 'greater than total'
    else:
        bad = fit.capacity(full['total'], full['reserved'],
                           full['allocation_ratio']) <= 0
        why = 'greater than or equal to total'
    if bad:
        raise errors.Error(
            400, "Unable to %s inventory for resource provider %s: Invalid "
            "inventory for '%s' on resource provider '%s'. The reserved "
            "value is %s." % (action, uuid, rc, uuid, why))
    if 'allocation_ratio' in record:
        record['allocation_ratio'] = float(record['allocation_ratio'])
    return record


def _current(rp):
    return {rc: _show(inv)
            for rc, inv in provider_db.live_inventories(rp).items()}


def _write(req, uuid, generation, build):
    """Replace the provider's inventories with ``build(current)`` in one
    transaction checked against ``generation``; the provider after."""
    wanted = {}

    def change(session, uuid):
        def apply(row, seq):
            current = _current(provider_db.show(session, uuid))
            wanted.update(build(current))
            # As placement: a class kept may shrink below what its
            # consumers hold (a compute raising its reserved amount);
            # only removing a class still allocated is refused.
            provider_db.set_live_inventories(session, row, seq, wanted,
                                             below_used=True)
        return provider_db.edit(session, uuid, generation, apply)
    try:
        return http.db(req).write(change, uuid)
    except exception.InventoryInUse:
        raise _in_use(http.db(req).read(provider_db.show, uuid), wanted)


def _in_use(rp, wanted):
    """placement's 409 naming the classes whose allocations the new
    inventories (``wanted``) would no longer cover."""
    held = []
    for rc, inv in provider_db.live_inventories(rp).items():
        new = wanted.get(rc)
        room = 0 if new is None else fit.capacity(
            new['total'], new.get('reserved', 0),
            new.get('allocation_ratio', 1.0))
        if inv['used'] and room < inv['used']:
            held.append(rc)
    # Named in placement's order: the standard classes' own, then custom.
    held.sort(key=lambda rc: (_ORDER.get(rc, len(_ORDER)), rc))
    return errors.Error(409, "Inventory for '%s' on resource provider '%s' "
                        "in use." % (', '.join(held), rp['uuid']),
                        errors.INVENTORY_IN_USE)


def _listing(rp):
    return {'resource_provider_generation': rp['generation'],
            'inventories': _current(rp)}


def index(req, uuid):
    return http.json(_listing(http.db(req).read(provider_db.show, uuid)))


def _generation_matches(rp, generation):
    if rp['generation'] != generation:
        raise errors.Error(409, 'resource provider generation conflict',
                           errors.CONCURRENT_UPDATE)


def _generation_checked_body(req, uuid, versions):
    """The body of a write to an existing provider, checked against
    ``versions``' schema, and the provider's generation it names (409
    unless the provider's own), in the order placement checks them."""
    validation.require_json(req)
    rp = http.db(req).read(provider_db.show, uuid)
    data = validation.body(req, versions)
    generation = data['resource_provider_generation']
    _generation_matches(rp, generation)
    return data, generation


def replace(req, uuid):
    data, generation = _generation_checked_body(req, uuid, schemas.ALL)
    try:
        wanted = {rc: checked(req, rc, inv, uuid)
                  for rc, inv in data['inventories'].items()}
    except BadClass as e:
        raise errors.Error(400, 'Unknown resource class in inventory for '
                           'resource provider %s: %s' % (uuid, e.detail))
    return http.json(_listing(_write(req, uuid, generation,
                                     lambda current: wanted)))


def delete_all(req, uuid):
    if not http.at_least(req, (1, 5)):
        raise errors.Error(405, 'The method DELETE is not allowed for this '
                           'resource before microversion 1.5.')
    rp = http.db(req).read(provider_db.show, uuid)
    _write(req, uuid, rp['generation'], lambda current: {})
    return http.empty()


def add(req, uuid):
    validation.require_json(req)
    http.db(req).read(provider_db.show, uuid)
    data = validation.body(req, schemas.NEW)
    # Optional here, as in placement: POST adds a class, whatever the
    # provider's generation.
    generation = data.get('resource_provider_generation')
    rc = data['resource_class']
    try:
        record = checked(req, rc, {k: v for k, v in data.items()
                                   if k != 'resource_class'}, uuid,
                         'create')
    except BadClass as e:
        raise errors.Error(400, 'Unable to create inventory for resource '
                           'provider %s: %s' % (uuid, e.detail))

    def build(current):
        if rc in current:
            raise errors.Error(
                409, 'Update conflict: the resource provider %s already '
                'has an inventory of %s' % (uuid, rc),
                errors.CONCURRENT_UPDATE)
        return dict(current, **{rc: record})
    rp = _write(req, uuid, generation, build)
    resp = http.json(dict(_show(provider_db.live_inventories(rp)[rc]),
                          resource_provider_generation=rp['generation']),
                     status=201)
    resp.headers['Location'] = '/resource_providers/%s/inventories/%s' % (
        uuid, rc)
    return resp


def _one(rp, rc):
    inv = provider_db.live_inventories(rp).get(rc)
    if inv is None:
        raise errors.Error(404, 'No inventory of class %s for %s'
                           % (rc, rp['uuid']))
    return dict(_show(inv), resource_provider_generation=rp['generation'])


def show(req, uuid, resource_class):
    return http.json(_one(http.db(req).read(provider_db.show, uuid),
                          resource_class))


def update(req, uuid, resource_class):
    data, generation = _generation_checked_body(req, uuid, schemas.ONE)
    try:
        record = checked(req, resource_class, data, uuid)
    except BadClass as e:
        raise errors.Error(400, 'No inventory record with resource class '
                           'for resource provider %s: %s' % (uuid, e.detail))

    def build(current):
        if resource_class not in current:
            raise errors.Error(400, 'No inventory record with resource '
                               'class for resource provider %s: No '
                               'inventory of class %s found.'
                               % (uuid, resource_class))
        return dict(current, **{resource_class: record})
    return http.json(_one(_write(req, uuid, generation, build),
                          resource_class))


def delete(req, uuid, resource_class):
    rp = http.db(req).read(provider_db.show, uuid)

    def build(current):
        if resource_class not in current:
            raise errors.Error(404, 'No inventory of class %s found for '
                               'delete: No inventory of class %s found.'
                               % (resource_class, resource_class))
        return {rc: inv for rc, inv in current.items()
                if rc != resource_class}
    _write(req, uuid, rp['generation'], build)
    return http.empty()
