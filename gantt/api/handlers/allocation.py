"""/allocations/{consumer}, POST /allocations and
/resource_providers/{uuid}/allocations: what consumers hold, written with
Gantt's claim (the fit rule, checked in SQL) and consumer generations from
1.28."""

from gantt.api import errors
from gantt.api import http
from gantt.db import allocation as allocation_db
from gantt.db import provider as provider_db
from gantt import exception


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


# The fields of one consumer's allocations, and the microversion that
# brings each in.
_ENTRY_FIELDS = (('allocations', (1, 0)), ('project_id', (1, 0)),
                 ('user_id', (1, 0)), ('consumer_generation', (1, 28)),
                 ('mappings', (1, 34)), ('consumer_type', (1, 38)))


def _check_mappings(mappings):
    """From 1.34 a consumer may say which providers satisfied each
    request group: {group suffix: [provider uuid, ...]}. Gantt keeps
    nothing of it, but refuses a malformed one as placement does."""
    if not isinstance(mappings, dict):
        raise errors.Error(400, '%s%r is not of type %r' % (
            http.INVALID, mappings, 'object'))
    if not mappings:
        raise errors.Error(400, '%s{} should be non-empty' % http.INVALID)
    for suffix, uuids in mappings.items():
        if not isinstance(uuids, list):
            raise errors.Error(400, '%s%r is not of type %r' % (
                http.INVALID, uuids, 'array'))
        if not uuids:
            raise errors.Error(400, '%smappings of %r: [] should be '
                               'non-empty' % (http.INVALID, suffix))
        for uuid in uuids:
            http.uuid(uuid, 'mappings of %r' % suffix)


def entry(req, consumer, data):
    """(consumer, request, project, user, generation) for one consumer."""
    http.no_others(data, [name for name, since in _ENTRY_FIELDS
                          if http.at_least(req, since)])
    if 'mappings' in data:
        _check_mappings(data['mappings'])
    if http.at_least(req, (1, 12)):
        allocs = _dict_allocations(data, consumer)
    else:
        allocs = _list_allocations(data, consumer)
    if not allocs and not http.at_least(req, (1, 28)):
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


def _replace(req, entries):
    translate_claim_errors(lambda: http.db(req).replace_allocations(
        entries, check_generations=http.at_least(req, (1, 28))))


def translate_claim_errors(write):
    """Run ``write``; a provider named in a body that does not exist is a
    400, a claim without room (or without such an inventory, or in units
    it does not hand out) placement's 409."""
    try:
        return write()
    except exception.ResourceProviderNotFound as e:
        raise errors.Error(400, str(e))
    except (exception.ClaimConflict, exception.InventoryUnavailable) as e:
        raise errors.Error(409, 'Unable to allocate inventory: %s' % e)


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
    http.uuid(consumer, 'consumer')
    _replace(req, [entry(req, consumer, http.body(req))])
    return http.empty()


def replace_many(req):
    if not http.at_least(req, (1, 13)):
        raise errors.Error(405, 'POST /allocations needs microversion 1.13')
    data = http.body(req)
    entries = []
    for consumer, body in sorted(data.items()):
        http.uuid(consumer, 'consumer')
        if not isinstance(body, dict):
            raise errors.Error(400, 'consumer %s: expected an object'
                               % consumer)
        entries.append(entry(req, consumer, body))
    _replace(req, entries)
    return http.empty()


def delete(req, consumer):
    if not http.db(req).delete_allocations(consumer):
        raise errors.Error(404, 'No allocations for consumer %s' % consumer)
    return http.empty()


def on_provider(req, uuid):
    row, held = http.db(req).read(provider_db.allocations_on, uuid)
    return http.json({
        'resource_provider_generation': row.generation,
        'allocations': {c: {'resources': r} for c, r in held.items()}})
