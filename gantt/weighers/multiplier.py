"""Weigher multipliers: a configured value, overridden per aggregate.

An aggregate whose metadata holds the weigher's key (the option's name, e.g.
``ram_weight_multiplier``) overrides the configured multiplier for its hosts;
a host in several such aggregates takes the smallest value. If any of a
host's values is not a finite number the host keeps the configured value and
the bad value is logged once per weigher.
"""

import math

import numpy as np
from oslo_log import log as logging

from gantt.weighers import base

LOG = logging.getLogger(__name__)


def parse(value):
    """A multiplier from aggregate metadata; ValueError unless finite."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError('not a finite number: %r' % (value,))
    return number


class MultipliedWeigher(base.VectorWeigher):
    """A vectorised weigher whose multiplier comes from conf or aggregates.

    Subclasses set `multiplier_opt` (and `multiplier_group` when the option
    is not in [filter_scheduler]); `metadata_key` defaults to the option
    name. The option is read on every call, so a reloaded conf applies at
    once.
    """

    multiplier_group = 'filter_scheduler'
    metadata_key = None
    #: True when raw scores are finite numbers whatever the hosts report
    #: (counts, versions): a multiplier of 0 then zeroes them for sure.
    finite_scores = False

    def __init__(self, conf):
        super().__init__(conf)
        self._warned = set()

    @property
    def key(self):
        return self.metadata_key or self.multiplier_opt

    def conf_multiplier(self):
        if self.multiplier_opt is None:
            return 1.0
        group = getattr(self.conf, self.multiplier_group)
        return float(getattr(group, self.multiplier_opt))

    def _warn(self, value, error):
        if value in self._warned:
            return
        self._warned.add(value)
        LOG.warning('%(weigher)s: ignoring aggregate metadata '
                    '%(key)s=%(value)r (%(error)s); using the configured '
                    'multiplier for its hosts',
                    {'weigher': self.name, 'key': self.key, 'value': value,
                     'error': error})

    def uniform_score(self, hosts, request):
        """The raw score every host gets for `request`, when that is known
        without scoring them; None otherwise."""
        return None

    def overridden(self, hosts):
        """Whether an aggregate sets this weigher's multiplier key."""
        key = self.key
        return key is not None and any(
            True for _ in hosts.rows_with_metadata(key))

    def idle(self, hosts, request):
        score = self.uniform_score(hosts, request)
        if score is not None:
            # One score everywhere normalises to 0 unless a fixed bound
            # sets it apart; 0 times a finite multiplier is 0 (aggregate
            # multipliers are finite, so the configured one decides).
            low, high = base.bounds(self, score, score)
            if low == high and math.isfinite(self.conf_multiplier()):
                return True
        return (self.finite_scores and self.conf_multiplier() == 0
                and not self.overridden(hosts))

    def weight_multiplier(self, host_view):
        default = self.conf_multiplier()
        key = self.key
        if key is None:
            return default
        values = {agg.metadata[key] for agg in host_view.aggregates
                  if key in agg.metadata}
        if not values:
            return default
        numbers = []
        for value in values:
            try:
                numbers.append(parse(value))
            except (TypeError, ValueError) as error:
                self._warn(value, error)
                return default
        return min(numbers)

    def multipliers(self, hosts, rows):
        rows = np.asarray(rows, dtype=np.int64)
        default = self.conf_multiplier()
        out = np.full(len(rows), default, dtype=np.float64)
        key = self.key
        if key is None or not len(rows):
            return out
        lowest = None
        for value, agg_rows in hosts.rows_with_metadata(key):
            if lowest is None:
                lowest = np.full(hosts.n, np.inf)
                bad = np.zeros(hosts.n, dtype=bool)
            try:
                number = parse(value)
            except (TypeError, ValueError) as error:
                self._warn(value, error)
                bad[agg_rows] = True
                continue
            lowest[agg_rows] = np.minimum(lowest[agg_rows], number)
        if lowest is None:
            return out
        lowest = lowest[rows]
        use = ~bad[rows] & (lowest != np.inf)
        out[use] = lowest[use]
        return out
