"""/traits and /resource_providers/{uuid}/traits: the trait catalogue
(custom traits created with PUT) and each provider's traits."""

from gantt.api import errors
from gantt.api import http
from gantt.db import provider as provider_db
from gantt.db import trait as trait_db


def index(req):
    names, prefix = None, None
    name = req.GET.get('name')
    if name:
        if name.startswith('in:'):
            names = set(filter(None, name[3:].split(',')))
        elif name.startswith('startswith:'):
            prefix = name[len('startswith:'):]
        else:
            raise errors.Error(400, "name=%r: expected 'in:A,B' or "
                               "'startswith:PREFIX'" % name,
                               errors.BAD_QUERY)
    associated = req.GET.get('associated')
    if associated is not None:
        if associated.lower() not in ('true', 'false'):
            raise errors.Error(400, 'associated=%r: expected true or false'
                               % associated, errors.BAD_QUERY)
        associated = associated.lower() == 'true'
    return http.json({'traits': http.db(req).read(
        trait_db.list_names, names, prefix, associated)})


def show(req, name):
    if not http.db(req).read(trait_db.exists, name):
        raise errors.Error(404, 'no trait named %s' % name)
    return http.empty()


def create(req, name):
    return http.created_or_found(http.db(req).write(trait_db.create, name),
                                 '/traits/%s' % name)


def delete(req, name):
    http.db(req).write(trait_db.delete, name)
    return http.empty()


def _listing(rp):
    return {'traits': rp['traits'],
            'resource_provider_generation': rp['generation']}


def provider_index(req, uuid):
    return http.json(_listing(http.db(req).read(provider_db.show, uuid)))


def _set(session, uuid, generation, names):
    unknown = sorted(n for n in names if not trait_db.exists(session, n))
    if unknown:
        raise errors.Error(400, 'no such traits: %s' % ', '.join(unknown))
    return provider_db.edit(session, uuid, generation, lambda row, seq:
                            provider_db.set_traits(session, row.id, names))


def provider_replace(req, uuid):
    data = http.body(req)
    generation = http.generation(data)
    names = http.field(data, 'traits', list)
    if not all(isinstance(n, str) for n in names):
        raise errors.Error(400, 'traits must be a list of strings')
    return http.json(_listing(http.db(req).write(_set, uuid, generation,
                                                 set(names))))


def provider_delete(req, uuid):
    rp = http.db(req).read(provider_db.show, uuid)
    http.db(req).write(_set, uuid, rp['generation'], set())
    return http.empty()
