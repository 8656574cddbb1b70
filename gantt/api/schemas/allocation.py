"""Bodies of PUT /allocations/{consumer} and POST /allocations, per
microversion: a list of provider entries before 1.12, a map keyed by
provider uuid from it; who the consumer belongs to from 1.8, its
generation from 1.28, mappings from 1.34 and its type from 1.38."""

from gantt.api.schemas import common

_AMOUNTS = {
    'type': 'object',
    'minProperties': 1,
    'patternProperties': {common.NAME_PATTERN: {'type': 'integer',
                                                'minimum': 1}},
    'additionalProperties': False,
}
_OWNER = common.bounded_string()

_LISTED = {
    'type': 'object',
    'properties': {'allocations': {
        'type': 'array',
        'minItems': 1,
        'items': {
            'type': 'object',
            'properties': {
                'resource_provider': {
                    'type': 'object',
                    'properties': {'uuid': common.uuid()},
                    'required': ['uuid'],
                    'additionalProperties': False,
                },
                'resources': _AMOUNTS,
            },
            'required': ['resource_provider', 'resources'],
            'additionalProperties': False,
        },
    }},
    'required': ['allocations'],
    'additionalProperties': False,
}
_LISTED_1_8 = common.with_properties(_LISTED, ['project_id', 'user_id'],
                                     project_id=_OWNER, user_id=_OWNER)


def _keyed(least):
    return {
        'type': 'object',
        'properties': {
            'allocations': {
                'type': 'object',
                'minProperties': least,
                'patternProperties': {common.UUID_KEY_PATTERN: {
                    'type': 'object',
                    'properties': {'generation': {'type': 'integer'},
                                   'resources': _AMOUNTS},
                    'required': ['resources'],
                    'additionalProperties': False,
                }},
                'additionalProperties': False,
            },
            'project_id': _OWNER,
            'user_id': _OWNER,
        },
        'required': ['allocations', 'project_id', 'user_id'],
        'additionalProperties': False,
    }


_KEYED = _keyed(1)
# What POST /allocations takes per consumer: an empty map clears it.
_CLEARABLE = _keyed(0)
_GENERATION = {'type': ['integer', 'null']}
_KEYED_1_28 = common.with_properties(_CLEARABLE, ['consumer_generation'],
                                     consumer_generation=_GENERATION)
_MAPPINGS = {
    'type': 'object',
    'minProperties': 1,
    'patternProperties': {'[a-zA-Z0-9_-]{1,64}': {
        'type': 'array', 'minItems': 1, 'items': common.uuid()}},
}
_KEYED_1_34 = common.with_properties(_KEYED_1_28, mappings=_MAPPINGS)
# placement requires consumer_type from 1.38; gantt-api takes it when
# given (and does not keep it), so callers that speak the latest version
# without it are still served.
_KEYED_1_38 = common.with_properties(
    _KEYED_1_34,
    consumer_type=dict(common.bounded_string(), pattern=common.NAME_PATTERN))

ONE = (((1, 0), _LISTED), ((1, 8), _LISTED_1_8), ((1, 12), _KEYED),
       ((1, 28), _KEYED_1_28), ((1, 34), _KEYED_1_34),
       ((1, 38), _KEYED_1_38))


def _by_consumer(per_consumer):
    return {'type': 'object', 'minProperties': 1,
            'patternProperties': {common.UUID_KEY_PATTERN: per_consumer},
            'additionalProperties': False}


MANY = (((1, 13), _by_consumer(_CLEARABLE)),
        ((1, 28), _by_consumer(_KEYED_1_28)),
        ((1, 34), _by_consumer(_KEYED_1_34)),
        ((1, 38), _by_consumer(_KEYED_1_38)))
