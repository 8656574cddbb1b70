"""A request read as placement-style request groups.

The unnumbered group (resources that may spread over a host's tree) comes
from the flavor and image; numbered or named groups (each from a single
provider) come from ``resourcesN:``/``traitsN:`` flavor extra specs and the
spec's ``requested_resources``; ``request_level_params`` add root traits and
same_subtree constraints. gantt.request reads those parts of a RequestSpec
and calls :func:`build` with plain values.

Beyond the flavor keys the compute controller knows, a flavor may ask, per
group (``S`` is an optional suffix):

- ``requiredS=in:A,B``: any one of traits A or B (placement's 1.39 any-of);
  ``requiredS=A,!B`` requires A and forbids B;
- ``member_ofS=in:a1,a2`` / ``member_ofS=a1``: the provider is in one of
  the aggregates; ``member_ofS=!in:a1,a2`` / ``member_ofS=!a1``: in none;
- ``trait:NAME=preferred`` / ``trait:NAME=avoided``: soft traits (no
  suffix: they speak of the whole host). A host with NAME on any provider
  of its tree scores higher (preferred) or lower (avoided) with the
  TraitPreferenceWeigher; no host is removed for them.

A RequestGroup's ``required_traits`` may hold ``in:A,B`` entries, read as
any-of too.
"""

import re

from gantt import exception
from gantt import resource_classes
from gantt import traits as traits_mod

_SUFFIX = r'([1-9][0-9]*|_[a-zA-Z0-9_-]{1,64})?'
_RESOURCES_KEY = re.compile(r'^resources%s:(.+)$' % _SUFFIX)
_TRAIT_KEY = re.compile(r'^trait%s:(.+)$' % _SUFFIX)
_REQUIRED_KEY = re.compile(r'^required%s$' % _SUFFIX)
_MEMBER_OF_KEY = re.compile(r'^member_of%s$' % _SUFFIX)
ANY_OF = 'in:'
SOFT_TRAIT_VALUES = ('preferred', 'avoided')
_SUFFIX_ONLY = re.compile(r'^[a-zA-Z0-9_-]{1,64}$')
GROUP_POLICIES = ('none', 'isolate')


class Group(object):
    """One request group; ``suffix`` '' is the unnumbered group."""

    __slots__ = ('suffix', 'resources', 'required', 'forbidden',
                 'required_any', 'member_of', 'forbidden_aggs', 'in_tree',
                 'provider_uuids')

    def __init__(self, suffix='', resources=None, required=(),
                 forbidden=(), member_of=(), forbidden_aggs=(),
                 in_tree=None, provider_uuids=None, required_any=()):
        self.suffix = suffix
        self.resources = {rc: int(n) for rc, n in (resources or {}).items()
                          if n}
        self.required = frozenset(required)
        self.forbidden = frozenset(forbidden)
        # Each entry: the provider (for the unnumbered group, the providers
        # used and the root) has at least one of these traits.
        self.required_any = [frozenset(s) for s in required_any if s]
        self.member_of = [frozenset(s) for s in member_of if s]
        self.forbidden_aggs = frozenset(forbidden_aggs)
        self.in_tree = in_tree
        self.provider_uuids = (frozenset(provider_uuids)
                               if provider_uuids else None)

    def is_plain(self):
        """Resources only: no traits, aggregates or provider limits."""
        return not (self.required or self.forbidden or self.required_any or
                    self.member_of or self.forbidden_aggs or self.in_tree or
                    self.provider_uuids)

    def __repr__(self):
        return ('<Group %r resources=%s required=%s forbidden=%s>'
                % (self.suffix, self.resources, sorted(self.required),
                   sorted(self.forbidden)))


