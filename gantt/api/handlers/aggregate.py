"""/resource_providers/{uuid}/aggregates: the aggregates a provider is in
(with the provider's generation from 1.19)."""

from oslo_utils import uuidutils

from gantt.api import errors
from gantt.api import http
from gantt.db import provider as provider_db


def _listing(req, rp):
    out = {'aggregates': rp['aggregates']}
    if http.at_least(req, (1, 19)):
        out['resource_provider_generation'] = rp['generation']
    return out


def index(req, uuid):
    if not http.at_least(req, (1, 1)):
        raise errors.Error(404, 'provider aggregates need microversion 1.1')
    return http.json(_listing(req, http.db(req).read(provider_db.show,
                                                     uuid)))


def replace(req, uuid):
    if not http.at_least(req, (1, 1)):
        raise errors.Error(404, 'provider aggregates need microversion 1.1')
    generation = None
    if http.at_least(req, (1, 19)):
        data = http.body(req)
        generation = http.generation(data)
        aggs = http.field(data, 'aggregates', list)
    else:
        aggs = http.body(req, list)
    if not all(isinstance(a, str) and uuidutils.is_uuid_like(a)
               for a in aggs):
        raise errors.Error(400, 'aggregates must be a list of uuids: %r'
                           % (aggs,))
    if len(set(aggs)) != len(aggs):
        raise errors.Error(400, 'aggregates lists one twice: %r' % (aggs,))

    def change(session):
        return provider_db.edit(
            session, uuid, generation, lambda row, seq:
            provider_db.set_aggregates(session, row.id, aggs))
    return http.json(_listing(req, http.db(req).write(change)))
