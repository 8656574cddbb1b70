"""/resource_providers/{uuid}/usages and /usages?project_id=: what is
allocated, per provider or per project (and user)."""

from gantt.api import errors
from gantt.api import http
from gantt.api.schemas import usage as schemas
from gantt.api import validation
from gantt.db import allocation as allocation_db
from gantt.db import provider as provider_db


def provider_usages(req, uuid):
    rp = http.db(req).read(provider_db.show, uuid)
    return http.json({
        'resource_provider_generation': rp['generation'],
        'usages': {rc: inv['used'] for rc, inv in rp['inventories'].items()
                   if inv['total'] > 0 or inv['used']}})


def project_usages(req):
    if not http.at_least(req, (1, 9)):
        raise errors.Error(404, '/usages needs microversion 1.9')
    params = validation.query(req, schemas.QUERY)
    return http.json({'usages': http.db(req).read(
        allocation_db.usages_by_project, params['project_id'],
        params.get('user_id'))})
