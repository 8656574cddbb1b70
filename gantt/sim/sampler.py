"""Samples the store while a simulation runs: per-host use and report age.

A thread reads the change feed past its own watermark every ``interval``
seconds (so each sample costs what changed, not the fleet) and records,
per compute node, the used fraction of its fullest resource class and
how old its last report is. gantt.sim.plot draws the samples.
"""

import threading
import time

from gantt import fit

#: Classes whose use counts towards a host's utilisation.
CLASSES = ('VCPU', 'MEMORY_MB', 'DISK_GB')


class Sampler(object):
    """Per-host utilisation and report-age snapshots over time."""

    def __init__(self, db, interval=0.5, clock=time.time):
        self.db = db
        self.interval = interval
        self.clock = clock
        self.watermark = 0
        self.started = None
        # uuid -> {resource class: (capacity, used)} of compute nodes.
        self._use = {}
        # compute node uuid -> (host, epoch of last report).
        self._nodes = {}
        # [(seconds since start, {host: fraction}, {host: age seconds})]
        self.samples = []
        self._stop = threading.Event()
        self._thread = None

    def sample(self):
        """Read what changed and append one snapshot; returns it."""
        now = self.clock()
        if self.started is None:
            self.started = now
        changes = self.db.get_changes(self.watermark)
        for node in changes.compute_nodes:
            if node.get('deleted'):
                self._nodes.pop(node['uuid'], None)
            else:
                self._nodes[node['uuid']] = (node['host'],
                                             node.get('last_seen_up') or 0.0)
        for inv in changes.inventories:
            rc = inv['resource_class']
            if rc not in CLASSES or (inv.get('root_provider_uuid') not in
                                     (None, inv['provider_uuid'])):
                continue
            cap = inv.get('capacity')
            if cap is None and inv.get('total') is not None:
                cap = fit.capacity(inv['total'], inv['reserved'] or 0,
                                   inv['allocation_ratio'] or 1.0)
            self._use.setdefault(inv['provider_uuid'], {})[rc] = (
                cap or 0, inv.get('used') or 0)
        self.watermark = changes.seq
        use, age = {}, {}
        for uuid, (host, seen) in self._nodes.items():
            fractions = [used / float(cap) for cap, used
                         in self._use.get(uuid, {}).values() if cap > 0]
            use[host] = max(fractions) if fractions else 0.0
            age[host] = max(0.0, now - seen) if seen else None
        snapshot = (now - self.started, use, age)
        self.samples.append(snapshot)
        return snapshot

    def start(self):
        self.sample()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name='sim-sampler')
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.sample()

    def _run(self):
        while not self._stop.wait(self.interval):
            self.sample()
