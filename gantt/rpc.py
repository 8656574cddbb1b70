"""Gantt's messaging plumbing: transport, RPC server and client, serializer.

Every Gantt RPC goes to exchange ``gantt`` on topic ``[scheduler] topic``;
objects travel as versioned primitives and the request context as a dict.
"""

import contextvars
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
from oslo_versionedobjects import exception as ovo_exception  # noqa: E402

from gantt import context as gantt_context  # noqa: E402
from gantt import exception  # noqa: E402

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


class VersionedDispatcher(rpc_dispatcher.RPCDispatcher):
    """Remembers each message's namespace and version while handling it.

    The reply is serialised in the same thread, so the serializer can
    backport the result to what the caller's version implies.
    """

    def dispatch(self, incoming):
        message = incoming.message
        token = _INCOMING.set((message.get('namespace'),
                               message.get('version', '1.0')))
        try:
            return super().dispatch(incoming)
        finally:
            _INCOMING.reset(token)


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


def get_target(conf, namespace=None, version=None, server=None):
    return oslo_messaging.Target(
        exchange=EXCHANGE, topic=conf.scheduler.topic,
        namespace=namespace, version=version, server=server)


def get_rpc_server(conf, transport, endpoints, serializer=None):
    """An RPC server for the endpoints on topic conf.scheduler.topic.

    Settles the process's idle polling first (settle_idle_polling).

    The threading executor is oslo.messaging's default; naming it
    explicitly only earns a deprecation warning.
    """
    settle_idle_polling()
    target = get_target(conf, server=conf.host)
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
