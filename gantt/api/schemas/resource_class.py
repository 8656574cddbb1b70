"""Body of POST /resource_classes and of PUT /resource_classes/{name}
before 1.7 (a rename): a custom class's name."""

from gantt.api.schemas import common

_NAME = {
    'type': 'object',
    'properties': {'name': {'type': 'string', 'maxLength': 255,
                            'pattern': common.CUSTOM_NAME_PATTERN}},
    'required': ['name'],
    'additionalProperties': False,
}

CREATE = (((1, 2), _NAME),)
RENAME = (((1, 2), _NAME),)
