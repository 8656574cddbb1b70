"""Gantt's messaging plumbing: transport, RPC server and client, serializer.

Every Gantt RPC goes to exchange ``gantt`` on topic ``[scheduler] topic``;
objects travel as versioned primitives and the request context as a dict.
"""

import contextvars
import functools
import inspect
import re
import warnings

from oslo_service import backend as service_backend


def filter_eventlet_warnings():
    """Silence the deprecation warnings importing oslo.messaging prints.

    oslo.messaging still imports eventlet (it patches nothing); Gantt does
    not use it, so its deprecation notices are noise in logs and tests.
    """
    # Messages are matched case-insensitively from their start; (?s) lets
    # '.' cross the newline eventlet's notice begins with.
    warnings.filterwarnings('ignore', message='(?s).*eventlet')
    warnings.filterwarnings('ignore', category=DeprecationWarning,
                            module='oslo_utils.eventletutils')
    warnings.filterwarnings('ignore', category=DeprecationWarning,
                            module='oslo_service')


filter_eventlet_warnings()

# See gantt.conf: pick oslo.service's threading backend before
# oslo.messaging's import would settle on eventlet.
if service_backend.get_backend_type() is None:
    service_backend.init_backend(service_backend.BackendType.THREADING)

import oslo_messaging  # noqa: E402
from oslo_messaging.rpc import dispatcher as rpc_dispatcher  # noqa: E402
from oslo_messaging.rpc import server as rpc_server  # noqa: E402
from oslo_db import exception as db_exception  # noqa: E402
from oslo_log import log as logging  # noqa: E402
from oslo_versionedobjects import exception as ovo_exception  # noqa: E402
from sqlalchemy import exc as sa_exc  # noqa: E402

from gantt import context as gantt_context  # noqa: E402
from gantt import exception  # noqa: E402
from gantt import limits  # noqa: E402
from gantt import message_guard  # noqa: E402

LOG = logging.getLogger(__name__)

EXCHANGE = 'gantt'

# Gantt's exceptions may cross the bus: the caller re-raises them as
# gantt.exception.<Name> with the scheduler's message.
ALLOWED_EXMODS = ['gantt.exception']


class MalformedEntity:
    """An argument that arrived but could not become an object.

    The serializer hands this to the endpoint instead of failing inside
    oslo.messaging, so the manager can say who sent what and why it was
    refused (a warning for a cast, an error back to the caller of a call).
    """

    def __init__(self, primitive, error):
        self.primitive = primitive
        self.error = error

    def __repr__(self):
        return '<malformed argument: %s: %s>' % (
            type(self.error).__name__, self.error)


class RequestContextSerializer(oslo_messaging.Serializer):
    """Wrap an entity serializer and (de)serialise the request context.

    On a server (``lenient``) an argument that cannot become an object
    arrives as a MalformedEntity for the manager to refuse; a client
    (not lenient) raises instead, so a reply it cannot read (an object of
    an unknown major version, say) is an error naming it.
    """

    def __init__(self, base, lenient=True):
        self._base = base
        self._lenient = lenient

    def serialize_entity(self, ctxt, entity):
        return self._base.serialize_entity(ctxt, entity)

    def deserialize_entity(self, ctxt, entity):
        try:
            obj = self._base.deserialize_entity(ctxt, entity)
            # An object may keep a note of its wire form (a report's
            # digest, so an unchanged one is never serialised again).
            received = getattr(obj, 'obj_received', None)
            if received is not None:
                received(entity)
            return obj
        except (ovo_exception.VersionedObjectsException,
                exception.GanttException, ValueError, TypeError,
                KeyError, AttributeError) as exc:
            if not self._lenient:
                raise
            return MalformedEntity(entity, exc)

    def serialize_context(self, ctxt):
        return ctxt.to_dict()

    def deserialize_context(self, ctxt):
        return gantt_context.from_dict(ctxt)


# (namespace, version) of the message this thread is answering, if any.
_INCOMING = contextvars.ContextVar('gantt_rpc_incoming', default=None)


def incoming_version():
    """(namespace, version) of the message being handled, or None."""
    return _INCOMING.get()


def _reply_manifest():
    """The object manifest the version of the message being answered
    implies: a 1.0 caller gets its results as 1.0 objects."""
    from gantt.rpcapi import object_versions
    incoming = _INCOMING.get()
    if incoming is None:
        return None
    return object_versions.for_message(*incoming)


