"""/traits and /resource_providers/{uuid}/traits: the trait catalogue
(custom traits created with PUT) and each provider's traits."""

from gantt.api import errors
from gantt.api import http
from gantt.api.schemas import trait as schemas
from gantt.api import validation
from gantt.db import provider as provider_db
from gantt.db import trait as trait_db
from gantt import exception


def index(req):
    params = validation.query(req, schemas.LIST)
    names, prefix = None, None
    name = params.get('name')
    if name is not None:
        op, sep, value = name.partition(':')
        if not sep:
            raise errors.Error(
                400, 'Badly formatted name parameter. Expected name query '
                'string parameter in form: ?name=[in|startswith]:[name1,'
                'name2|prefix]. Got: "%s"' % name)
        if op == 'in':
            names = set(value.split(','))
        elif op == 'startswith':
            prefix = value
    associated = params.get('associated')
    if associated is not None:
        if associated.lower() not in ('true', 'false'):
            raise errors.Error(400, 'The query parameter "associated" only '
                               'accepts "true" or "false"')
        associated = associated.lower() == 'true'
    return http.json({'traits': http.db(req).read(
        trait_db.list_names, names, prefix, associated)})


def show(req, name):
    if not http.db(req).read(trait_db.exists, name):
        raise errors.Error(404, 'No such trait(s): %s.' % name)
    return http.fresh(req, http.empty())


def create(req, name):
    try:
        validation.check(name, schemas.CUSTOM_NAME)
    except errors.Error:
        raise errors.Error(
            400, 'The trait is invalid. A valid trait must be no longer '
            'than 255 characters, start with the prefix "CUSTOM_" and use '
            'following characters: "A"-"Z", "0"-"9" and "_"')
    return http.fresh(req, http.created_or_found(
        http.db(req).write(trait_db.create, name), '/traits/%s' % name))


def delete(req, name):
    try:
        http.db(req).write(trait_db.delete, name)
    except exception.InvalidTrait:
        raise errors.Error(400, 'Cannot delete standard trait %s.' % name)
    except exception.InUse:
        raise errors.Error(409, 'The trait %s is in use by a resource '
                           'provider.' % name)
    except exception.NotFound:
        raise errors.Error(404, 'No such trait(s): %s.' % name)
    return http.empty()


def _listing(rp):
    return {'traits': rp['traits'],
            'resource_provider_generation': rp['generation']}


def provider_index(req, uuid):
    return http.json(_listing(http.db(req).read(provider_db.show, uuid)))


def _set(session, uuid, generation, names):
    unknown = sorted(n for n in names if not trait_db.exists(session, n))
    if unknown:
        raise errors.Error(400, 'No such trait %s' % ', '.join(unknown))
    return provider_db.edit(session, uuid, generation, lambda row, seq:
                            provider_db.set_traits(session, row.id, names))


def provider_replace(req, uuid):
    data = validation.body(req, schemas.PROVIDER_TRAITS)
    try:
        rp = http.db(req).write(_set, uuid,
                                data['resource_provider_generation'],
                                set(data['traits']))
    except exception.ProviderGenerationConflict:
        raise errors.Error(409, "Resource provider's generation already "
                           "changed. Please update the generation and try "
                           "again.", errors.CONCURRENT_UPDATE)
    return http.json(_listing(rp))


def provider_delete(req, uuid):
    rp = http.db(req).read(provider_db.show, uuid)
    http.db(req).write(_set, uuid, rp['generation'], set())
    return http.empty()
