"""Ranking sorts only as far as read, in the order a full stable sort gives."""

import numpy as np
import testtools

from gantt import ranking


def full_order(totals):
    return list(np.argsort(-totals, kind='stable'))


class TestBestFirst(testtools.TestCase):

    def assert_head_of_full_sort(self, totals, k):
        head = [int(i) for i in ranking.best_first(totals, k)]
        self.assertGreaterEqual(len(head), min(k, len(totals)))
        self.assertEqual(full_order(totals)[:len(head)], head)
        # Every total equal to the k-th best is in the head.
        kth = totals[head[min(k, len(totals)) - 1]]
        self.assertEqual(int(np.sum(totals >= kth)), len(head))

    def test_distinct_totals(self):
        totals = np.random.default_rng(1).random(1000)
        for k in (1, 5, 64, 999, 1000, 2000):
            self.assert_head_of_full_sort(totals, k)

    def test_many_hosts_tied_for_best(self):
        totals = np.ones(1000)
        totals[::7] = 0.5
        totals[3] = 0.25
        for k in (1, 64, 800):
            self.assert_head_of_full_sort(totals, k)

    def test_fewer_tied_for_best_than_asked(self):
        totals = np.full(1000, 0.5)
        totals[[10, 500, 900]] = 1.0
        totals[[20, 30]] = 0.75
        head = [int(i) for i in ranking.best_first(totals, 4)]
        self.assertEqual([10, 500, 900, 20, 30], head[:5])
        self.assert_head_of_full_sort(totals, 4)
        self.assert_head_of_full_sort(totals, 64)


class TestWeightOf(testtools.TestCase):

    def ranking(self, rows):
        rows = np.asarray(rows, dtype=np.int64)
        return ranking.Ranking(len(rows), [], rows, rows * 0.5, False)

    def test_rows_in_row_order(self):
        r = self.ranking([2, 5, 9, 40])
        self.assertEqual([1.0, 2.5, 4.5, 20.0],
                         [r.weight_of(row) for row in (2, 5, 9, 40)])
        for missing in (0, 3, 41):
            self.assertEqual(0.0, r.weight_of(missing))

    def test_rows_in_any_order(self):
        r = self.ranking([9, 2, 40, 5])
        self.assertEqual([1.0, 2.5, 4.5, 20.0],
                         [r.weight_of(row) for row in (2, 5, 9, 40)])
        self.assertEqual(0.0, r.weight_of(3))

    def test_no_rows(self):
        self.assertEqual(0.0, self.ranking([]).weight_of(1))