def get_serializer(version_manifest=None, lenient=True):
    """The serializer both ends use: Gantt objects plus the context.

    ``version_manifest`` ({object name: version}, or a callable giving
    one) backports the objects sent; see gantt.objects.serializer.
    """
    # Imported here so the RPC layer does not import every object module
    # until a serializer is actually wanted.
    from gantt.objects import serializer as objects_serializer
    return RequestContextSerializer(
        objects_serializer.GanttObjectSerializer(
            version_manifest=version_manifest),
        lenient=lenient)


_VERSION = re.compile(r'^[0-9]{1,4}\.[0-9]{1,4}$')

# Database faults a retry may get past: the caller gets ServiceUnavailable.
# oslo.db translates what happens on a connection in use; a connection
# that cannot be opened at all (the server is down) can still arrive as
# SQLAlchemy's OperationalError, and a pool with no connection to lend as
# its TimeoutError.
_DB_UNAVAILABLE = (db_exception.DBConnectionError, db_exception.DBDeadlock,
                   sa_exc.OperationalError, sa_exc.DisconnectionError,
                   sa_exc.TimeoutError)


@functools.lru_cache(maxsize=128)
def _signature(endpoint_class, method):
    """The signature of an endpoint method (its self included).

    oslo.messaging's expected_exceptions wraps a method without
    functools.wraps; the method is the function its closure holds.
    """
    func = getattr(endpoint_class, method)
    while func.__closure__ and not hasattr(func, '__wrapped__'):
        inner = [c.cell_contents for c in func.__closure__
                 if inspect.isfunction(c.cell_contents)]
        if len(inner) != 1:
            break
        func = inner[0]
    return inspect.signature(func)


class VersionedDispatcher(rpc_dispatcher.RPCDispatcher):
    """Remembers each message's namespace and version while handling it,
    and answers every message it cannot dispatch with a typed refusal.

    The reply is serialised in the same thread, so the serializer can
    backport the result to what the caller's version implies. A message
    gantt.message_guard replaced, a method or version no endpoint has,
    arguments that do not fit the method, or a context that cannot be read
    is refused with a Gantt exception (a call gets it back) and one log
    line; a database that cannot be reached becomes ServiceUnavailable.
    """

    def dispatch(self, incoming):
        message = incoming.message
        token = _INCOMING.set((message.get('namespace'),
                               message.get('version', '1.0')))
        try:
            refused = None
            try:
                self._check(message)
                return super().dispatch(incoming)
            except rpc_dispatcher.NoSuchMethod as exc:
                refused = exception.MalformedMessage(
                    reason='no method %s in namespace %s' % (
                        limits.brief(exc.method),
                        limits.brief(message.get('namespace'))))
            except rpc_dispatcher.UnsupportedVersion:
                refused = exception.UnsupportedVersion(
                    version=limits.brief(message.get('version')),
                    reason='no endpoint of namespace %s serves it' % (
                        limits.brief(message.get('namespace'))))
            except _DB_UNAVAILABLE as exc:
                refused = exception.ServiceUnavailable(
                    reason='the database cannot be reached (%s)' % (
                        type(exc).__name__))
            except exception.GanttException as exc:
                # (What an endpoint refuses arrives as ExpectedException,
                # already logged by the endpoint, and passes through.)
                refused = exc
            # Logged outside the except clauses: oslo.log would append the
            # exception being handled to the line.
            self._log_refusal(incoming, refused)
            try:
                raise refused
            except exception.GanttException:
                raise rpc_dispatcher.ExpectedException()
        finally:
            _INCOMING.reset(token)

    @staticmethod
    def _check(message):
        refused = message.get(message_guard.REFUSED)
        if refused:
            raise message_guard.refusal(refused)
        method = message.get('method')
        if not isinstance(method, str) or not method.isidentifier():
            raise exception.MalformedMessage(
                reason='method %s is not a method name' % (
                    limits.brief(method)))
        version = message.get('version', '1.0')
        if not isinstance(version, str) or not _VERSION.match(version):
            raise exception.MalformedMessage(
                reason='version %s is not MAJOR.MINOR' % (
                    limits.brief(version)))
        namespace = message.get('namespace')
        if namespace is not None and not isinstance(namespace, str):
            raise exception.MalformedMessage(
                reason='namespace %s is not a string' % (
                    limits.brief(namespace)))
        if not isinstance(message.get('args', {}), dict):
            raise exception.MalformedMessage(reason='args is not an object')

    def _log_refusal(self, incoming, exc):
        message = incoming.message
        ctxt = incoming.ctxt if isinstance(incoming.ctxt, dict) else {}
        LOG.warning('Refused %(kind)s %(method)s from request %(req)s: '
                    '%(error)s: %(reason)s',
                    # (oslo.messaging gives a cast a msg_id of its own;
                    # orig_msg_id is the caller's, None for a cast.)
                    {'kind': ('call' if getattr(incoming, 'orig_msg_id',
                                                None) else 'cast'),
                     'method': limits.brief(message.get('method')),
                     'req': limits.brief(ctxt.get('request_id')),
                     'error': type(exc).__name__,
                     'reason': exc})

    def _do_dispatch(self, endpoint, method, ctxt, args):
        try:
            ctxt = self.serializer.deserialize_context(ctxt)
        except Exception as exc:
            raise exception.MalformedMessage(
                reason='the request context cannot be read (%s)' % (
                    type(exc).__name__))
        func = getattr(endpoint, method)
        try:
            _signature(type(endpoint), method).bind(None, ctxt, **args)
        except TypeError as exc:
            raise exception.MalformedMessage(
                reason='arguments do not fit %s: %s' % (method, exc))
        new_args = {name: self.serializer.deserialize_entity(ctxt, arg)
                    for name, arg in args.items()}
        result = func(ctxt, **new_args)
        return self.serializer.serialize_entity(ctxt, result)


