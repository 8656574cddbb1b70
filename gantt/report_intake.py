"""Coalesces compute reports that arrive together into one transaction.

Each RPC thread hands its report over and returns. The first thread to
find no store in progress becomes the storer: it stores everything queued
so far in one write transaction, and again while more has queued meanwhile,
then lets the next thread take over. A lone report is stored at once by
its own thread. While reports keep coming, the storer waits for company
before each transaction, until a full batch has queued or the oldest
queued report has waited LINGER: a transaction costs several times what
one more report in it does, and a steady stream otherwise commits a
handful of reports at a time.
"""

import threading
import time

from oslo_log import log as logging

LOG = logging.getLogger(__name__)

#: Reports stored per transaction at most.
MAX_BATCH = 500

#: How long a queued report may wait for company (seconds), while the
#: newest report came less than LINGER_WINDOW seconds after the one
#: before it.
LINGER = 0.05
LINGER_WINDOW = 0.1


class ReportIntake(object):
    """Queue of (node, extra) items stored in batches by ``store``.

    ``store(nodes)`` stores a list of reports and returns one result per
    node; ``on_result(node, extra, result)`` is then called for each.
    A ``store`` that raises gives every node of its batch that exception
    as its result.
    """

    def __init__(self, store, on_result, max_batch=MAX_BATCH,
                 linger=LINGER, clock=time.monotonic, wait=None):
        self.store = store
        self.on_result = on_result
        self.max_batch = max_batch
        self.linger = linger
        self._clock = clock
        self._last = None
        self._streaming = False
        self._lock = threading.Condition(threading.Lock())
        # wait(timeout): called with the lock held, releasing it meanwhile.
        self._wait = wait or self._lock.wait
        # (node, extra, arrival time), oldest first.
        self._queue = []
        self._storing = False
        #: Batches stored and their sizes, for telemetry and tests.
        self.batches = 0
        self.largest = 0

    def submit(self, node, extra=None):
        """Queue a report; store queued ones unless a thread already is."""
        now = self._clock()
        with self._lock:
            self._queue.append((node, extra, now))
            last, self._last = self._last, now
            self._streaming = last is not None and now - last < LINGER_WINDOW
            if self._storing:
                if len(self._queue) >= self.max_batch:
                    self._lock.notify()
                return
            self._storing = True
        self._drain()

    def _take(self):
        with self._lock:
            while (self.linger and self._streaming and
                   0 < len(self._queue) < self.max_batch):
                left = self._queue[0][2] + self.linger - self._clock()
                if left <= 0:
                    break
                self._wait(left)
            if not self._queue:
                self._storing = False
                return None
            batch = self._queue[:self.max_batch]
            del self._queue[:self.max_batch]
            return batch

    def _drain(self):
        while True:
            batch = self._take()
            if batch is None:
                return
            try:
                self._store(batch)
            except BaseException:
                # Let the next thread take over whatever remains.
                with self._lock:
                    self._storing = False
                raise

    def _store(self, batch):
        self.batches += 1
        self.largest = max(self.largest, len(batch))
        nodes = [node for node, _extra, _at in batch]
        try:
            results = self.store(nodes)
        except Exception as exc:
            LOG.exception('Storing %d reports failed', len(nodes))
            results = [exc] * len(nodes)
        for (node, extra, _at), result in zip(batch, results):
            self.on_result(node, extra, result)
