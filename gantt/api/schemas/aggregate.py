"""Body of PUT /resource_providers/{uuid}/aggregates: a bare list of
aggregate uuids before 1.19, with the provider's generation from it."""

from gantt.api.schemas import common

_UUIDS = {'type': 'array', 'items': common.uuid(), 'uniqueItems': True}

REPLACE = (((1, 1), _UUIDS), ((1, 19), {
    'type': 'object',
    'properties': {'aggregates': _UUIDS,
                   'resource_provider_generation': {'type': 'integer'}},
    'required': ['aggregates', 'resource_provider_generation'],
    'additionalProperties': False,
}))
