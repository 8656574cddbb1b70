"""/resource_providers and /resource_providers/{uuid}: providers and
their trees (parent_provider_uuid, root_provider_uuid from 1.14)."""

from oslo_utils import uuidutils

from gantt.api import errors
from gantt.api import http
from gantt.db import provider as provider_db
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


def _name(data):
    name = http.field(data, 'name', str)
    if not 1 <= len(name) <= 200:
        raise errors.Error(400, 'name must be 1 to 200 characters long')
    return name


def _parent(req, data):
    if not http.at_least(req, (1, 14)):
        if 'parent_provider_uuid' in data:
            raise errors.Error(400, 'parent_provider_uuid needs '
                               'microversion 1.14')
        return None
    parent = http.field(data, 'parent_provider_uuid', (str, type(None)),
                        required=False)
    if parent is not None:
        http.uuid(parent, 'parent_provider_uuid')
    return parent


def create(req):
    data = http.body(req)
    name = _name(data)
    uuid = http.uuid(http.field(data, 'uuid', str, required=False) or
                     uuidutils.generate_uuid(), 'uuid')
    parent = _parent(req, data)
    try:
        rp = http.db(req).write(provider_db.create, uuid, name, parent)
    except errors.NOT_FOUND_TYPES as e:
        raise errors.Error(400, 'parent provider %s does not exist: %s'
                           % (parent, e))
    location = '/resource_providers/%s' % uuid
    if http.at_least(req, (1, 20)):
        resp = http.json(represent(req, rp))
    else:
        resp = http.empty(201)
    resp.headers['Location'] = location
    return resp


def show(req, uuid):
    return http.json(represent(req, http.db(req).read(provider_db.show,
                                                      uuid)))


def update(req, uuid):
    data = http.body(req)
    name = _name(data)
    db = http.db(req)
    current = db.read(provider_db.show, uuid)
    parent = (_parent(req, data) if 'parent_provider_uuid' in data
              else current['parent_provider_uuid'])
    try:
        rp = db.write(provider_db.update, uuid, name, parent)
    except errors.NOT_FOUND_TYPES as e:
        raise errors.Error(400, 'parent provider %s does not exist: %s'
                           % (parent, e))
    return http.json(represent(req, rp))


def delete(req, uuid):
    http.db(req).write(provider_db.remove, uuid)
    return http.empty()


def _member_of(values):
    """member_of=in:A,B (any of) or member_of=A, repeatable (each one);
    member_of=!A or !in:A,B (none of them, from 1.32): (groups, none)."""
    groups, forbidden = [], set()
    for value in values:
        negated = value.startswith('!')
        value = value[1:] if negated else value
        if value.startswith('in:'):
            value = value[3:]
        uuids = set(filter(None, value.split(',')))
        for agg in uuids:
            http.uuid(agg, 'member_of')
        if negated:
            forbidden |= uuids
        else:
            groups.append(uuids)
    return groups, forbidden


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


_QUERY_KEYS = {'uuid', 'name', 'in_tree', 'member_of', 'required',
               'resources'}


def index(req):
    params = req.GET
    unknown = set(params) - _QUERY_KEYS
    if unknown:
        raise errors.Error(400, 'unknown query parameters: %s'
                           % ', '.join(sorted(unknown)), errors.BAD_QUERY)
    uuid = params.get('uuid')
    in_tree = params.get('in_tree')
    for value, what in ((uuid, 'uuid'), (in_tree, 'in_tree')):
        if value is not None:
            http.uuid(value, what)
    required, forbidden = set(), set()
    for value in params.getall('required'):
        for name in filter(None, value.split(',')):
            if name.startswith('!'):
                forbidden.add(name[1:])
            else:
                required.add(name)
    member_of, forbidden_aggs = _member_of(params.getall('member_of'))
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
