"""Rank hosts: the sum over weighers of multiplier * normalised raw score.

`weigh()` works on rows of a HostState with numpy (vectorised weighers in
one pass each, per-host plugins through HostViews); `weigh_reference()`
does the same in plain Python over HostViews, and the two must agree. Raw
scores are clamped to a weigher's fixed minval/maxval before normalising;
with fewer than two hosts every total is 0; ties keep the order given.
"""

import math

import numpy as np

from gantt.weighers import base


def _bounds(weigher, raw, lowest, highest):
    """base.bounds over the scores `raw`, reduced by `lowest` and
    `highest` only where the weigher fixes no bound."""
    return base.bounds(weigher,
                       lowest(raw) if weigher.minval is None else None,
                       highest(raw) if weigher.maxval is None else None)


def _clamped(weigher, raw):
    """The array `raw` within the weigher's fixed bounds (a new array)."""
    if weigher.minval is not None:
        raw = np.maximum(raw, float(weigher.minval))
    if weigher.maxval is not None:
        raw = np.minimum(raw, float(weigher.maxval))
    return raw


def _order_key(total):
    return -math.inf if math.isnan(total) else total


def _finite_multiplier(weigher):
    """True when every multiplier the weigher can give is finite.

    Aggregate overrides are finite by construction (multiplier.parse), so
    the configured value decides.
    """
    conf_multiplier = getattr(weigher, 'conf_multiplier', None)
    return conf_multiplier is not None and math.isfinite(conf_multiplier())


def totals(weighers, hosts, rows, request):
    """The total weight of each of `rows`, in the order given.

    NaN totals become -inf so they rank last. A caller that needs only the
    best few hosts can partially sort these rather than call weigh().
    A weigher that says it is idle is not even scored (see
    VectorWeigher.idle), and one whose scores do not spread over `rows`
    adds 0 to every total, so its multipliers are not read.
    """
    rows = np.asarray(rows, dtype=np.int64)
    totals = np.zeros(len(rows), dtype=np.float64)
    if len(rows) < 2:
        return totals
    views = None
    for weigher in weighers:
        vector = isinstance(weigher, base.VectorWeigher)
        if vector:
            if weigher.idle(hosts, request):
                continue
            raw = np.asarray(weigher.raw_weights(hosts, rows, request),
                             dtype=np.float64)
        else:
            if views is None:
                views = [hosts.view(row) for row in rows]
            raw = np.array([weigher.weigh_object(v, request) for v in views],
                           dtype=np.float64)
        low, high = _bounds(weigher, raw, np.ndarray.min, np.ndarray.max)
        if low == high and _finite_multiplier(weigher):
            continue
        if vector:
            mult = np.asarray(weigher.multipliers(hosts, rows),
                              dtype=np.float64)
        else:
            mult = np.array([weigher.weight_multiplier(v) for v in views],
                            dtype=np.float64)
        normalised = base.normalize(_clamped(weigher, raw), low, high)
        normalised *= mult
        totals += normalised
    return np.where(np.isnan(totals), -np.inf, totals)


def weigh(weighers, hosts, rows, request):
    """(rows, totals), both numpy arrays, best host first."""
    rows = np.asarray(rows, dtype=np.int64)
    weights = totals(weighers, hosts, rows, request)
    order = np.argsort(-weights, kind='stable')
    return rows[order], weights[order]


def weigh_reference(weighers, host_views, request):
    """(rows, totals), both lists, best host first; one host at a time."""
    host_views = list(host_views)
    totals = [0.0] * len(host_views)
    if len(host_views) < 2:
        return [int(v.row) for v in host_views], totals
    for weigher in weighers:
        raw = [base.clamp(weigher, float(weigher.weigh_object(v, request)))
               for v in host_views]
        low, high = _bounds(weigher, raw, min, max)
        for i, view in enumerate(host_views):
            norm = 0.0 if high == low else (raw[i] - low) / (high - low)
            totals[i] += weigher.weight_multiplier(view) * norm
    totals = [_order_key(t) for t in totals]
    order = sorted(range(len(host_views)), key=lambda i: totals[i],
                   reverse=True)
    return ([int(host_views[i].row) for i in order],
            [totals[i] for i in order])
