"""ReportIntake: reports arriving together are stored in one batch."""

import threading

import testtools

from gantt import report_intake


class TestReportIntake(testtools.TestCase):

    def test_lone_report_is_stored_by_its_own_thread_at_once(self):
        stored = []
        intake = report_intake.ReportIntake(
            lambda nodes: [True] * len(nodes),
            lambda node, extra, result: stored.append((node, extra, result)))
        intake.submit('a', 'ctx')
        self.assertEqual([('a', 'ctx', True)], stored)
        self.assertEqual(1, intake.batches)

    def test_reports_queued_during_a_store_go_in_the_next_batch(self):
        batches = []
        entered, release = threading.Event(), threading.Event()

        def store(nodes):
            batches.append(list(nodes))
            if len(batches) == 1:
                entered.set()
                release.wait(10)
            return [True] * len(nodes)

        intake = report_intake.ReportIntake(store, lambda *a: None)
        first = threading.Thread(target=intake.submit, args=('a',))
        first.start()
        entered.wait(10)
        # While 'a' is being stored these only queue, and return at once.
        for name in ('b', 'c', 'd'):
            intake.submit(name)
        release.set()
        first.join(10)
        self.assertEqual([['a'], ['b', 'c', 'd']], batches)

    def test_batches_are_capped(self):
        batches = []
        intake = report_intake.ReportIntake(
            lambda nodes: batches.append(len(nodes)) or [True] * len(nodes),
            lambda *a: None, max_batch=2)
        intake._queue = [(n, None, 0.0) for n in 'abcd']
        intake.submit('e')
        self.assertEqual([2, 2, 1], batches)

    def test_failed_store_gives_each_report_the_error(self):
        results = []

        def store(nodes):
            raise RuntimeError('database gone')

        intake = report_intake.ReportIntake(
            store, lambda node, extra, result: results.append(result))
        intake.submit('a')
        self.assertEqual(1, len(results))
        self.assertIsInstance(results[0], RuntimeError)
        # The next report is stored again (no thread left marked storing).
        intake.submit('b')
        self.assertEqual(2, len(results))

    def _timed_intake(self, stored, **kw):
        """An intake on a fake clock whose waits move the clock on."""
        now = [100.0]
        waits = []

        def wait(timeout):
            waits.append(round(timeout, 6))
            now[0] += timeout

        intake = report_intake.ReportIntake(
            lambda nodes: stored.append(list(nodes)) or [True] * len(nodes),
            lambda *a: None, clock=lambda: now[0], wait=wait, **kw)
        return intake, now, waits

    def test_storer_waits_for_company_only_while_reports_keep_coming(self):
        stored = []
        intake, now, waits = self._timed_intake(stored)
        intake.submit('a')
        now[0] += 0.02
        intake.submit('b')
        now[0] += 5.0
        intake.submit('c')
        self.assertEqual([report_intake.LINGER], waits)
        self.assertEqual([['a'], ['b'], ['c']], stored)

    def test_queued_report_waits_no_longer_than_linger_since_it_came(self):
        stored = []
        intake, now, waits = self._timed_intake(stored, linger=0.05)
        # 'a' came 30 ms ago and queued behind a storer that just left.
        intake._queue = [('a', None, now[0] - 0.03)]
        intake._last = now[0] - 0.03
        intake.submit('b')
        self.assertEqual([0.02], waits)
        self.assertEqual([['a', 'b']], stored)

    def test_full_batch_is_stored_without_waiting(self):
        stored = []
        intake, now, waits = self._timed_intake(stored, max_batch=3)
        intake._queue = [(n, None, now[0]) for n in 'ab']
        intake._last = now[0]
        intake.submit('c')
        self.assertEqual([], waits)
        self.assertEqual([['a', 'b', 'c']], stored)

    def test_waiting_storer_is_woken_by_a_full_batch(self):
        stored = []
        intake = report_intake.ReportIntake(
            lambda nodes: stored.append(list(nodes)) or [True] * len(nodes),
            lambda *a: None, max_batch=3, linger=30.0, clock=lambda: 100.0)
        intake.submit('a')
        # A stream (the clock stands still): the storer of 'b' waits for
        # company, up to 30 s ...
        storer = threading.Thread(target=intake.submit, args=('b',))
        storer.start()
        while not (intake._storing and intake._queue):
            storer.join(0.001)
        intake.submit('c')
        intake.submit('d')
        # ... until the batch is full.
        storer.join(10)
        self.assertFalse(storer.is_alive())
        self.assertEqual([['a'], ['b', 'c', 'd']], stored)
