"""The interface floor: select_destinations with no scheduling behind it.

``python -m gantt.bench.interface_floor --config-file F`` serves the
scheduler API on F's topic the way gantt-scheduler does (the same RPC
server, serializer, idle polling and SchedulerManager argument checks),
but its decider answers every instance with Selections on fixed hosts at
once: nothing is refreshed, filtered, weighed or claimed.

``gantt-bench e2e --interface-floor`` starts as many of these processes
as the daemon had workers and times the same conductor calls against
them. A RequestSpec still goes out and Selections still come back, so
the figures are what the versioned interface and the transport cost on
this machine on their own: no scheduler behind that interface can answer
faster or more often.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

from gantt.objects import scheduler_limits
from gantt.objects import selection
from gantt.sim import conductor
from gantt.sim import daemon as sim_daemon

#: Hosts every answer names: a primary and two alternates, as the
#: scheduler's default max_attempts gives.
HOSTS = 3

#: Untimed calls per server process first: its first answers pay for
#: imports and connections that a running scheduler has long paid.
WARM_UP_CALLS = 20


class FixedDecider(object):
    """Answers each instance with the same hosts, as Selections built and
    sized like the scheduler's (an allocation request each)."""

    #: The SchedulerManager reads each RequestSpec into a Request at this
    #: clock, as it does for the scheduler.
    clock = staticmethod(time.time)

    def __init__(self, hosts=HOSTS):
        self.hosts = [('floor-host-%d' % i, str(uuid.uuid4()))
                      for i in range(hosts)]
        self.cell_uuid = str(uuid.uuid4())

    def _selection(self, host, node_uuid, resources, weight):
        alloc = {'allocations': {node_uuid: {'resources': resources}},
                 'mappings': {'': [node_uuid]}}
        return selection.Selection(
            weight=weight, compute_node_uuid=node_uuid, service_host=host,
            nodename=host, cell_uuid=self.cell_uuid,
            limits=scheduler_limits.SchedulerLimits(),
            allocation_request=json.dumps(alloc),
            allocation_request_version=selection.ALLOCATION_REQUEST_VERSION,
            availability_zone='nova')

    def select_destinations(self, ctxt, request, instance_uuids,
                            return_alternates=True, dry_run=False,
                            specs=None):
        """``request`` is the gantt.request.Request the manager read;
        ``specs`` (made at the edge, as for the scheduler) are dropped."""
        resources = {rc: n for rc, n in sorted(request.resources.items())
                     if n > 0}
        hosts = self.hosts if return_alternates else self.hosts[:1]
        return [[self._selection(host, node_uuid, resources,
                                 float(len(hosts) - i))
                 for i, (host, node_uuid) in enumerate(hosts)]
                for _ in instance_uuids]


def serve(argv=None):
    """Serve the scheduler API with a FixedDecider until SIGTERM."""
    from gantt import conf as gantt_conf
    from gantt import manager
    from gantt import objects
    from gantt import rpc

    conf = gantt_conf.build_conf(
        list(sys.argv[1:] if argv is None else argv))
    objects.register_all()
    transport = rpc.get_transport(conf)
    server = rpc.get_rpc_server(
        conf, transport, [manager.SchedulerManager(conf, FixedDecider())])
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    server.start()
    try:
        stopping.wait()
    finally:
        server.stop()
        server.wait()
        transport.cleanup()
    return 0


class FloorServers(sim_daemon.SchedulerDaemon):
    """`workers` interface-floor processes sharing a topic of their own."""

    name = 'interface-floor server'
    #: The module each process runs (``python -m``).
    module = 'gantt.bench.interface_floor'

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.processes = []

    def start(self):
        with open(os.path.join(self.workdir, 'stderr.log'), 'a') as err:
            self.processes = [
                subprocess.Popen(
                    [sys.executable, '-m', self.module,
                     '--config-file', self.config_file],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                    stderr=err, start_new_session=True)
                for _ in range(self.workers)]
        return self.processes

    def exited(self):
        return next((p.returncode for p in self.processes
                     if p.poll() is not None), None)

    def stop(self, timeout=30.0):
        """SIGTERM every process; the first non-zero exit code, else 0."""
        for proc in self.processes:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        codes = [self._reap(proc, timeout) for proc in self.processes]
        return next((code for code in codes if code), 0)


def measure(transport_url, workdir, workers, clients, requests, seed=0):
    """Time `requests` select_destinations from `clients` threads against
    `workers` floor processes: the e2e report's figures, without the
    scheduler's."""
    from gantt.bench import cpu
    from gantt.bench import runner
    from gantt.rpcapi import scheduler as scheduler_rpcapi
    from gantt.sim import report

    servers = FloorServers(workdir, transport_url, workers=workers)
    with runner.floor_servers(servers) as (conf, transport, pids):
        api = scheduler_rpcapi.SchedulerAPI(conf, transport)
        caller = conductor.Conductor(
            api, conductor.RequestMaker(seed=seed), concurrency=clients)
        caller.run(WARM_UP_CALLS * workers)
        meter = cpu.CpuMeter(pids, cpu.find_broker_pid()).start()
        results = caller.run(requests)
        figures = {'requests': requests,
                   'answered': results.placed,
                   'errors': len(results.errors),
                   'p50_ms': round(report.percentile(
                       results.latencies_ms, 50), 2),
                   'p99_ms': round(report.percentile(
                       results.latencies_ms, 99), 2),
                   'decisions_per_s': round(
                       results.done / results.elapsed_s, 2),
                   'cpu_ms_per_decision': meter.per_decision(results.done)}
        if results.errors:
            figures['error_samples'] = results.errors[:3]
        return figures


if __name__ == '__main__':
    sys.exit(serve())
