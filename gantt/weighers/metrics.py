"""MetricsWeigher: weigh hosts by the metrics their monitors report.

[metrics] weight_setting lists "name=ratio" entries; the raw score is the
sum of value * ratio over them. A host lacking a listed metric scores
[metrics] weight_of_unavailable instead of the sum. Gantt choice: when
[metrics] required is True that happens for any missing metric (a weigher
never raises in the decision path; MetricsFilter is what removes such
hosts); when it is False, only for a metric whose ratio times the host's
multiplier is not 0, other missing metrics count as 0. The multiplier is
[metrics] weight_multiplier, overridden by the aggregate metadata key
``metrics_weight_multiplier``.
"""

import numpy as np
from oslo_log import log as logging

from gantt.weighers import multiplier

LOG = logging.getLogger(__name__)


def parse_setting(entries):
    """[(name, ratio)] from "name=ratio" entries; bad entries are skipped.

    Returns the pairs and the list of entries that were skipped.
    """
    pairs, bad = [], []
    for entry in entries or ():
        name, sep, ratio = entry.partition('=')
        name = name.strip()
        try:
            if not sep or not name:
                raise ValueError(entry)
            pairs.append((name, float(ratio)))
        except ValueError:
            bad.append(entry)
    return pairs, bad


class MetricsWeigher(multiplier.MultipliedWeigher):

    multiplier_group = 'metrics'
    multiplier_opt = 'weight_multiplier'
    metadata_key = 'metrics_weight_multiplier'

    def __init__(self, conf):
        super().__init__(conf)
        self._parsed = (None, [])

    def setting(self):
        """The parsed weight_setting, re-read when the option changes."""
        entries = tuple(self.conf.metrics.weight_setting or ())
        if self._parsed[0] != entries:
            pairs, bad = parse_setting(entries)
            for entry in bad:
                LOG.warning('[metrics] weight_setting: ignoring %r, not '
                            '"name=ratio"', entry)
            self._parsed = (entries, pairs)
        return self._parsed[1]

    def uniform_score(self, hosts, request):
        return None if self.setting() else 0.0

    def weigh_object(self, host_view, request):
        setting = self.setting()
        if not setting:
            return 0.0
        required = self.conf.metrics.required
        metrics = host_view.metrics
        mult = self.weight_multiplier(host_view)
        value = 0.0
        for name, ratio in setting:
            if name in metrics:
                value += metrics[name] * ratio
            elif required or ratio * mult != 0:
                return float(self.conf.metrics.weight_of_unavailable)
        return value

    def raw_weights(self, hosts, rows, request):
        rows = np.asarray(rows, dtype=np.int64)
        setting = self.setting()
        value = np.zeros(len(rows), dtype=np.float64)
        if not setting or not len(rows):
            return value
        required = self.conf.metrics.required
        mult = None if required else self.multipliers(hosts, rows)
        unavailable = np.zeros(len(rows), dtype=bool)
        for name, ratio in setting:
            column = hosts.metrics.get(name)
            if column is None:
                missing = np.ones(len(rows), dtype=bool)
                present = np.zeros(len(rows), dtype=np.float64)
            else:
                present = column[rows]
                missing = np.isnan(present)
                present = np.where(missing, 0.0, present)
            value = value + present * ratio
            if required:
                unavailable |= missing
            else:
                unavailable |= missing & (ratio * mult != 0)
        return np.where(unavailable,
                        float(self.conf.metrics.weight_of_unavailable), value)
