"""The trait catalogue: os-traits' standard names and the custom ones
recorded in the store (on first use, or created through the API)."""

import sqlalchemy as sa

from gantt.db import catalogue
from gantt.db import models
from gantt import exception
from gantt import traits as traits_mod

_traits = models.Trait.__table__
_provider_traits = models.ProviderTrait.__table__
CATALOGUE = catalogue.Catalogue(
    _traits, traits_mod.standard, traits_mod.CUSTOM_PATTERN,
    lambda name, reason: exception.InvalidTrait(name=name, reason=reason))


def list_names(session, names=None, prefix=None, associated=None):
    """Sorted trait names: standard and recorded, those in ``names`` (if
    given), starting with ``prefix`` (if given), and with ``associated``
    True/False only those some provider has / no provider has."""
    found = CATALOGUE.recorded(session) | set(traits_mod.standard())
    if associated is not None:
        used = set(session.execute(
            sa.select(_traits.c.name).join(
                _provider_traits,
                _provider_traits.c.trait_id == _traits.c.id)).scalars())
        found = found & used if associated else found - used
    if names is not None:
        found &= set(names)
    if prefix:
        found = {n for n in found if n.startswith(prefix)}
    return sorted(found)


def exists(session, name):
    return CATALOGUE.exists(session, name)


def create(session, name):
    """Record a custom trait; True if it is new."""
    return CATALOGUE.create(session, name)


def delete(session, name):
    """Forget a custom trait no provider has."""
    if name in traits_mod.standard():
        raise exception.InvalidTrait(
            name=name, reason='standard traits cannot be deleted')
    trait_id = session.execute(sa.select(_traits.c.id).where(
        _traits.c.name == name)).scalar()
    if trait_id is None:
        raise exception.NotFound(what='Trait %s' % name)
    if session.execute(sa.select(_provider_traits.c.id).where(
            _provider_traits.c.trait_id == trait_id)).first() is not None:
        raise exception.InUse(what='Trait %s' % name,
                              reason='resource providers have it')
    session.execute(sa.delete(_traits).where(_traits.c.id == trait_id))