#: First wait, in seconds, of an AMQP consumer loop after a message.
IDLE_POLL_START = 0.05

# oslo.messaging's name for that first wait.
_IDLE_POLL_SETTING = 'ACK_REQUEUE_EVERY_SECONDS_MIN'


def settle_idle_polling(start=IDLE_POLL_START):
    """Let AMQP consumer loops wait longer before timing out when idle.

    After each message, oslo.messaging's RPC listener and reply waiter
    wait 1 ms for the next, doubling on every timeout up to 5 s. Each
    timeout costs a pass through the driver's retry wrappers, and at tens
    of messages a second per worker this was ~20% of a worker's CPU. A
    message that arrives still ends the wait at once; the short first
    wait serves acknowledgements queued by notification listeners, which
    Gantt does not run. Called by Gantt's own processes only (the
    scheduler's RPC server, gantt-sim, gantt-bench): a conductor using
    gantt.rpcapi keeps its own setting. False when this oslo.messaging has
    no such setting, so nothing was changed.
    """
    from oslo_messaging._drivers import amqpdriver
    current = getattr(amqpdriver, _IDLE_POLL_SETTING, None)
    ceiling = getattr(amqpdriver, 'ACK_REQUEUE_EVERY_SECONDS_MAX', None)
    if current is None or ceiling is None:
        return False
    setattr(amqpdriver, _IDLE_POLL_SETTING,
            min(max(current, start), ceiling))
    return True


def get_transport(conf, url=None):
    """An RPC transport for conf's transport_url (or the url given)."""
    return oslo_messaging.get_rpc_transport(
        conf, url=url, allowed_remote_exmods=ALLOWED_EXMODS)


def report_topic(conf):
    """The topic of the report casts: their own queue, so a flood of them
    and the conductors' calls cannot starve each other (report API 1.3)."""
    return '%s_report' % conf.scheduler.topic


def get_target(conf, namespace=None, version=None, server=None,
               topic=None):
    return oslo_messaging.Target(
        exchange=EXCHANGE, topic=topic or conf.scheduler.topic,
        namespace=namespace, version=version, server=server)


def get_rpc_server(conf, transport, endpoints, serializer=None, topic=None):
    """An RPC server for the endpoints on ``topic`` (conf.scheduler.topic
    unless given).

    Settles the process's idle polling first (settle_idle_polling).

    The threading executor is oslo.messaging's default; naming it
    explicitly only earns a deprecation warning.
    """
    settle_idle_polling()
    target = get_target(conf, server=conf.host, topic=topic)
    if serializer is None:
        serializer = get_serializer(version_manifest=_reply_manifest)
    dispatcher = VersionedDispatcher(endpoints, serializer, None)
    return rpc_server.RPCServer(transport, target, dispatcher)


def get_client(conf, transport, namespace=None, version='1.0',
               version_cap=None, serializer=None, version_manifest=None):
    """An RPC client aimed at the scheduler topic.

    Objects it sends are backported to ``version_manifest``; a reply it
    cannot read raises rather than arriving as a MalformedEntity.
    """
    target = get_target(conf, namespace=namespace, version=version)
    if serializer is None:
        serializer = get_serializer(version_manifest=version_manifest,
                                    lenient=False)
    return oslo_messaging.get_rpc_client(
        transport, target, version_cap=version_cap, serializer=serializer)
