"""Bodies of the inventory writes: one record (PUT .../inventories/{rc},
POST .../inventories) and a provider's whole set (PUT .../inventories)."""

from gantt.api.schemas import common

_RECORD = {
    'type': 'object',
    'properties': {
        'resource_provider_generation': {'type': 'integer'},
        'total': common.integer(1),
        'reserved': common.integer(0),
        'min_unit': common.integer(1),
        'max_unit': common.integer(1),
        'step_size': common.integer(1),
        'allocation_ratio': {'type': 'number',
                             'maximum': common.MAX_FLOAT},
    },
    'required': ['total'],
    'additionalProperties': False,
}

MAX_INT = common.MAX_INT
# One record inside a provider's set (or a reshape).
RECORD = _RECORD
# PUT .../inventories/{rc}: a record with the provider's generation.
ONE = (((1, 0), dict(_RECORD, required=['total',
                                        'resource_provider_generation'])),)
# POST .../inventories: a record naming its class; the generation is
# optional.
NEW = (((1, 0), common.with_properties(
    _RECORD, needed=['resource_class'],
    resource_class={'type': 'string', 'pattern': common.NAME_PATTERN})),)
# PUT .../inventories: every record, keyed by class.
ALL = (((1, 0), {
    'type': 'object',
    'properties': {
        'resource_provider_generation': {'type': 'integer'},
        'inventories': {'type': 'object', 'patternProperties': {
            common.NAME_PATTERN: _RECORD}},
    },
    'required': ['resource_provider_generation', 'inventories'],
    'additionalProperties': False,
}),)
