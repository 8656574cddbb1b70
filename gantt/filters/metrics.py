"""Keep only hosts that report every metric the metrics weigher uses.

The metric names come from [metrics] weight_setting ("name=ratio" entries);
an entry that does not parse is ignored with a warning, as the weigher does.
"""

from oslo_log import log as logging
import numpy as np

from gantt.filters import base

LOG = logging.getLogger(__name__)


def setting_names(weight_setting):
    """Metric names of the well formed 'name=ratio' entries."""
    names = set()
    for entry in weight_setting or ():
        name, sep, ratio = entry.partition('=')
        name = name.strip()
        try:
            float(ratio)
        except ValueError:
            name = ''
        if not sep or not name:
            LOG.warning('Ignoring malformed [metrics] weight_setting entry '
                        '%r: expected "name=ratio"', entry)
            continue
        names.add(name)
    return names


class MetricsFilter(base.VectorFilter):
    """Remove hosts lacking a metric named in [metrics] weight_setting."""

    run_filter_once_per_request = True
    reason = 'missing a weighed metric'

    def filter_mask(self, hosts, request):
        mask = base.all_rows(hosts)
        for name in setting_names(self.conf.metrics.weight_setting):
            values = hosts.metrics.get(name)
            if values is None:
                return base.all_rows(hosts, False)
            mask &= ~np.isnan(values[:hosts.n])
        return mask

    def host_passes(self, host_view, request):
        names = setting_names(self.conf.metrics.weight_setting)
        return names.issubset(host_view.metrics)
