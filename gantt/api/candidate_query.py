"""GET /allocation_candidates' query read as placement reads it: the
parameters each microversion accepts (checked with a JSON schema, so a
refusal says what placement's says), request groups by suffix, the
request-wide parameters, and the refusals placement gives for orphaned,
resourceless, conflicting or unknown parts; the result is Gantt's
RequestGroups plus the limit.
"""

import re

from oslo_utils import uuidutils

from gantt.api import errors
from gantt.api import http
from gantt.api import query
from gantt.api import validation
from gantt import request_groups

MISSING_VALUE = 'placement.query.missing_value'
DUPLICATE_KEY = 'placement.query.duplicate_key'

_NUMBERED = r'[1-9][0-9]*'
_NAMED = r'[a-zA-Z0-9_-]{1,64}'
_PREFIXES = ('resources', 'required', 'member_of', 'in_tree')
_ANY_OF = 'in:'


class Query(object):
    """What one GET /allocation_candidates asks."""

    def __init__(self, groups, limit, suffixes):
        self.groups = groups
        self.limit = limit
        # Every requested class, for summaries before 1.27.
        self.resource_classes = frozenset(
            rc for g in groups.groups for rc in g.resources)
        self.suffixes = suffixes


def _bad(detail, code=errors.UNDEFINED):
    error = errors.Error(400, detail)
    error.code = code
    return error


def _suffix_pattern(version):
    return _NAMED if version >= (1, 33) else _NUMBERED


def schema(version):
    """The JSON schema of the query at ``version`` (a dict of strings)."""
    props, patterns, required = {}, {}, []
    if version < (1, 25):
        props['resources'] = {'type': 'string'}
        required.append('resources')
        if version >= (1, 17):
            props['required'] = {'type': ['string']}
        if version >= (1, 21):
            props['member_of'] = {'type': ['string']}
    else:
        grouped = ['resources', 'required', 'member_of']
        if version >= (1, 31):
            grouped.append('in_tree')
        for prefix in grouped:
            patterns['^%s(%s)?$' % (prefix, _suffix_pattern(version))] = {
                'type': 'string'}
        props['group_policy'] = {'type': 'string',
                                 'enum': list(request_groups.GROUP_POLICIES)}
    if version >= (1, 16):
        props['limit'] = {'type': ['integer', 'string'],
                          'pattern': '^[1-9][0-9]*$', 'minimum': 1,
                          'minLength': 1}
    if version >= (1, 35):
        props['root_required'] = {'type': ['string']}
    if version >= (1, 36):
        props['same_subtree'] = {'type': ['string']}
    out = {'type': 'object', 'properties': props,
           'additionalProperties': False}
    if patterns:
        out['patternProperties'] = patterns
    if required:
        out['required'] = required
    return out


def _validate(req, version):
    # A repeated parameter is judged by its last value, as placement
    # judges it.
    validation.query(req, [(version, schema(version))])


# -- values --------------------------------------------------------------

def resources(value):
    """{class: amount} of a ``resources`` value (RC:N,RC:N)."""
    if not value.strip():
        raise _bad('Badly formed resources parameter. Expected resources '
                   'query string parameter in form: '
                   '?resources=VCPU:2,MEMORY_MB:1024. Got: empty string.')
    out = {}
    for item in value.split(','):
        parts = item.split(':')
        if len(parts) != 2:
            raise _bad('Badly formed resources parameter. Expected '
                       'resources query string parameter in form: '
                       '?resources=VCPU:2,MEMORY_MB:1024. Got: %s.' % item)
        rc, amount = parts
        try:
            amount = int(amount)
        except ValueError:
            raise _bad('Requested resource %s expected positive integer '
                       'amount. Got: %s.' % (rc, amount))
        if amount < 1:
            raise _bad('Requested resource %s requires amount >= 1. '
                       'Got: %d.' % (rc, amount))
        out[rc] = amount
    return out


