"""Resource classes: os-resource-classes' standard names and CUSTOM_* ones.

A resource class names one kind of countable inventory. The standard set is
the os-resource-classes library's; an operator or driver may use any name
matching ``CUSTOM_[A-Z0-9_]+``, which the store records on first use.
"""

import re

import os_resource_classes as orc

from gantt import exception

CUSTOM_PREFIX = orc.CUSTOM_NAMESPACE
CUSTOM_PATTERN = re.compile(r'^CUSTOM_[A-Z0-9_]+$')

# Membership only: inventories and allocations store a class by its name,
# and the resource_classes table holds custom names alone, so no id depends
# on the library's order.
STANDARD = frozenset(orc.STANDARDS)


def is_custom(name):
    return isinstance(name, str) and name.startswith(CUSTOM_PREFIX)


def is_valid(name):
    """Whether ``name`` is a standard class or a well-formed custom one."""
    if not isinstance(name, str):
        return False
    if name in STANDARD:
        return True
    return bool(CUSTOM_PATTERN.match(name))


def validate(name):
    """Return ``name`` or raise InvalidResourceClass saying why."""
    if not isinstance(name, str) or not name:
        raise exception.InvalidResourceClass(
            name=name, reason='a resource class is a non-empty string')
    if name in STANDARD:
        return name
    if is_custom(name):
        if CUSTOM_PATTERN.match(name):
            return name
        raise exception.InvalidResourceClass(
            name=name, reason='custom resource classes must match %s'
            % CUSTOM_PATTERN.pattern)
    raise exception.InvalidResourceClass(
        name=name, reason='not a standard resource class, and custom ones '
        'start with %s' % CUSTOM_PREFIX)


def normalize_custom(text):
    """A custom class name made from free text (``gold`` -> CUSTOM_GOLD).

    Bare-metal node resource classes are often given in lower case. Text is
    normalised by os-resource-classes, as nova does; a name that already is
    a well-formed custom class is kept as it is.
    """
    text = str(text)
    if CUSTOM_PATTERN.match(text):
        return text
    return orc.normalize_name(text)
