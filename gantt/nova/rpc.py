"""nova's side of the bus: its exchange and topic, its object serializer.

The RPC server built here answers nova's conductors, computes and API on
``[nova] exchange`` / ``[nova] topic`` (nova's own, by default), reading
``nova_object`` primitives with the classes of gantt.nova and the request
context nova sends as Gantt's.
"""

from oslo_versionedobjects import base as ovo_base

from gantt.nova import base
from gantt.nova import host_info  # noqa: F401 (registers the classes)
from gantt.nova import request_spec  # noqa: F401
from gantt.nova import selection  # noqa: F401
from gantt import rpc

import oslo_messaging  # noqa: I100
from oslo_messaging.rpc import server as rpc_server  # noqa: I100


class NovaObjectSerializer(ovo_base.VersionedObjectSerializer):
    """nova's objects to primitives and back (namespace ``nova_object``)."""

    OBJ_BASE_CLASS = base.NovaObject


def get_serializer():
    return rpc.RequestContextSerializer(NovaObjectSerializer(), lenient=True)


def get_transport(conf):
    """nova's bus: [nova] transport_url, else Gantt's own."""
    return rpc.get_transport(conf, url=conf.nova.transport_url or None)


def get_target(conf, server=None):
    return oslo_messaging.Target(exchange=conf.nova.exchange,
                                 topic=conf.nova.topic, server=server)


def get_rpc_server(conf, transport, endpoint):
    """An RPC server for nova's scheduler API on this host."""
    dispatcher = rpc.VersionedDispatcher([endpoint], get_serializer(), None)
    return rpc_server.RPCServer(
        transport, get_target(conf, server=conf.host), dispatcher)
