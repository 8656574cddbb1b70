"""/allocations/{consumer}, POST /allocations and
/resource_providers/{uuid}/allocations: what consumers hold, written with
Gantt's claim (the fit rule, checked in SQL) and consumer generations from
1.28."""

import uuid as uuid_lib

from gantt.api import errors
from gantt.api import http
from gantt.api.schemas import allocation as schemas
from gantt.api import validation
from gantt.db import allocation as allocation_db
from gantt.db import provider as provider_db
from gantt.db import resource_class as rc_db
from gantt import exception
from gantt import fit


def _dict_allocations(data, consumer):
    allocs = http.field(data, 'allocations', dict)
    out = {}
    for rp_uuid, entry in allocs.items():
        http.uuid(rp_uuid, 'allocations of consumer %s' % consumer)
        if not isinstance(entry, dict):
            raise errors.Error(400, 'allocation on %s must be an object'
                               % rp_uuid)
        out[rp_uuid] = {'resources': http.field(
            entry, 'resources', dict, where='allocation on %s' % rp_uuid)}
    return out


def _list_allocations(data, consumer):
    """Before 1.12: [{resource_provider: {uuid}, resources: {...}}]."""
    allocs = http.field(data, 'allocations', list)
    out = {}
    for entry in allocs:
        rp = http.field(entry, 'resource_provider', dict) if isinstance(
            entry, dict) else None
        if rp is None:
            raise errors.Error(400, 'each allocation names a '
                               'resource_provider')
        rp_uuid = http.uuid(http.field(rp, 'uuid', str), 'resource_provider')
        out[rp_uuid] = {'resources': http.field(entry, 'resources', dict)}
    return out


def entry(req, consumer, data, clearable=False):
    """(consumer, request, project, user, generation) for one consumer;
    ``clearable``: empty allocations release it at any microversion (as
    POST /allocations takes them)."""
    if http.at_least(req, (1, 12)):
        allocs = _dict_allocations(data, consumer)
    else:
        allocs = _list_allocations(data, consumer)
    if not allocs and not clearable and not http.at_least(req, (1, 28)):
        raise errors.Error(400, 'allocations of consumer %s are empty'
                           % consumer)
    project_id = http.field(data, 'project_id', str,
                            required=http.at_least(req, (1, 8)))
    user_id = http.field(data, 'user_id', str,
                         required=http.at_least(req, (1, 8)))
    generation = None
    if http.at_least(req, (1, 28)):
        generation = http.field(data, 'consumer_generation',
                                (int, type(None)))
    return (consumer, {'allocations': allocs}, project_id, user_id,
            generation)


def _replace(req, entries, words='for consumer %s: '):
    """Write ``entries`` (from entry); a refusal is explained in
    placement's words (``words`` starts a missing class's, with the
    consumer)."""
    db = http.db(req)
    _known_providers_and_classes(db, entries, words)
    try:
        translate_claim_errors(lambda: db.replace_allocations(
            entries, check_generations=http.at_least(req, (1, 28))))
    except errors.Error as e:
        if e.status != 409 or e.code != errors.UNDEFINED:
            raise
        raise _explain(db, entries) or e


def _known_providers_and_classes(db, entries, words):
    for consumer, request, _p, _u, _g in entries:
        for rp_uuid, alloc in request['allocations'].items():
            try:
                db.read(provider_db.show, rp_uuid)
            except errors.NOT_FOUND_TYPES:
                raise errors.Error(400, "Allocation for resource provider "
                                   "'%s' that does not exist." % rp_uuid)
            for rc in alloc['resources']:
                if not db.read(rc_db.exists, rc):
                    raise errors.Error(
                        400, 'Unable to allocate inventory %sNo such '
                        'resource class %s.' % (
                            words % consumer if '%s' in words else words,
                            rc))