def traits(value, allow_forbidden, allow_any):
    """([set of traits any one of which is required], forbidden) of one
    ``required`` value."""
    if value.startswith(_ANY_OF):
        if not allow_any:
            raise _bad("Invalid query string parameters: The format "
                       "'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only supported "
                       "since microversion 1.39. Got: %s" % value)
        names = {n.strip() for n in value[len(_ANY_OF):].split(',')}
        if not all(names):
            raise _bad("Invalid query string parameters: Expected "
                       "'required' parameter value of the form: "
                       "in:HW_CPU_X86_VMX,CUSTOM_MAGIC. Got an empty trait "
                       "in: %s" % value)
        if any(n.startswith('!') for n in names):
            raise _bad("Invalid query string parameters: The format "
                       "'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' does not support "
                       "forbidden traits. Got: %s" % value)
        return [names], set()
    names = [n.strip() for n in value.split(',')]
    forbidden = {n[1:] for n in names if n.startswith('!')}
    if not all(names) or not all(forbidden):
        form = ('HW_CPU_X86_VMX,!CUSTOM_MAGIC' if allow_forbidden
                else 'HW_CPU_X86_VMX,CUSTOM_MAGIC')
        raise _bad("Invalid query string parameters: Expected 'required' "
                   "parameter value of the form: %s. Got an empty trait "
                   "in: %s" % (form, value))
    if forbidden and not allow_forbidden:
        raise _bad("Invalid query string parameters: Expected 'required' "
                   "parameter value of the form: HW_CPU_X86_VMX,"
                   "CUSTOM_MAGIC. Got: %s" % value)
    return [{n} for n in names if not n.startswith('!')], forbidden


def in_tree(value):
    uuid = value.strip()
    if not uuidutils.is_uuid_like(uuid):
        raise _bad("Invalid query string parameters: Expected 'in_tree' "
                   "parameter to be a format of uuid. Got: %s" % value)
    return uuid


# -- groups --------------------------------------------------------------

class _Raw(object):
    """One group as the query gives it, before Gantt's Group."""

    def __init__(self):
        self.resources = {}
        self.required = []
        self.forbidden = set()
        self.member_of = []
        self.forbidden_aggs = set()
        self.in_tree = None


def _required_values(params, suffix, version):
    values = params.getall('required' + suffix)
    if version < (1, 39):
        # Before any-of traits, the last value counts alone.
        values = values[-1:]
    required, forbidden = [], set()
    for value in values:
        wanted, unwanted = traits(value, version >= (1, 22),
                                  version >= (1, 39))
        required += wanted
        forbidden |= unwanted
    return required, forbidden


def _raw_groups(req, version):
    """{suffix: _Raw} in the order the query names them."""
    key = re.compile(r'^(%s)(%s)?$' % ('|'.join(_PREFIXES),
                                       _suffix_pattern(version)))
    params, out = req.GET, {}
    for name, value in params.items():
        match = key.match(name)
        if not match:
            continue
        prefix, suffix = match.group(1), match.group(2) or ''
        raw = out.setdefault(suffix, _Raw())
        if prefix == 'resources':
            raw.resources = resources(value)
        elif prefix == 'required':
            raw.required, raw.forbidden = _required_values(
                params, suffix, version)
        elif prefix == 'member_of':
            raw.member_of, raw.forbidden_aggs = query.member_of(
                req, 'member_of' + suffix)
        else:
            raw.in_tree = in_tree(value)
    return out


def _check_subtrees(raws, same_subtree):
    resourceless = [s for s, raw in raws.items() if not raw.resources]
    if len(resourceless) == len(raws):
        raise _bad('There must be at least one resources or resources[$S] '
                   'parameter.', MISSING_VALUE)
    named = set().union(*same_subtree) if same_subtree else set()
    bad = [s for s in resourceless if s not in named]
    if bad:
        raise _bad('Resourceless suffixed group request should be '
                   'specified in `same_subtree` query param: bad group(s) '
                   '- %s.' % bad, errors.BAD_QUERY)
    bad = [s for s in named if s not in raws]
    if bad:
        raise _bad('Real suffixes should be specified in `same_subtree`: '
                   '%s not found in %s.' % (bad, list(raws)),
                   errors.BAD_QUERY)


def _check_orphans(raws):
    orphans = ['required%s' % s for s, raw in raws.items()
               if raw.required and not raw.resources]
    if orphans:
        raise _bad('All traits parameters must be associated with '
                   'resources.  Found the following orphaned traits keys: '
                   '%s' % ', '.join(orphans))
    orphans = ['member_of%s' % s for s, raw in raws.items()
               if not raw.resources and (raw.member_of or
                                         raw.forbidden_aggs)]
    if orphans:
        raise _bad('All member_of parameters must be associated with '
                   'resources. Found the following orphaned member_of '
                   'keys: %s' % ', '.join(orphans))
    if not all(raw.resources for raw in raws.values()):
        raise _bad('All request groups must specify resources.')
    if not raws:
        raise _bad('At least one request group (`resources` or '
                   '`resources{$S}`) is required.')


