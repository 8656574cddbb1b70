"""Notices compute nodes that stop reporting, once per node and transition.

One worker per daemon (whichever holds a lock file under state_path)
checks every ``[scheduler] report_check_interval`` seconds: it refreshes
its host state, compares each node's last report with ``[DEFAULT]
service_down_time``, sends ``scheduler.report.stale`` for each node that
has just gone silent, and sets the hosts-per-state and report-age gauges.
Nodes already silent at the first check are remembered, not announced
(a restarted daemon does not announce them again).
"""

import datetime
import os
import threading
import time

import fasteners
import numpy as np
from oslo_log import log as logging

LOG = logging.getLogger(__name__)

LOCK_NAME = 'report-watch.lock'


class ReportWatch(object):
    """Tracks which nodes are silent; check() reports the changes."""

    def __init__(self, conf, host_manager, telemetry, clock=time.time):
        self.conf = conf
        self.host_manager = host_manager
        self.telemetry = telemetry
        self.clock = clock
        # uuid of every node silent at the last check; None before one.
        self.silent = None

    def check(self):
        """One pass; returns the uuids that went silent since the last."""
        hm = self.host_manager
        hm.refresh()
        now = self.clock()
        down_time = self.conf.service_down_time
        with hm.lock:
            state = hm.state
            n = state.n
            # Hosts known only from placement send no reports to miss.
            valid = state.valid[:n] & ~state.placement_only[:n]
            rows = np.flatnonzero(valid)
            last_seen = state.last_seen[rows]
            forced = state.forced_down[rows]
            disabled = state.disabled[rows]
            uuids = [state.uuids[r] for r in rows]
        ages = now - last_seen
        silent_rows = ages > down_time
        counts = {
            'disabled': int(np.count_nonzero(disabled)),
            'down': int(np.count_nonzero((silent_rows | forced) &
                                         ~disabled)),
        }
        counts['up'] = len(rows) - counts['disabled'] - counts['down']
        self.telemetry.host_states(
            counts, float(ages.max()) if len(rows) else 0.0)
        silent = {uuids[i] for i in np.flatnonzero(silent_rows)}
        before, self.silent = self.silent, silent
        if before is None:
            return []
        return sorted(silent - before)

    def run_once(self):
        """check(), then announce each node that went silent."""
        gone = self.check()
        hm = self.host_manager
        now = self.clock()
        with hm.lock:
            state = hm.state
            facts = []
            for uuid in gone:
                row = state.index.get(uuid)
                if row is None:
                    continue
                seen = float(state.last_seen[row])
                facts.append((uuid, state.hosts[row], state.nodenames[row],
                              seen))
        for uuid, host, node, seen in facts:
            LOG.warning('Compute node %(uuid)s (%(host)s/%(node)s) has not '
                        'reported for %(age).0f s', {
                            'uuid': uuid, 'host': host, 'node': node,
                            'age': now - seen})
            self.telemetry.report_stale(
                uuid, host, node,
                datetime.datetime.fromtimestamp(seen, datetime.timezone.utc)
                if seen else None, now - seen)
        return [f[0] for f in facts]


class Watcher(object):
    """A thread that runs a ReportWatch while this process holds the lock."""

    def __init__(self, conf, watch):
        self.conf = conf
        self.watch = watch
        self._stop = threading.Event()
        self._thread = None
        self._lock = fasteners.InterProcessLock(
            os.path.join(conf.state_path, LOCK_NAME))

    def start(self):
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name='gantt-report-watch')
        self._thread.start()

    def stop(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)
        if self._lock.acquired:
            self._lock.release()

    def _run(self):
        interval = self.conf.scheduler.report_check_interval
        while not self._stop.wait(interval):
            if not self._lock.acquired and not self._lock.acquire(
                    blocking=False):
                continue
            try:
                self.watch.run_once()
            except Exception:
                LOG.exception('Checking the compute reports failed')