class RequestGroups(object):
    """Every group of one request plus the request-level constraints.

    Request-level constraints speak of the host (its root provider):
    ``root_required``/``root_forbidden`` traits, ``root_member_of`` (each
    entry a set of aggregates the host must be in one of) and
    ``root_forbidden_aggs``; the request pre-filters
    (gantt.request_filters) add to them and name themselves in
    ``narrowed_by``. ``preferred``/``avoided`` are soft traits: they rank
    hosts and never remove one.
    """

    def __init__(self, unnumbered, numbered=(), group_policy=None,
                 root_required=(), root_forbidden=(), same_subtree=(),
                 root_member_of=(), root_forbidden_aggs=(), preferred=(),
                 avoided=(), narrowed_by=()):
        self.unnumbered = unnumbered
        self.numbered = list(numbered)
        self.group_policy = group_policy
        self.root_required = frozenset(root_required)
        self.root_forbidden = frozenset(root_forbidden)
        self.same_subtree = [tuple(s) for s in same_subtree]
        self.root_member_of = [frozenset(s) for s in root_member_of]
        self.root_forbidden_aggs = frozenset(root_forbidden_aggs)
        self.preferred = frozenset(preferred)
        self.avoided = frozenset(avoided)
        self.narrowed_by = tuple(narrowed_by)
        self._check()

    def narrowed(self, name, member_of=(), forbidden_aggs=(), required=(),
                 forbidden=()):
        """A copy with more request-level constraints, added by the
        request pre-filter ``name`` (standard trait names: a pre-filter
        builds them, the request did not give them); the groups themselves
        are shared, so nothing is checked again."""
        out = object.__new__(RequestGroups)
        out.__dict__.update(self.__dict__)
        out.root_required = self.root_required | frozenset(required)
        out.root_forbidden = self.root_forbidden | frozenset(forbidden)
        out.root_member_of = self.root_member_of + [
            frozenset(s) for s in member_of]
        out.root_forbidden_aggs = (self.root_forbidden_aggs |
                                   frozenset(forbidden_aggs))
        out.narrowed_by = self.narrowed_by + (name,)
        return out

    def has_root_limits(self):
        """Whether some request-level constraint removes hosts."""
        return bool(self.root_required or self.root_forbidden or
                    self.root_member_of or self.root_forbidden_aggs)

    def all_required(self):
        """Every trait some request group requires outright."""
        out = set()
        for group in self.groups:
            out |= group.required
        return frozenset(out)

    @property
    def groups(self):
        return [self.unnumbered] + self.numbered

    def by_suffix(self):
        return {g.suffix: g for g in self.groups}

    def is_root_only(self):
        """Only plain unnumbered resources: the resource filters decide.

        Request-level constraints on the root (traits, aggregates) leave a
        request root-only: they are a mask over the hosts
        (gantt.candidates.root_mask).
        """
        return (not self.numbered and self.unnumbered.is_plain() and
                not self.same_subtree)

    def _check(self):
        for group in self.groups:
            for rc in group.resources:
                resource_classes.validate(rc)
            traits_mod.validate_all(group.required | group.forbidden)
            for any_of in group.required_any:
                traits_mod.validate_all(any_of)
            both = group.required & group.forbidden
            if both:
                raise exception.InvalidRequest(
                    reason='group %r both requires and forbids %s'
                    % (group.suffix, ', '.join(sorted(both))))
            for amount in group.resources.values():
                if amount < 0:
                    raise exception.InvalidRequest(
                        reason='group %r asks a negative amount'
                        % group.suffix)
        traits_mod.validate_all(self.root_required | self.root_forbidden)
        traits_mod.validate_all(self.preferred | self.avoided)
        both = self.preferred & self.avoided
        if both:
            raise exception.InvalidRequest(
                reason='traits both preferred and avoided: %s'
                % ', '.join(sorted(both)))
        if self.group_policy not in (None,) + GROUP_POLICIES:
            raise exception.InvalidRequest(
                reason='group_policy %r is not one of %s'
                % (self.group_policy, ', '.join(GROUP_POLICIES)))
        known = {g.suffix for g in self.numbered}
        for entry in self.same_subtree:
            unknown = [s for s in entry if s not in known]
            if unknown:
                raise exception.InvalidRequest(
                    reason='same_subtree names unknown groups %s'
                    % ', '.join(unknown))


def _trait_value(key, value):
    if value in ('required', 'forbidden') + SOFT_TRAIT_VALUES:
        return value
    raise exception.InvalidRequest(
        reason='extra spec %s=%r: a trait is "required", "forbidden", '
        '"preferred" or "avoided"' % (key, value))


def _names(key, text):
    """The comma-separated names of ``text``, none of them empty."""
    names = [n.strip() for n in text.split(',')]
    if not text or not all(names):
        raise exception.InvalidRequest(
            reason='extra spec %s=%r names an empty item' % (key, text))
    return names


def parse_required(key, value):
    """(required, forbidden, required_any) of a placement-style
    ``required`` value: ``in:A,B`` (any one of them) or ``A,!B``."""
    value = (value or '').strip()
    if value.startswith(ANY_OF):
        return set(), set(), [frozenset(_names(key, value[len(ANY_OF):]))]
    required, forbidden = set(), set()
    for name in _names(key, value):
        if name.startswith('!'):
            forbidden.add(name[1:])
        elif name.startswith(ANY_OF):
            raise exception.InvalidRequest(
                reason='extra spec %s=%r: "in:" starts the value, it does '
                'not mix with other traits' % (key, value))
        else:
            required.add(name)
    return required, forbidden, []


def parse_member_of(key, value):
    """(member_of entry or None, forbidden aggregates) of a placement-style
    ``member_of`` value: ``in:a,b``, ``a``, ``!in:a,b`` or ``!a``."""
    value = (value or '').strip()
    negate = value.startswith('!')
    if negate:
        value = value[1:]
    if value.startswith(ANY_OF):
        names = _names(key, value[len(ANY_OF):])
    else:
        names = _names(key, value)
        if len(names) > 1:
            raise exception.InvalidRequest(
                reason='extra spec %s: several aggregates are written '
                '"in:a,b" (any of them) or "!in:a,b" (none of them)' % key)
    if negate:
        return None, set(names)
    return frozenset(names), set()