def _check_conflicts(raws):
    conflicts = sorted(
        'required%s: (%s)' % (s, ', '.join(sorted(any_of)))
        for s, raw in raws.items() for any_of in raw.required
        if all(t in raw.forbidden for t in any_of))
    if conflicts:
        raise _bad('Conflicting required and forbidden traits found in the '
                   'following traits keys: %s' % ', '.join(conflicts))


def _root_traits(params):
    values = params.getall('root_required')
    if not values:
        return set(), set()
    if len(values) > 1:
        raise _bad("Query parameter 'root_required' may be specified only "
                   "once.", DUPLICATE_KEY)
    wanted, unwanted = traits(values[0], True, False)
    required = {t for any_of in wanted for t in any_of}
    both = required & unwanted
    if both:
        raise _bad('Conflicting required and forbidden traits found in '
                   'root_required: %s' % ', '.join(sorted(both)),
                   errors.BAD_QUERY)
    return required, unwanted


def _same_subtree(params):
    out = []
    for value in params.getall('same_subtree'):
        suffixes = {s.strip() for s in value.split(',')}
        if '' in suffixes:
            raise _bad('Empty string (unsuffixed group) can not be '
                       'specified in `same_subtree` ', errors.BAD_QUERY)
        out.append(suffixes)
    return out


def _group(suffix, raw):
    plain = {t for any_of in raw.required if len(any_of) == 1
             for t in any_of}
    return request_groups.Group(
        suffix=suffix, resources=raw.resources, required=plain,
        forbidden=raw.forbidden,
        required_any=[a for a in raw.required if len(a) > 1],
        member_of=raw.member_of, forbidden_aggs=raw.forbidden_aggs,
        in_tree=raw.in_tree)


def _check_known(raws, root_traits, missing_classes, missing_traits):
    """400 for a class or trait the store does not know, as placement
    answers: the root traits first, then each group's classes and traits."""
    unknown = missing_traits(root_traits)
    if unknown:
        raise _bad('No such trait(s): %s.' % ', '.join(unknown))
    for raw in raws.values():
        unknown = missing_classes(raw.resources)
        if unknown:
            raise _bad('Invalid resource class in resources parameter: No '
                       'such resource class %s.' % unknown[0])
        names = set(raw.forbidden)
        for any_of in raw.required:
            names |= any_of
        unknown = missing_traits(names)
        if unknown:
            raise _bad('No such trait(s): %s.' % ', '.join(unknown))


def parse(req, missing_classes, missing_traits):
    """The Query of ``req``, or errors.Error 400 saying what is wrong.

    ``missing_classes`` and ``missing_traits`` answer, for a collection
    of names, the sorted list of those the store does not know.
    """
    params, version = req.GET, http.version(req)
    _validate(req, version)
    limit = params.getall('limit')
    # A repeated limit or group_policy: the first counts.
    limit = int(limit[0]) if limit else None
    policy = params.getall('group_policy')
    policy = policy[0] if policy else None
    root_required, root_forbidden = _root_traits(params)
    same_subtree = _same_subtree(params)
    raws = _raw_groups(req, version)
    if version >= (1, 36):
        _check_subtrees(raws, same_subtree)
    else:
        _check_orphans(raws)
    if version >= (1, 22):
        _check_conflicts(raws)
    if not policy and len([s for s in raws if s]) > 1:
        raise _bad('The "group_policy" parameter is required when '
                   'specifying more than one "resources{N}" parameter.')
    _check_known(raws, root_required | root_forbidden, missing_classes,
                 missing_traits)
    numbered = [_group(s, raws[s]) for s in sorted(s for s in raws if s)]
    groups = request_groups.RequestGroups(
        _group('', raws['']) if '' in raws else request_groups.Group(),
        numbered=numbered, group_policy=policy,
        root_required=root_required, root_forbidden=root_forbidden,
        same_subtree=[tuple(sorted(s)) for s in same_subtree])
    return Query(groups, limit, list(raws))
