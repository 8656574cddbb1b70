"""The SQLite writer lock excludes other processes and other threads."""

import multiprocessing
import os
import threading

import fixtures
import testtools

from gantt.db import sqlite_lock


def _take_and_mark(path, mark):
    with sqlite_lock.WriterLock(path).held():
        with open(mark, 'w') as f:
            f.write(str(os.getpid()))


class TestWriterLock(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.dir = self.useFixture(fixtures.TempDir()).path
        self.db_path = os.path.join(self.dir, 'gantt.sqlite')
        self.mark = os.path.join(self.dir, 'mark')

    def test_another_process_waits_until_release(self):
        lock = sqlite_lock.WriterLock(self.db_path)
        ctx = multiprocessing.get_context('fork')
        with lock.held():
            child = ctx.Process(target=_take_and_mark,
                                args=(self.db_path, self.mark))
            child.start()
            child.join(0.5)
            self.assertTrue(child.is_alive())
            self.assertFalse(os.path.exists(self.mark))
        child.join(10)
        self.assertEqual(0, child.exitcode)
        self.assertTrue(os.path.exists(self.mark))

    def test_a_forked_child_does_not_share_the_parents_lock(self):
        lock = sqlite_lock.WriterLock(self.db_path)
        with lock.held():
            pass  # the parent's descriptor now exists
        ctx = multiprocessing.get_context('fork')
        with lock.held():
            child = ctx.Process(target=lambda: _use(lock, self.mark))
            child.start()
            child.join(0.5)
            self.assertFalse(os.path.exists(self.mark))
        child.join(10)
        self.assertTrue(os.path.exists(self.mark))

    def test_threads_take_turns(self):
        lock = sqlite_lock.WriterLock(self.db_path)
        inside = []
        overlaps = []

        def work():
            for _ in range(50):
                with lock.held():
                    inside.append(1)
                    if len(inside) > 1:
                        overlaps.append(1)
                    inside.pop()
        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([], overlaps)


def _use(lock, mark):
    with lock.held():
        with open(mark, 'w') as f:
            f.write('child')
