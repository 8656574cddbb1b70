"""The services table: which Gantt and compute services run, which version."""

import sqlalchemy as sa

from gantt.db import models
from gantt.db import timestamps

_services = models.Service.__table__


def touch(session, seq, binary, host, version=None, rpc_version=None,
          now=None):
    """Record that ``binary`` on ``host`` is alive (creating the row)."""
    now = now or timestamps.utcnow()
    values = {'last_seen_up': now, 'change_seq': seq}
    if version is not None:
        values['version'] = version
    if rpc_version is not None:
        values['rpc_version'] = rpc_version
    result = session.execute(
        sa.update(_services).where(_services.c.binary == binary)
        .where(_services.c.host == host).values(**values))
    if result.rowcount == 0:
        session.execute(sa.insert(_services).values(
            binary=binary, host=host, **values))


def register(session, binary, host, version, rpc_version):
    touch(session, session.info['change_seq'], binary, host,
          version=version, rpc_version=rpc_version)


def get_all(session, binary=None):
    """Every service (of ``binary``) as a plain dict."""
    query = sa.select(_services).order_by(_services.c.binary,
                                          _services.c.host)
    if binary is not None:
        query = query.where(_services.c.binary == binary)
    return [_as_dict(row) for row in session.execute(query)]


def _as_dict(row):
    return {'binary': row.binary, 'host': row.host, 'version': row.version,
            'rpc_version': row.rpc_version,
            'last_seen_up': timestamps.to_epoch(row.last_seen_up)}


def get(session, binary, host):
    """The service's row as a plain dict, or None."""
    row = session.execute(
        sa.select(_services).where(_services.c.binary == binary)
        .where(_services.c.host == host)).first()
    return None if row is None else _as_dict(row)


def delete(session, binary, host):
    """Remove the service's row; the row removed (a dict), or None."""
    found = get(session, binary, host)
    if found is not None:
        session.execute(
            sa.delete(_services).where(_services.c.binary == binary)
            .where(_services.c.host == host))
    return found
