"""Body of PUT /resource_providers/{uuid}/traits and the query of GET
/traits."""

from gantt.api.schemas import common

PROVIDER_TRAITS = (((1, 6), {
    'type': 'object',
    'properties': {
        'traits': {'type': 'array', 'items': common.bounded_string()},
        'resource_provider_generation': {'type': 'integer'},
    },
    'required': ['traits', 'resource_provider_generation'],
    'additionalProperties': False,
}),)

LIST = (((1, 6), {
    'type': 'object',
    'properties': {'name': {'type': 'string'},
                   'associated': {'type': 'string'}},
    'additionalProperties': False,
}),)

# A custom trait's name (PUT /traits/{name}).
CUSTOM_NAME = dict(common.bounded_string(),
                   pattern=common.CUSTOM_NAME_PATTERN)
