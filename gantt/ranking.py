"""How the hosts left after filtering rank, and what each filter removed.

A Ranking holds the weigher handler's totals for the surviving rows and
sorts them only as far as the scheduler reads: a decision needs the best
few hosts, and a full sort of every survivor costs more than weighing them.
"""

import collections

import numpy as np


#: One step of narrowing: what it removed, what was left, and why.
Stage = collections.namedtuple('Stage', ['name', 'removed', 'before',
                                         'reason'])


class Reason(object):
    """A filter's fixed reason and, worked out only when shown, its words
    for the hosts it removed (gantt.filters.base.BaseHostFilter.why)."""

    __slots__ = ('fixed', '_words', '_text')

    def __init__(self, fixed, words):
        self.fixed = fixed
        self._words = words
        self._text = None

    def __str__(self):
        if self._text is None:
            words = self._words()
            self._text = '%s: %s' % (self.fixed, words) if words \
                else self.fixed
        return self._text

    def __eq__(self, other):
        return str(self) == str(other)

    def __hash__(self):
        return hash(str(self))


def stage_text(stage):
    return '%s removed %d of %d hosts (%s)' % (
        stage.name, stage.removed, stage.before, stage.reason)


def best_first(totals, k):
    """Indices of at least the `k` best totals, best first, ties in order.

    Every total equal to the k-th best is included, so the order of the
    returned prefix is exactly that of a full stable sort.
    """
    n = len(totals)
    if n <= k:
        return np.argsort(-totals, kind='stable')
    # Identical idle hosts tie for best, often by the thousand; their
    # stable order is row order. This is also the case where numpy's
    # argpartition slows down tenfold (~0.4 ms at 10,000 rows).
    tied = np.flatnonzero(totals == totals.max())
    if len(tied) >= k:
        return tied
    # The k-th best value; partitioning values is cheaper than indices.
    kth = np.partition(totals, n - k)[n - k]
    head = np.flatnonzero(totals >= kth)
    return head[np.argsort(-totals[head], kind='stable')]


class Ranking(object):
    """The outcome of filtering and weighing for one instance.

    `rows` are the surviving rows and `totals` their weights, unsorted;
    ranked() sorts only as far as a caller reads.
    """

    #: Rows sorted up front: enough for a subset choice, a few lost
    #: claims and the alternates of a small multi-instance request.
    HEAD = 64

    def __init__(self, considered, stages, rows, totals, forced):
        self.considered = considered
        self.stages = stages
        self.rows = rows
        self.totals = totals
        self.forced = forced
        self._order = None

    def __len__(self):
        return len(self.rows)

    def order(self, k=None):
        """Indices into rows/totals of the best `k` (all when None)."""
        want = len(self.rows) if k is None else min(k, len(self.rows))
        if self._order is None or (len(self._order) < want
                                   and len(self._order) < len(self.rows)):
            self._order = best_first(self.totals, max(want, self.HEAD))
        return self._order[:want]

    def ranked(self, k=None):
        """(rows, totals) of the best `k`, best first."""
        idx = self.order(k)
        return self.rows[idx], self.totals[idx]

    def weight_of(self, row):
        """The total weight of surviving `row` (0.0 if it is not ranked)."""
        # Rows come in row order from the filters: a binary search finds
        # one, and a scan covers rows given in any other order.
        i = int(np.searchsorted(self.rows, row))
        if i < len(self.rows) and self.rows[i] == row:
            return float(self.totals[i])
        hits = np.flatnonzero(self.rows == row)
        return float(self.totals[hits[0]]) if len(hits) else 0.0

    def __iter__(self):
        """Rows best first, sorting further only when read that far."""
        done = 0
        while done < len(self.rows):
            idx = self.order(max(self.HEAD, done * 4))
            for i in idx[done:]:
                yield self.rows[i]
            done = len(idx)

    def reason(self):
        if not self.considered:
            return 'no compute hosts are known'
        return '; '.join(stage_text(s) for s in self.stages) or (
            'no host left')
