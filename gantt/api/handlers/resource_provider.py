"""/resource_providers and /resource_providers/{uuid}: providers and
their trees (parent_provider_uuid, root_provider_uuid from 1.14)."""

import uuid as uuid_lib

from oslo_utils import uuidutils

from gantt.api import errors
from gantt.api import http
from gantt.api import query
from gantt.api.schemas import resource_provider as schemas
from gantt.api import validation
from gantt.db import provider as provider_db
from gantt.db import trait as trait_db
from gantt import exception
from gantt import fit

_LINKS = (('inventories', (1, 0)), ('usages', (1, 0)),
          ('aggregates', (1, 1)), ('traits', (1, 6)),
          ('allocations', (1, 11)))


def represent(req, rp):
    out = {'uuid': rp['uuid'], 'name': rp['name'],
           'generation': rp['generation']}
    if http.at_least(req, (1, 14)):
        out['parent_provider_uuid'] = rp['parent_provider_uuid']
        out['root_provider_uuid'] = rp['root_provider_uuid']
    base = '/resource_providers/%s' % rp['uuid']
    out['links'] = [{'rel': 'self', 'href': base}] + [
        {'rel': rel, 'href': '%s/%s' % (base, rel)}
        for rel, since in _LINKS if http.at_least(req, since)]
    return out


def _tree_error(action, uuid, reason):
    return errors.Error(400, 'Unable to %s resource provider %s: %s'
                        % (action, uuid, reason))


def create(req):
    data = validation.body(req, schemas.CREATE)
    name = data['name']
    # A uuid given without dashes names the same provider as with them.
    uuid = (str(uuid_lib.UUID(data['uuid'])) if data.get('uuid')
            else uuidutils.generate_uuid())
    parent = data.get('parent_provider_uuid')
    if parent is not None and parent == uuid:
        raise _tree_error('create', '"%s", %s' % (name, uuid),
                          'parent provider UUID cannot be same as UUID. '
                          'Please set parent provider UUID to None if there '
                          'is no parent.')
    try:
        rp = http.db(req).write(provider_db.create, uuid, name, parent)
    except exception.ResourceProviderExists as e:
        raise _conflicting(http.db(req), uuid, name, e)
    except errors.NOT_FOUND_TYPES:
        raise _tree_error('create', '"%s", %s' % (name, uuid),
                          'parent provider UUID does not exist.')
    location = '/resource_providers/%s' % uuid
    if http.at_least(req, (1, 20)):
        resp = http.json(represent(req, rp))
    else:
        resp = http.empty(201)
    resp.headers['Location'] = location
    return resp


def _conflicting(db, uuid, name, cause):
    """placement's 409 for a uuid or a name already taken."""
    taken = []
    try:
        db.read(provider_db.show, uuid)
        taken.append('uuid: %s' % uuid)
    except errors.NOT_FOUND_TYPES:
        pass
    if not taken or name in str(cause):
        taken.append('name: %s' % name)
    return errors.Error(409, 'Conflicting resource provider %s already '
                        'exists.' % ', '.join(taken), errors.DUPLICATE_NAME)


def show(req, uuid):
    return http.json(represent(req, http.db(req).read(provider_db.show,
                                                      uuid)))


def update(req, uuid):
    validation.require_json(req)
    db = http.db(req)
    current = db.read(provider_db.show, uuid)
    data = validation.body(req, schemas.UPDATE)
    name = data['name']
    parent = data.get('parent_provider_uuid',
                      current['parent_provider_uuid'])
    was = current['parent_provider_uuid']
    # Moving a child to another parent, or making it a root, from 1.37.
    if (was is not None and parent != was and
            not http.at_least(req, (1, 37))):
        raise _tree_error('save', uuid, '%s-parenting a provider is not '
                          'currently allowed.' % (
                              'un' if parent is None else 're'))
    if parent is not None and parent != was:
        try:
            db.read(provider_db.show, parent)
        except errors.NOT_FOUND_TYPES:
            raise _tree_error('save', uuid, 'parent provider UUID does not '
                              'exist.')
    try:
        rp = db.write(provider_db.update, uuid, name, parent,
                      allow_detach=True)
    except exception.ResourceProviderExists:
        raise errors.Error(409, 'Conflicting resource provider %s already '
                           'exists.' % name, errors.DUPLICATE_NAME)
    except exception.InvalidInventory:
        raise _tree_error('save', uuid, 'creating loop in the provider '
                          'tree is not allowed.')
    return http.json(represent(req, rp))


def delete(req, uuid):
    try:
        http.db(req).write(provider_db.remove, uuid)
    except exception.ResourceProviderHasChildren:
        raise errors.Error(409, 'Unable to delete parent resource provider '
                           '%s: It has child resource providers.' % uuid,
                           errors.CANNOT_DELETE_PARENT)
    except exception.ResourceProviderInUse:
        raise errors.Error(409, 'Unable to delete resource provider %s: '
                           'Resource provider has allocations.' % uuid,
                           errors.PROVIDER_IN_USE)
    except errors.NOT_FOUND_TYPES:
        raise errors.Error(404, 'No resource provider with uuid %s found '
                           'for delete' % uuid)
    return http.empty()


def _resources(value):
    """resources=RC:N,RC:N -> {rc: n}."""
    wanted = {}
    for item in filter(None, value.split(',')):
        rc, sep, amount = item.partition(':')
        if not sep or not amount.isdigit():
            raise errors.Error(400, 'resources: %r is not RESOURCE_CLASS:'
                               'AMOUNT' % item, errors.BAD_QUERY)
        wanted[rc.strip()] = int(amount)
    return wanted


def _has_room(rp, wanted):
    for rc, amount in wanted.items():
        inv = provider_db.live_inventories(rp).get(rc)
        if inv is None or not fit.fits(inv['capacity'], inv['used'],
                                       inv['min_unit'], inv['max_unit'],
                                       inv['step_size'], amount):
            return False
    return True


def index(req):
    params = validation.query(req, schemas.LIST)
    uuid = params.get('uuid')
    in_tree = params.get('in_tree')
    required, forbidden = query.required(req)
    unknown = sorted(n for n in required | forbidden
                     if not http.db(req).read(trait_db.exists, n))
    if unknown:
        raise errors.Error(400, 'Invalid trait(s) in "required" parameter: '
                           'No such trait(s): %s.' % ', '.join(unknown))
    member_of, forbidden_aggs = query.member_of(req)
    try:
        rps = http.db(req).read(
            provider_db.list_filtered, uuid=uuid, name=params.get('name'),
            in_tree=in_tree, member_of=member_of, required=required,
            forbidden=forbidden, forbidden_aggs=forbidden_aggs)
    except errors.NOT_FOUND_TYPES:
        rps = []  # in_tree names no provider: nothing is in that tree
    if 'resources' in params:
        wanted = _resources(params['resources'])
        rps = [rp for rp in rps if _has_room(rp, wanted)]
    return http.json({'resource_providers': [represent(req, rp)
                                             for rp in rps]})
