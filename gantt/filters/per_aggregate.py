"""Per-aggregate overrides of a numeric filter limit.

An aggregate's metadata may set a limit (max_io_ops_per_host, ...) for its
hosts. A host in several such aggregates gets the smallest value; a host in
none, or one whose aggregates hold a value that is not a number, gets the
configured default (the bad value is logged).
"""

from oslo_log import log as logging
import numpy as np

from gantt.filters import base

LOG = logging.getLogger(__name__)


def _bad_value(key, value, aggregate):
    LOG.warning('Aggregate %(agg)s has an invalid %(key)s value %(value)r; '
                'using the configured default instead',
                {'agg': aggregate, 'key': key, 'value': value})


def limit_column(hosts, key, default, cast=int):
    """The limit `key` of every row, as a float array of length hosts.n."""
    limit = np.full(hosts.n, np.inf)
    bad = base.all_rows(hosts, False)
    for agg_uuid, agg in hosts.aggregates.items():
        if key not in agg.metadata:
            continue
        rows = hosts.agg_rows[agg_uuid]
        try:
            value = cast(agg.metadata[key])
        except (TypeError, ValueError):
            _bad_value(key, agg.metadata[key], agg_uuid)
            bad[rows] = True
            continue
        limit[rows] = np.minimum(limit[rows], value)
    limit[bad | np.isinf(limit)] = default
    return limit


def limit_of_host(host_view, key, default, cast=int):
    """The limit `key` of one host."""
    values = []
    for agg in host_view.aggregates:
        if key not in agg.metadata:
            continue
        try:
            values.append(cast(agg.metadata[key]))
        except (TypeError, ValueError):
            _bad_value(key, agg.metadata[key], agg.uuid)
            return default
    return min(values) if values else default


class LimitFilter(base.VectorFilter):
    """Remove hosts whose counter has reached a limit.

    A host passes while counter < limit; the limit is the configured option
    `option` of [filter_scheduler], or per aggregate when `per_aggregate`.
    """

    #: Column of HostState and attribute of HostView holding the counter.
    counter = None
    #: Option of [filter_scheduler] and aggregate metadata key of the limit.
    option = None
    per_aggregate = False

    def _default(self):
        return getattr(self.conf.filter_scheduler, self.option)

    def filter_mask(self, hosts, request):
        if self.per_aggregate:
            limit = limit_column(hosts, self.option, self._default())
        else:
            limit = self._default()
        return getattr(hosts, self.counter)[:hosts.n] < limit

    def host_passes(self, host_view, request):
        if self.per_aggregate:
            limit = limit_of_host(host_view, self.option, self._default())
        else:
            limit = self._default()
        return getattr(host_view, self.counter) < limit
