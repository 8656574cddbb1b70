"""The query of GET /usages (from 1.9; consumer_type from 1.38)."""

from gantt.api.schemas import common

_QUERY = {
    'type': 'object',
    'properties': {'project_id': common.bounded_string(),
                   'user_id': common.bounded_string()},
    'required': ['project_id'],
    'additionalProperties': False,
}

QUERY = (((1, 9), _QUERY), ((1, 38), common.with_properties(
    _QUERY, consumer_type=dict(common.bounded_string(),
                               pattern='^([A-Z0-9_]+|all|unknown)$'))))
