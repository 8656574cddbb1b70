"""Queue SQLite writers on a file lock instead of SQLite's busy polling.

SQLite lets one writer at a time in; the others retry on a timer (sleeps
of 1 to 100 ms), so two worker processes that claim at once lose several
milliseconds per collision. Taking an exclusive flock() on a file beside
the database first makes a waiting writer wake as soon as the lock is
released. Only the embedded SQLite store uses it; shared databases queue
on row locks.
"""

import contextlib
import fcntl
import os
import threading
import weakref

_LOCKS = weakref.WeakSet()


def _after_fork_in_child():
    # The child inherits the parent's thread lock (perhaps held by a thread
    # that does not exist here) and its descriptor (whose flock it shares):
    # start afresh with both.
    for lock in list(_LOCKS):
        if lock._fd is not None:
            # Closing our copy leaves the parent's lock as it is.
            os.close(lock._fd)
        lock._reset()


os.register_at_fork(after_in_child=_after_fork_in_child)


class WriterLock(object):
    """Serialises one Database's writers across threads and processes."""

    def __init__(self, database_path):
        self.path = database_path + '.writer-lock'
        self._reset()
        _LOCKS.add(self)

    def _reset(self):
        self._threads = threading.Lock()
        self._fd = None

    @contextlib.contextmanager
    def held(self):
        with self._threads:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