def _extra_spec_groups(extra_specs, unnumbered):
    """Numbered groups from extra specs; fills the unnumbered group's
    traits and aggregates. Returns (numbered, preferred, avoided)."""
    numbered = {}
    preferred, avoided = set(), set()

    def group_of(suffix):
        if not suffix:
            return unnumbered
        return numbered.setdefault(suffix, Group(suffix))

    for key, value in sorted(extra_specs.items()):
        match = _RESOURCES_KEY.match(key)
        if match and match.group(1):
            group = numbered.setdefault(match.group(1), Group(match.group(1)))
            try:
                amount = int(value)
            except (TypeError, ValueError):
                raise exception.InvalidRequest(
                    reason='extra spec %s=%r is not an integer'
                    % (key, value))
            if amount:
                group.resources[match.group(2)] = amount
            continue
        match = _TRAIT_KEY.match(key)
        if match:
            wanted = _trait_value(key, value)
            if wanted in SOFT_TRAIT_VALUES:
                if match.group(1):
                    raise exception.InvalidRequest(
                        reason='extra spec %s=%s: a %s trait speaks of the '
                        'whole host; write it without a group suffix'
                        % (key, value, wanted))
                (preferred if wanted == 'preferred' else avoided).add(
                    match.group(2))
                continue
            group = group_of(match.group(1))
            if wanted == 'required':
                group.required = group.required | {match.group(2)}
            else:
                group.forbidden = group.forbidden | {match.group(2)}
            continue
        match = _REQUIRED_KEY.match(key)
        if match:
            group = group_of(match.group(1))
            required, forbidden, any_of = parse_required(key, value)
            group.required = group.required | required
            group.forbidden = group.forbidden | forbidden
            group.required_any = group.required_any + any_of
            continue
        match = _MEMBER_OF_KEY.match(key)
        if match:
            group = group_of(match.group(1))
            member_of, forbidden = parse_member_of(key, value)
            if member_of:
                group.member_of = group.member_of + [member_of]
            group.forbidden_aggs = group.forbidden_aggs | forbidden
    return numbered, preferred, avoided


def _split_any_of(names):
    """(plain traits, any-of sets) of a RequestGroup's required_traits."""
    plain, any_of = set(), []
    for name in names:
        if name.startswith(ANY_OF):
            any_of.append(frozenset(_names('required_traits',
                                           name[len(ANY_OF):])))
        else:
            plain.add(name)
    return plain, any_of


def _requested_group(index, rg, unnumbered):
    """A Group from a RequestGroup's fields (a dict of those set, not None);
    None when merged into unnumbered.

    A group's suffix is its requester_id when that is a valid suffix (a
    port uuid is), else one made from its position.
    """
    resources = dict(rg.get('resources', {}))
    required, any_of = _split_any_of(rg.get('required_traits', set()))
    forbidden = rg.get('forbidden_traits', set())
    if not rg.get('use_same_provider', True):
        for rc, amount in resources.items():
            unnumbered.resources[rc] = (unnumbered.resources.get(rc, 0) +
                                        int(amount))
        unnumbered.required = unnumbered.required | set(required)
        unnumbered.forbidden = unnumbered.forbidden | set(forbidden)
        unnumbered.required_any = unnumbered.required_any + any_of
        return None
    requester = rg.get('requester_id')
    suffix = (requester if requester and _SUFFIX_ONLY.match(requester)
              else '_requested%d' % index)
    return Group(suffix, resources, required, forbidden,
                 member_of=rg.get('aggregates', []),
                 forbidden_aggs=rg.get('forbidden_aggregates', set()),
                 in_tree=rg.get('in_tree'),
                 provider_uuids=rg.get('provider_uuids', []),
                 required_any=any_of)


def build(resources, extra_specs, image_traits=(), requested=(),
          root_required=(), root_forbidden=(), same_subtree=()):
    """The RequestGroups of one request, from plain values.

    ``resources`` is the unnumbered amount per class
    (gantt.request.flavor_resources); zero amounts are dropped, so a
    bare-metal flavor's ``resources:VCPU=0`` asks for no VCPU.
    ``requested`` holds, per RequestGroup of the spec's
    requested_resources, the dict of its fields that are set.
    """
    unnumbered = Group('', resources)
    numbered, preferred, avoided = _extra_spec_groups(extra_specs,
                                                      unnumbered)
    if image_traits:
        unnumbered.required = unnumbered.required | set(image_traits)
    groups = [numbered[k] for k in sorted(numbered, key=_suffix_order)]
    taken = {g.suffix for g in groups}
    for i, rg in enumerate(requested):
        group = _requested_group(i, rg, unnumbered)
        if group is None:
            continue
        if group.suffix in taken:
            raise exception.InvalidRequest(
                reason='request group %r is given twice' % group.suffix)
        taken.add(group.suffix)
        groups.append(group)
    # A numbered group asking nothing at all is dropped (placement ignores
    # an empty group too).
    groups = [g for g in groups if g.resources or g.required or
              g.forbidden or g.required_any or g.member_of or
              g.forbidden_aggs]
    return RequestGroups(
        unnumbered, groups, group_policy=extra_specs.get('group_policy'),
        root_required=root_required, root_forbidden=root_forbidden,
        same_subtree=same_subtree, preferred=preferred, avoided=avoided)


def _suffix_order(suffix):
    return (0, int(suffix), '') if suffix.isdigit() else (1, 0, suffix)
