"""``gantt-status health``: is the scheduler reachable and fed?

Three checks, one line each: the broker (an RPC ping a scheduler worker
answers), the database (a trivial query) and the change feed (its newest
sequence, and how many changes the worker that answered the ping has yet
to read). Exit status 0 when all three pass, 1 otherwise.
"""

import threading
import time

# First: gantt.rpc picks oslo.service's threading backend and silences
# eventlet's notices before oslo.messaging is imported.
from gantt import rpc  # noqa: I100

import oslo_messaging  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from gantt import context  # noqa: E402

OK, FAIL = 'OK', 'FAIL'


class Check(object):
    """The outcome of one check: its name, OK or FAIL, and what it saw."""

    def __init__(self, name, status, detail, facts=None):
        self.name = name
        self.status = status
        self.detail = detail
        self.facts = facts or {}

    @property
    def ok(self):
        return self.status == OK


def _ms(started):
    return (time.monotonic() - started) * 1000


def _broker_hosts(conf):
    try:
        url = oslo_messaging.TransportURL.parse(conf, conf.transport_url)
        return ', '.join('%s:%s' % (h.hostname, h.port) for h in url.hosts)
    except Exception:
        return 'the configured broker'


def _ping(conf, timeout, transport, answer):
    owned = transport is None
    try:
        if owned:
            transport = rpc.get_transport(conf)
        try:
            # ping is in every 1.x. retry=1: a broker that is not there
            # is an answer, not a reason to reconnect forever.
            client = rpc.get_client(conf, transport).prepare(
                timeout=timeout, retry=1)
            answer['ping'] = client.call(context.get_admin_context(),
                                         'ping')
        finally:
            if owned:
                transport.cleanup()
    except Exception as exc:
        answer['error'] = exc


def check_broker(conf, timeout, transport=None):
    """Ping a scheduler worker over the broker.

    The driver keeps reconnecting to a broker it cannot reach whatever
    the call's retry says, so the ping runs in a daemon thread and an
    unanswered one fails after ``timeout`` (plus a second for the
    connection) however it is stuck.
    """
    started = time.monotonic()
    answer = {}
    pinger = threading.Thread(target=_ping, daemon=True,
                              args=(conf, timeout, transport, answer),
                              name='gantt-health-ping')
    pinger.start()
    pinger.join(timeout + 1)
    error = answer.get('error')
    if 'ping' not in answer and error is None:
        return Check('broker', FAIL, 'no answer in %ss: cannot reach a '
                     'broker at %s, or no scheduler consumes topic %s' % (
                         timeout, _broker_hosts(conf),
                         conf.scheduler.topic))
    if isinstance(error, oslo_messaging.MessagingTimeout):
        return Check('broker', FAIL, 'the broker at %s took the ping but '
                     'no scheduler answered on topic %s within %ss' % (
                         _broker_hosts(conf), conf.scheduler.topic, timeout))
    if error is not None:
        return Check('broker', FAIL, 'cannot reach the broker at %s: '
                     '%s: %s' % (_broker_hosts(conf),
                                 type(error).__name__, error))
    ping = answer['ping']
    return Check('broker', OK, '%s on %s (pid %s, RPC %s) answered a ping '
                 'in %.0f ms' % (ping.get('binary'), ping.get('host'),
                                 ping.get('pid'), ping.get('rpc_version'),
                                 _ms(started)), ping)


def check_database(db):
    started = time.monotonic()
    try:
        with db.engine.connect() as conn:
            conn.execute(sa.text('SELECT 1')).scalar_one()
    except Exception as exc:
        return Check('database', FAIL, 'query failed: %s: %s' % (
            type(exc).__name__, str(exc).splitlines()[0]))
    return Check('database', OK, '%s answered in %.0f ms' % (
        sa.engine.make_url(db.url).render_as_string(hide_password=True),
        _ms(started)))


def check_feed(db, ping=None):
    """The newest change sequence, and the pinged worker's lag behind it."""
    try:
        seq = db.current_seq()
    except Exception as exc:
        return Check('feed', FAIL, 'cannot read the change sequence: '
                     '%s: %s' % (type(exc).__name__,
                                 str(exc).splitlines()[0]))
    detail = 'change sequence %d' % seq
    facts = {'seq': seq}
    watermark = (ping or {}).get('watermark')
    if watermark is not None:
        facts['behind'] = max(0, seq - watermark)
        detail += ('; worker %s (pid %s) has read up to %d, %d behind '
                   '(it reads the rest before its next decision)' % (
                       ping.get('host'), ping.get('pid'), watermark,
                       facts['behind']))
    return Check('feed', OK, detail, facts)


def run(conf, timeout=5.0, db=None, transport=None):
    """Every check, in order: [Check]."""
    broker = check_broker(conf, timeout, transport)
    owned = db is None
    if owned:
        from gantt.db import api as db_api
        db = db_api.Database(conf)
    try:
        database = check_database(db)
        feed = check_feed(db, broker.facts if broker.ok else None)
    finally:
        if owned:
            db.dispose()
    return [broker, database, feed]


def format_checks(checks):
    width = max(len(c.name) for c in checks)
    return '\n'.join('%s  %-4s  %s' % (c.name.ljust(width), c.status,
                                       c.detail) for c in checks)


def main(argv):
    """``gantt-status health [--timeout S] [--config-file F ...]``."""
    from oslo_config import cfg

    from gantt import conf as gantt_conf
    conf = gantt_conf.register_all(cfg.ConfigOpts())
    conf.register_cli_opt(cfg.FloatOpt(
        'timeout', default=5.0, min=0.1,
        help='Seconds to wait for a scheduler to answer the ping.'))
    conf(args=list(argv), project='gantt')
    checks = run(conf, conf.timeout)
    print(format_checks(checks))
    return 0 if all(c.ok for c in checks) else 1
