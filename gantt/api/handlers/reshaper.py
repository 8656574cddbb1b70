"""POST /reshaper (1.30): inventories and allocations moved in one
transaction (gantt.db.reshape), refused whole with placement's status,
code and wording."""

import re

from gantt.api import errors
from gantt.api.handlers import allocation
from gantt.api.handlers import inventory
from gantt.api import http
from gantt.api.schemas import allocation as allocation_schemas
from gantt.api import validation
from gantt.db import reshape as reshape_db
from gantt import exception
from gantt import resource_classes

# What placement's schema takes as a resource class name.
_WELL_FORMED = re.compile(r'^[A-Z0-9_]+$')


def _inventories(req, uuid, body):
    """(generation, {rc: partial record}) of one provider's entry."""
    http.uuid(uuid, 'inventories')
    if not isinstance(body, dict):
        raise errors.Error(400, '%sinventories of %s: expected an object'
                           % (http.INVALID, uuid))
    http.no_others(body, ('resource_provider_generation', 'inventories'))
    records = {}
    for rc, inv in http.field(body, 'inventories', dict,
                              where='inventories of %s' % uuid).items():
        try:
            resource_classes.validate(rc)
        except exception.InvalidResourceClass as e:
            if isinstance(rc, str) and _WELL_FORMED.match(rc):
                # A well-formed name nothing defines (placement's words).
                raise errors.Error(400, 'malformed reshaper data: No such '
                                   'resource class %s' % rc)
            raise errors.Error(400, '%s%s' % (http.INVALID, e))
        records[rc] = inventory.checked(req, rc, inv if isinstance(
            inv, dict) else {})
    return http.generation(body), records


def reshape(req):
    if not http.at_least(req, (1, 30)):
        raise errors.Error(404, 'POST /reshaper needs microversion 1.30')
    data = http.body(req)
    http.no_others(data, ('inventories', 'allocations'))
    inventories = {uuid: _inventories(req, uuid, body) for uuid, body in
                   http.field(data, 'inventories', dict).items()}
    entries = []
    for consumer, body in sorted(http.field(
            data, 'allocations', dict).items()):
        http.uuid(consumer, 'consumer')
        if not isinstance(body, dict):
            raise errors.Error(400, '%sallocations of %s: expected an '
                               'object' % (http.INVALID, consumer))
        # Each consumer's allocations as PUT /allocations/{consumer}
        # takes them at this microversion.
        validation.check(body, validation.pick(req, allocation_schemas.ONE))
        entries.append(allocation.entry(req, consumer, body))
    allocation.translate_claim_errors(lambda: http.db(req).write(
        _checked_reshape, inventories, entries))
    return http.empty()


def _checked_reshape(session, inventories, entries):
    try:
        return reshape_db.reshape(session, inventories, entries)
    except exception.ResourceProviderNotFound as e:
        raise errors.Error(400, 'Resource provider %s in inventories not '
                           'found' % e.kwargs['uuid'],
                           errors.PROVIDER_NOT_FOUND)
    except exception.ProviderGenerationConflict as e:
        raise errors.Error(409, 'resource provider generation conflict for '
                           'provider %(uuid)s: actual: %(actual)s, given: '
                           '%(expected)s' % e.kwargs,
                           errors.CONCURRENT_UPDATE)
