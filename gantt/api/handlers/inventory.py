"""/resource_providers/{uuid}/inventories[/{resource_class}]: what a
provider offers, each write checked against the provider's generation."""

from gantt.api import errors
from gantt.api import http
from gantt.db import provider as provider_db
from gantt import exception
from gantt import resource_classes

FIELDS = ('total', 'reserved', 'min_unit', 'max_unit', 'step_size',
          'allocation_ratio')
_MAX_INT = 2 ** 31 - 1


def _show(inv):
    return {k: inv[k] for k in FIELDS}


def checked(req, rc, data):
    """A validated partial inventory record for class ``rc``."""
    try:
        resource_classes.validate(rc)
    except exception.InvalidResourceClass as e:
        raise errors.Error(400, str(e))
    http.no_others(data, FIELDS + ('resource_provider_generation',))
    record = {'total': http.field(data, 'total', int)}
    for key, least in (('reserved', 0), ('min_unit', 1), ('max_unit', 1),
                       ('step_size', 1)):
        value = http.field(data, key, int, required=False)
        if value is not None:
            record[key] = value
        if record.get(key, least) < least or record.get(key, 0) > _MAX_INT:
            raise errors.Error(400, 'inventory of %s: %s must be between %d '
                               'and %d' % (rc, key, least, _MAX_INT))
    if not 1 <= record['total'] <= _MAX_INT:
        raise errors.Error(400, 'inventory of %s: total must be between 1 '
                           'and %d' % (rc, _MAX_INT))
    ratio = http.field(data, 'allocation_ratio', (int, float),
                       required=False)
    if ratio is not None:
        if ratio <= 0:
            raise errors.Error(400, 'inventory of %s: allocation_ratio must '
                               'be above 0' % rc)
        record['allocation_ratio'] = float(ratio)
    reserved = record.get('reserved', 0)
    if reserved > record['total'] or (
            reserved == record['total'] and reserved and
            not http.at_least(req, (1, 26))):
        raise errors.Error(400, 'inventory of %s: reserved %d is above the '
                           'total %d allows' % (rc, reserved,
                                                record['total']))
    if record.get('min_unit', 1) > record.get('max_unit', record['total']):
        raise errors.Error(400, 'inventory of %s: min_unit is above '
                           'max_unit' % rc)
    return record


def _current(rp):
    return {rc: _show(inv)
            for rc, inv in provider_db.live_inventories(rp).items()}


def _write(req, uuid, generation, build):
    """Replace the provider's inventories with ``build(current)`` in one
    transaction checked against ``generation``; the provider after."""
    def change(session, uuid):
        def apply(row, seq):
            current = _current(provider_db.show(session, uuid))
            provider_db.set_live_inventories(session, row, seq,
                                             build(current))
        return provider_db.edit(session, uuid, generation, apply)
    return http.db(req).write(change, uuid)


def _listing(rp):
    return {'resource_provider_generation': rp['generation'],
            'inventories': _current(rp)}


def index(req, uuid):
    return http.json(_listing(http.db(req).read(provider_db.show, uuid)))


def replace(req, uuid):
    data = http.body(req)
    generation = http.generation(data)
    given = http.field(data, 'inventories', dict)
    wanted = {rc: checked(req, rc, inv if isinstance(inv, dict) else {})
              for rc, inv in given.items()}
    return http.json(_listing(_write(req, uuid, generation,
                                     lambda current: wanted)))


def delete_all(req, uuid):
    if not http.at_least(req, (1, 5)):
        raise errors.Error(405, 'DELETE of all inventories needs '
                           'microversion 1.5')
    rp = http.db(req).read(provider_db.show, uuid)
    _write(req, uuid, rp['generation'], lambda current: {})
    return http.empty()


def add(req, uuid):
    data = http.body(req)
    # Optional here, as in placement: POST adds a class, whatever the
    # provider's generation.
    generation = http.field(data, 'resource_provider_generation', int,
                            required=False)
    rc = http.field(data, 'resource_class', str)
    record = checked(req, rc, {k: v for k, v in data.items()
                               if k != 'resource_class'})

    def build(current):
        if rc in current:
            raise errors.Error(409, 'provider %s already has an inventory '
                               'of %s' % (uuid, rc))
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
        raise errors.Error(404, 'no inventory of %s on provider %s'
                           % (rc, rp['uuid']))
    return dict(_show(inv), resource_provider_generation=rp['generation'])


def show(req, uuid, resource_class):
    return http.json(_one(http.db(req).read(provider_db.show, uuid),
                          resource_class))


def update(req, uuid, resource_class):
    data = http.body(req)
    generation = http.generation(data)
    record = checked(req, resource_class, data)

    def build(current):
        if resource_class not in current:
            raise errors.Error(400, 'provider %s has no inventory of %s '
                               'to update' % (uuid, resource_class))
        return dict(current, **{resource_class: record})
    return http.json(_one(_write(req, uuid, generation, build),
                          resource_class))


def delete(req, uuid, resource_class):
    rp = http.db(req).read(provider_db.show, uuid)

    def build(current):
        if resource_class not in current:
            raise errors.Error(404, 'no inventory of %s on provider %s'
                               % (resource_class, uuid))
        return {rc: inv for rc, inv in current.items()
                if rc != resource_class}
    _write(req, uuid, rp['generation'], build)
    return http.empty()
