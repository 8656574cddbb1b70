"""The report floor: update_resource_stats casts deserialised and dropped.

``python -m gantt.bench.report_floor --config-file F`` serves the report
API on F's topic the way gantt-scheduler does (the same RPC server,
serializer and ReportManager argument checks, the report validated), but
its store keeps nothing: each batch handed over is counted and dropped.
Every process writes its count to ``<state_path>/floor-count.<pid>``.

``gantt-bench reports`` starts as many of these processes as the daemon
had workers and sends them the same casts: no report intake behind this
interface can take more reports per second.
"""

import os
import signal
import sys
import threading

import oslo_messaging

from gantt.bench import interface_floor

#: How often each process writes its count (seconds).
COUNT_INTERVAL = 0.05


class DroppingStore(object):
    """A store that counts the reports it is given and keeps none."""

    def __init__(self):
        self.received = 0

    def save_compute_nodes(self, nodes, rpc_versions=None):
        self.received += len(nodes)
        return [True] * len(nodes)


class Ping(object):
    """Answers gantt-bench's readiness ping with this process's pid."""

    target = oslo_messaging.Target(version='1.1')

    def ping(self, ctxt):
        return {'pid': os.getpid()}


def count_file(state_path, pid):
    return os.path.join(state_path, 'floor-count.%d' % pid)


def received(state_path):
    """Reports the floor processes under ``state_path`` have counted."""
    total = 0
    for name in os.listdir(state_path):
        if name.startswith('floor-count.'):
            try:
                with open(os.path.join(state_path, name)) as f:
                    total += int(f.read() or 0)
            except (OSError, ValueError):
                pass
    return total


def serve(argv=None):
    """Serve the report API with a DroppingStore until SIGTERM."""
    from gantt import conf as gantt_conf
    from gantt import manager
    from gantt import objects
    from gantt import rpc

    conf = gantt_conf.build_conf(
        list(sys.argv[1:] if argv is None else argv))
    objects.register_all()
    transport = rpc.get_transport(conf)
    store = DroppingStore()
    server = rpc.get_rpc_server(
        conf, transport, [manager.ReportManager(conf, store), Ping()])
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    path = count_file(conf.state_path, os.getpid())
    server.start()

    def write():
        with open(path + '.tmp', 'w') as f:
            f.write(str(store.received))
        os.replace(path + '.tmp', path)

    try:
        while not stopping.wait(COUNT_INTERVAL):
            write()
    finally:
        server.stop()
        server.wait()
        transport.cleanup()
        write()
    return 0


class ReportFloorServers(interface_floor.FloorServers):
    """`workers` report-floor processes sharing a topic of their own."""

    name = 'report-floor server'
    module = 'gantt.bench.report_floor'


if __name__ == '__main__':
    sys.exit(serve())
