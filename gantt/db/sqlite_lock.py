"""Queue SQLite writers on a file lock instead of SQLite's busy polling.

SQLite lets one writer at a time in; the others retry on a timer (sleeps
of 1 to 100 ms). Writers of one database file here take a thread lock and
then a POSIX record lock on a file beside the database, waiting in the
kernel, so a waiting writer wakes as soon as the holder lets go. Only the
embedded SQLite store uses it; shared databases queue on row locks.
"""

import contextlib
import fcntl
import os
import threading

# One (thread lock, lock file) per database file in this process. The file
# lock is a POSIX record lock, which the kernel keeps per process: it cannot
# stop two threads, or two WriterLocks on one file, of the same process, so
# the thread lock does. The lock file stays open: opening and closing it on
# every write transaction cost more than the lock itself (and closing any
# descriptor of the file would drop the process's record lock anyway).
_FILES = {}
_FILES_GUARD = threading.Lock()


class _File(object):

    def __init__(self, path):
        self.path = path
        self.threads = threading.Lock()
        self.fd = None

    def lock(self):
        if self.fd is None:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        # Blocks in the kernel until the holder lets go: a waiter wakes at
        # the release, where polling with LOCK_NB would sleep 10-100 ms.
        fcntl.lockf(self.fd, fcntl.LOCK_EX)

    def unlock(self):
        fcntl.lockf(self.fd, fcntl.LOCK_UN)


def _after_fork_in_child():
    # A forked child gets copies of the parent's thread locks, perhaps held
    # by a thread that does not exist here; it starts with fresh ones and
    # opens its own descriptors. It holds no record lock: those are not
    # inherited, so closing the copies releases nothing of the parent's.
    global _FILES_GUARD
    for held in _FILES.values():
        if held.fd is not None:
            os.close(held.fd)
    _FILES.clear()
    _FILES_GUARD = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)


class WriterLock(object):
    """Serialises one database file's writers across threads and processes.

    A process's WriterLocks on the same file share one queue.
    """

    def __init__(self, database_path):
        self.path = os.path.abspath(database_path) + '.writer-lock'

    def _file(self):
        with _FILES_GUARD:
            held = _FILES.get(self.path)
            if held is None:
                held = _FILES[self.path] = _File(self.path)
            return held

    @contextlib.contextmanager
    def held(self):
        held = self._file()
        with held.threads:
            held.lock()
            try:
                yield
            finally:
                held.unlock()
