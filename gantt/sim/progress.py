"""A plain-text progress bar on stderr, for the simulator and the bench.

On a terminal the bar redraws in place with ``\\r``; elsewhere (a pipe, a
log file) only the final line of each phase is written.
"""

import sys
import threading
import time

WIDTH = 30


class Progress(object):
    """One phase's bar: ``update(done)`` as work completes, then ``finish``."""

    def __init__(self, label, total, stream=None, interval=0.1):
        self.label = label
        self.total = max(0, int(total))
        self.stream = stream if stream is not None else sys.stderr
        self.interactive = bool(getattr(self.stream, 'isatty', None) and
                                self.stream.isatty())
        self.interval = interval
        self.done = 0
        self.start = time.monotonic()
        self._last = 0.0
        self._lock = threading.Lock()

    def line(self, done=None):
        done = self.done if done is None else done
        frac = min(1.0, done / self.total) if self.total else 1.0
        filled = int(round(frac * WIDTH))
        return '%-10s [%s%s] %d/%d %5.1fs' % (
            self.label, '#' * filled, '.' * (WIDTH - filled), done,
            self.total, time.monotonic() - self.start)

    def update(self, done):
        with self._lock:
            self.done = max(self.done, done)
            if not self.interactive:
                return
            now = time.monotonic()
            if now - self._last < self.interval and done < self.total:
                return
            self._last = now
            self.stream.write('\r' + self.line())
            self.stream.flush()

    def finish(self, note=''):
        with self._lock:
            text = self.line() + (' ' + note if note else '')
            self.stream.write(('\r' if self.interactive else '') + text + '\n')
            self.stream.flush()


class Quiet(object):
    """A Progress that shows nothing."""

    def __init__(self, *args, **kwargs):
        self.done = 0

    def update(self, done):
        self.done = done

    def finish(self, note=''):
        pass
