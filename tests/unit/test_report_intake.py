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
        intake._queue = [(n, None) for n in 'abcd']
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

    def test_storer_lingers_only_while_reports_keep_coming(self):
        now = [100.0]
        naps = []
        intake = report_intake.ReportIntake(
            lambda nodes: [True] * len(nodes), lambda *a: None,
            clock=lambda: now[0], sleep=naps.append)
        intake.submit('a')
        now[0] += 0.02
        intake.submit('b')
        now[0] += 5.0
        intake.submit('c')
        self.assertEqual([report_intake.LINGER], naps)
