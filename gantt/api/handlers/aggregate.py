"""/resource_providers/{uuid}/aggregates: the aggregates a provider is in
(with the provider's generation from 1.19)."""

from gantt.api import errors
from gantt.api import http
from gantt.api.schemas import aggregate as schemas
from gantt.api import validation
from gantt.db import provider as provider_db
from gantt import exception


def _listing(req, rp, aggregates=None):
    out = {'aggregates': rp['aggregates'] if aggregates is None
           else aggregates}
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
    validation.require_json(req)
    http.db(req).read(provider_db.show, uuid)
    data = validation.body(req, schemas.REPLACE)
    if not http.at_least(req, (1, 19)):
        # Before 1.19 the provider's generation stays as it is.
        rp = http.db(req).write(provider_db.set_provider_aggregates, uuid,
                                data)
        return http.json(_listing(req, rp, data))
    aggs = data['aggregates']

    def change(session):
        return provider_db.edit(
            session, uuid, data['resource_provider_generation'],
            lambda row, seq: provider_db.set_aggregates(session, row.id,
                                                        aggs))
    try:
        rp = http.db(req).write(change)
    except exception.ProviderGenerationConflict:
        raise errors.Error(409, "Resource provider's generation already "
                           "changed. Please update the generation and try "
                           "again.", errors.CONCURRENT_UPDATE)
    # In the order given, as placement answers.
    return http.json(_listing(req, rp, aggs))
