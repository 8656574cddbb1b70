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

    def test_two_locks_on_one_file_in_one_process_take_turns(self):
        # The file lock is per process, so this rests on the thread lock
        # being one per file rather than one per WriterLock.
        first = sqlite_lock.WriterLock(self.db_path)
        second = sqlite_lock.WriterLock(self.db_path)
        entered = threading.Event()

        def take_second():
            with second.held():
                entered.set()
        with first.held():
            t = threading.Thread(target=take_second)
            t.start()
            self.assertFalse(entered.wait(0.5))
        t.join(10)
        self.assertTrue(entered.is_set())

    def test_locks_on_different_files_do_not_wait_for_each_other(self):
        other = os.path.join(self.dir, 'other.sqlite')
        with sqlite_lock.WriterLock(self.db_path).held():
            ctx = multiprocessing.get_context('fork')
            child = ctx.Process(target=_take_and_mark,
                                args=(other, self.mark))
            child.start()
            child.join(10)
        self.assertEqual(0, child.exitcode)
        self.assertTrue(os.path.exists(self.mark))


def _use(lock, mark):
    with lock.held():
        with open(mark, 'w') as f:
            f.write('child')
