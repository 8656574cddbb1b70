"""A request read as placement-style request groups.

The unnumbered group (resources that may spread over a host's tree) comes
from the flavor and image; numbered or named groups (each from a single
provider) come from ``resourcesN:``/``traitsN:`` flavor extra specs and the
spec's ``requested_resources``; ``request_level_params`` add root traits and
same_subtree constraints. gantt.request reads those parts of a RequestSpec
and calls :func:`build` with plain values.
"""

import re

from gantt import exception
from gantt import resource_classes
from gantt import traits as traits_mod

_SUFFIX = r'([1-9][0-9]*|_[a-zA-Z0-9_-]{1,64})?'
_RESOURCES_KEY = re.compile(r'^resources%s:(.+)$' % _SUFFIX)
_TRAIT_KEY = re.compile(r'^trait%s:(.+)$' % _SUFFIX)
_SUFFIX_ONLY = re.compile(r'^[a-zA-Z0-9_-]{1,64}$')
GROUP_POLICIES = ('none', 'isolate')


class Group(object):
    """One request group; ``suffix`` '' is the unnumbered group."""

    __slots__ = ('suffix', 'resources', 'required', 'forbidden',
                 'member_of', 'forbidden_aggs', 'in_tree', 'provider_uuids')

    def __init__(self, suffix='', resources=None, required=(),
                 forbidden=(), member_of=(), forbidden_aggs=(),
                 in_tree=None, provider_uuids=None):
        self.suffix = suffix
        self.resources = {rc: int(n) for rc, n in (resources or {}).items()
                          if n}
        self.required = frozenset(required)
        self.forbidden = frozenset(forbidden)
        self.member_of = [frozenset(s) for s in member_of if s]
        self.forbidden_aggs = frozenset(forbidden_aggs)
        self.in_tree = in_tree
        self.provider_uuids = (frozenset(provider_uuids)
                               if provider_uuids else None)

    def is_plain(self):
        """Resources only: no traits, aggregates or provider limits."""
        return not (self.required or self.forbidden or self.member_of or
                    self.forbidden_aggs or self.in_tree or
                    self.provider_uuids)

    def __repr__(self):
        return ('<Group %r resources=%s required=%s forbidden=%s>'
                % (self.suffix, self.resources, sorted(self.required),
                   sorted(self.forbidden)))


class RequestGroups(object):
    """Every group of one request plus the request-level constraints."""

    def __init__(self, unnumbered, numbered=(), group_policy=None,
                 root_required=(), root_forbidden=(), same_subtree=()):
        self.unnumbered = unnumbered
        self.numbered = list(numbered)
        self.group_policy = group_policy
        self.root_required = frozenset(root_required)
        self.root_forbidden = frozenset(root_forbidden)
        self.same_subtree = [tuple(s) for s in same_subtree]
        self._check()

    @property
    def groups(self):
        return [self.unnumbered] + self.numbered

    def by_suffix(self):
        return {g.suffix: g for g in self.groups}

    def is_root_only(self):
        """Only plain unnumbered resources: the resource filters decide."""
        return (not self.numbered and self.unnumbered.is_plain() and
                not self.root_required and not self.root_forbidden and
                not self.same_subtree)

    def _check(self):
        for group in self.groups:
            for rc in group.resources:
                resource_classes.validate(rc)
            traits_mod.validate_all(group.required | group.forbidden)
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
    if value == 'required':
        return True
    if value == 'forbidden':
        return False
    raise exception.InvalidRequest(
        reason='extra spec %s=%r: a trait is "required" or "forbidden"'
        % (key, value))


def _extra_spec_groups(extra_specs, unnumbered):
    """Numbered groups from extra specs; fills the unnumbered traits."""
    numbered = {}
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
            if match.group(1):
                group = numbered.setdefault(match.group(1),
                                            Group(match.group(1)))
            else:
                group = unnumbered
            if wanted:
                group.required = group.required | {match.group(2)}
            else:
                group.forbidden = group.forbidden | {match.group(2)}
    return numbered


def _requested_group(index, rg, unnumbered):
    """A Group from a RequestGroup's fields (a dict of those set, not None);
    None when merged into unnumbered.

    A group's suffix is its requester_id when that is a valid suffix (a
    port uuid is), else one made from its position.
    """
    resources = dict(rg.get('resources', {}))
    required = rg.get('required_traits', set())
    forbidden = rg.get('forbidden_traits', set())
    if not rg.get('use_same_provider', True):
        for rc, amount in resources.items():
            unnumbered.resources[rc] = (unnumbered.resources.get(rc, 0) +
                                        int(amount))
        unnumbered.required = unnumbered.required | set(required)
        unnumbered.forbidden = unnumbered.forbidden | set(forbidden)
        return None
    requester = rg.get('requester_id')
    suffix = (requester if requester and _SUFFIX_ONLY.match(requester)
              else '_requested%d' % index)
    return Group(suffix, resources, required, forbidden,
                 member_of=rg.get('aggregates', []),
                 forbidden_aggs=rg.get('forbidden_aggregates', set()),
                 in_tree=rg.get('in_tree'),
                 provider_uuids=rg.get('provider_uuids', []))


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
    numbered = _extra_spec_groups(extra_specs, unnumbered)
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
              g.forbidden or g.member_of]
    return RequestGroups(
        unnumbered, groups, group_policy=extra_specs.get('group_policy'),
        root_required=root_required, root_forbidden=root_forbidden,
        same_subtree=same_subtree)


def _suffix_order(suffix):
    return (0, int(suffix), '') if suffix.isdigit() else (1, 0, suffix)
