"""Provider and consumer generations set to given values: a reshape
leaves each provider's generation where placement's would, and
import-nova carries placement's generations over, so the generations
nova's computes hold stay valid across the switch."""

import sqlalchemy as sa

from gantt.db import models

_providers = models.ResourceProvider.__table__
_consumers = models.Consumer.__table__


def providers(conn, seq, generations):
    """Set each provider's generation ({uuid: generation}) and stamp it
    in the change feed; providers already there are left alone."""
    for uuid, generation in sorted(generations.items()):
        conn.execute(sa.update(_providers)
                     .where(_providers.c.uuid == uuid)
                     .where(_providers.c.generation != generation)
                     .values(generation=generation, change_seq=seq))


def consumers(conn, generations):
    """Set each consumer's generation ({uuid: generation})."""
    for uuid, generation in sorted(generations.items()):
        conn.execute(sa.update(_consumers)
                     .where(_consumers.c.uuid == uuid)
                     .where(_consumers.c.generation != generation)
                     .values(generation=generation))


def of_providers(conn, uuids):
    """{uuid: generation} of those providers that exist."""
    if not uuids:
        return {}
    return dict(conn.execute(
        sa.select(_providers.c.uuid, _providers.c.generation)
        .where(_providers.c.uuid.in_(sorted(uuids)))).all())
