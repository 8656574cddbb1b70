"""Traits: qualitative facts about a provider (CPU flags, NIC offloads...).

Standard trait names come from the os-traits library; anything else must be
a ``CUSTOM_[A-Z0-9_]+`` name. Traits belong to providers; requests ask for
them as required or forbidden.
"""

import re

import os_traits

from gantt import exception

CUSTOM_PREFIX = os_traits.CUSTOM_NAMESPACE
CUSTOM_PATTERN = re.compile(r'^CUSTOM_[A-Z0-9_]+$')

# The trait that makes a provider share its inventory with every root
# provider in one of its aggregates.
SHARES_VIA_AGGREGATE = os_traits.MISC_SHARES_VIA_AGGREGATE

_STANDARD = None


def standard():
    """The frozenset of standard trait names (loaded once)."""
    global _STANDARD
    if _STANDARD is None:
        _STANDARD = frozenset(os_traits.get_traits())
    return _STANDARD


def is_valid(name):
    if not isinstance(name, str):
        return False
    return name in standard() or bool(CUSTOM_PATTERN.match(name))


def validate(name):
    """Return ``name`` or raise InvalidTrait saying why."""
    if not isinstance(name, str) or not name:
        raise exception.InvalidTrait(name=name,
                                     reason='a trait is a non-empty string')
    if name in standard():
        return name
    if name.startswith(CUSTOM_PREFIX):
        if CUSTOM_PATTERN.match(name):
            return name
        raise exception.InvalidTrait(
            name=name, reason='custom traits must match %s'
            % CUSTOM_PATTERN.pattern)
    raise exception.InvalidTrait(
        name=name, reason='not a standard trait (os-traits %s), and custom '
        'ones start with %s' % (_os_traits_version(), CUSTOM_PREFIX))


def validate_all(names):
    """Validate every name; returns them as a frozenset."""
    return frozenset(validate(n) for n in names or ())


def _os_traits_version():
    try:
        from importlib import metadata
        return metadata.version('os-traits')
    except Exception:  # pragma: no cover - metadata is always there
        return 'unknown'