def _explain(db, entries):
    """placement's 409 for the first amount its provider cannot take (no
    such inventory, a unit it does not hand out, no room), read after
    the claim was refused; None when every amount fits now."""
    for consumer, request, _p, _u, _g in entries:
        for rp_uuid, alloc in sorted(request['allocations'].items()):
            rp = db.read(provider_db.show, rp_uuid)
            held = db.get_allocations(consumer)['allocations'].get(
                rp_uuid, {}).get('resources', {})
            for rc, amount in sorted(alloc['resources'].items()):
                inv = provider_db.live_inventories(rp).get(rc)
                if inv is None:
                    why = ("Inventory for '%s' on resource provider '%s' "
                           "invalid." % (rc, rp_uuid))
                elif not fit.has_room(inv['capacity'],
                                      inv['used'] - held.get(rc, 0),
                                      amount):
                    why = ("Unable to create allocation for '%s' on "
                           "resource provider '%s'. The requested amount "
                           "would exceed the capacity." % (rc, rp_uuid))
                elif not fit.unit_ok(inv['min_unit'], inv['max_unit'],
                                     inv['step_size'], amount):
                    why = ("Unable to create allocation for '%s' on "
                           "resource provider '%s'. The requested amount "
                           "would violate inventory constraints."
                           % (rc, rp_uuid))
                else:
                    continue
                return errors.Error(409, 'Unable to allocate inventory: %s'
                                    % why)
    return None


def translate_claim_errors(write):
    """Run ``write``; a provider named in a body that does not exist is a
    400, a claim without room (or without such an inventory, or in units
    it does not hand out) placement's 409, a consumer's generation that
    is not the one held placement's concurrent update."""
    try:
        return write()
    except exception.ResourceProviderNotFound as e:
        raise errors.Error(400, str(e))
    except exception.ConsumerGenerationConflict as e:
        held, given = e.kwargs.get('actual'), e.kwargs.get('expected')
        raise errors.Error(409, 'consumer generation conflict - expected '
                           '%s but got %s' % (
                               'null' if held is None else held, given),
                           errors.CONCURRENT_UPDATE)
    except (exception.ClaimConflict, exception.InventoryUnavailable) as e:
        raise errors.Error(409, 'Unable to allocate inventory: %s' % e)


def consumer_uuid(consumer):
    """The consumer's uuid with dashes, or placement's 400."""
    try:
        return str(uuid_lib.UUID(http.uuid(consumer, 'consumer')))
    except errors.Error:
        raise errors.Error(400, 'Malformed consumer_uuid: %s' % consumer)


def show(req, consumer):
    found = http.db(req).read(allocation_db.get_allocations, consumer)
    out = {'allocations': found['allocations']}
    if found['allocations'] and http.at_least(req, (1, 12)):
        out['project_id'] = found['project_id']
        out['user_id'] = found['user_id']
    if found['allocations'] and http.at_least(req, (1, 28)):
        out['consumer_generation'] = found['consumer_generation']
    return http.json(out)


def replace(req, consumer):
    consumer = consumer_uuid(consumer)
    data = validation.body(req, schemas.ONE)
    _replace(req, [entry(req, consumer, data)])
    return http.empty()


def replace_many(req):
    if not http.at_least(req, (1, 13)):
        raise errors.Error(405, 'POST /allocations needs microversion 1.13')
    data = validation.body(req, schemas.MANY)
    entries = [entry(req, consumer_uuid(consumer), body, clearable=True)
               for consumer, body in sorted(data.items())]
    _replace(req, entries, '')
    return http.empty()


def delete(req, consumer):
    if not http.db(req).delete_allocations(consumer):
        raise errors.Error(404, "No allocations for consumer '%s'"
                           % consumer)
    return http.empty()


def on_provider(req, uuid):
    row, held = http.db(req).read(provider_db.allocations_on, uuid)
    return http.json({
        'resource_provider_generation': row.generation,
        'allocations': {c: {'resources': r} for c, r in held.items()}})
