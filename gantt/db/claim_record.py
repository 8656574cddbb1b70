"""What a claim records besides its allocations: each instance on its
host, its stored RequestSpec and the decision it was given.

On PostgreSQL a claim for one instance writes the three rows in one
statement (a data-modifying WITH of the three upserts), one round trip
where it took three; elsewhere each kind is one statement of its own.
"""

import functools

import sqlalchemy as sa

from gantt.db import decision
from gantt.db import instance
from gantt.db import request_spec
from gantt.db import timestamps


@functools.lru_cache(maxsize=None)
def _together(with_spec, with_decision):
    """The instance's upsert with, as asked, its spec's and its
    decision's, as one PostgreSQL statement. The three share the binds
    ``uuid`` (the instance) and ``now``."""
    ctes = [instance.PLACE.statement('postgresql').cte('placed')]
    if with_spec:
        ctes.append(request_spec.UPSERT.statement('postgresql').cte('spec'))
    if with_decision:
        ctes.append(decision.UPSERT.statement('postgresql').cte('decided'))
    return sa.select(sa.literal(1)).add_cte(*ctes)


def record(conn, seq, placements, specs, digest, decided):
    """Record each (instance uuid, host, node) stamped ``seq``, store
    ``specs`` ({instance uuid: spec}) and keep ``decided`` ({instance
    uuid: encoded selections}) under ``digest``."""
    now = timestamps.utcnow()
    if (conn.dialect.name == 'postgresql' and len(placements) == 1 and
            set(specs) <= {placements[0][0]} and
            set(decided) <= {placements[0][0]}):
        uuid, host, node = placements[0]
        params = {'uuid': uuid, 'host': host, 'node': node, 'seq': seq,
                  'now': now}
        if specs:
            params['spec'] = request_spec.text(specs[uuid])
        if decided:
            params.update(digest=digest, selections=decided[uuid])
        conn.execute(_together(bool(specs), bool(decided)), params)
        return
    instance.place(conn, seq, placements)
    request_spec.save_all(conn, specs)
    decision.record(conn, digest, decided, now)
