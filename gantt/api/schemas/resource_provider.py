"""Bodies of POST and PUT /resource_providers[/{uuid}] and the query of
GET /resource_providers, per microversion."""

from gantt.api.schemas import common

_CREATE = {
    'type': 'object',
    'properties': {'name': {'type': 'string', 'maxLength': 200},
                   'uuid': common.uuid()},
    'required': ['name'],
    'additionalProperties': False,
}
_PARENT = {'anyOf': [common.uuid(), {'type': 'null'}]}
_CREATE_NESTED = common.with_properties(_CREATE,
                                        parent_provider_uuid=_PARENT)

CREATE = (((1, 0), _CREATE), ((1, 14), _CREATE_NESTED))
UPDATE = (((1, 0), common.without(_CREATE, 'uuid')),
          ((1, 14), common.without(_CREATE_NESTED, 'uuid')))

_LIST = {
    'type': 'object',
    'properties': {'name': {'type': 'string'}, 'uuid': common.uuid()},
    'additionalProperties': False,
}
_LIST_1_3 = common.with_properties(_LIST, member_of={'type': 'string'})
_LIST_1_4 = common.with_properties(_LIST_1_3, resources={'type': 'string'})
_LIST_1_14 = common.with_properties(_LIST_1_4, in_tree=common.uuid())
_LIST_1_18 = common.with_properties(_LIST_1_14, required={'type': 'string'})
LIST = (((1, 0), _LIST), ((1, 3), _LIST_1_3), ((1, 4), _LIST_1_4),
        ((1, 14), _LIST_1_14), ((1, 18), _LIST_1_18))
