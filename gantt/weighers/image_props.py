"""ImagePropertiesWeigher: prefer hosts running instances of a similar image.

A host scores, for each property of the requested image (weighted by its
ratio in image_props_weight_setting, or 1 each when that has no valid
entry), the
number of its instances whose image has the same value (compared as
strings); every host scores 0 while the configured multiplier is 0.
Simplification: Gantt does not record each instance's image yet, so the
counts come from the host's stats key ``image_props``, a JSON object (or
dict) {property: {value: instance count}} that a compute may report; a host
without it scores 0. Those counts are not columns, so this weigher loops
over the hosts in Python (only when its multiplier is not 0).
"""

import functools
import json

import numpy as np
from oslo_log import log as logging

from gantt.weighers import metrics
from gantt.weighers import multiplier

LOG = logging.getLogger(__name__)
STATS_KEY = 'image_props'


@functools.lru_cache(maxsize=65536)
def _parse_counts(text):
    try:
        counts = json.loads(text)
    except ValueError:
        return None
    return counts if isinstance(counts, dict) else None


def host_counts(stats):
    """{property: {value: count}} from a host's stats, {} when absent."""
    counts = (stats or {}).get(STATS_KEY)
    if isinstance(counts, (str, bytes)):
        counts = _parse_counts(counts)
    return counts if isinstance(counts, dict) else {}


def requested_props(props):
    """[(name, value as string)] of a request's ImageProps, set values
    only: the typed ones by name, then the extra ones by name."""
    if props is None:
        return []
    out = []
    for name, value in sorted(props.typed.items()):
        if value is not None and value != []:
            out.append((name, str(value)))
    for name, value in sorted(props.extra.items()):
        if value is not None:
            out.append((name, str(value)))
    return out


def score(counts, weighed):
    """The raw score of one host (the one formula both paths use)."""
    total = 0.0
    for name, value, ratio in weighed:
        per_value = counts.get(name)
        found = per_value.get(value, 0) if isinstance(per_value, dict) else 0
        try:
            found = float(found)
        except (TypeError, ValueError):
            found = 0.0
        total += ratio * found
    return total


class ImagePropertiesWeigher(multiplier.MultipliedWeigher):

    multiplier_opt = 'image_props_weight_multiplier'

    def __init__(self, conf):
        super().__init__(conf)
        self._parsed = (None, [])

    def setting(self):
        """{property: ratio}, or None when every property counts 1."""
        entries = tuple(self.conf.filter_scheduler.image_props_weight_setting
                        or ())
        if self._parsed[0] != entries:
            pairs, bad = metrics.parse_setting(entries)
            for entry in bad:
                LOG.warning('[filter_scheduler] image_props_weight_setting: '
                            'ignoring %r, not "name=ratio"', entry)
            self._parsed = (entries, pairs)
        return dict(self._parsed[1]) or None

    def _weighed(self, request):
        """[(property, value, ratio)] this request is weighed on."""
        setting = self.setting()
        weighed = []
        for name, value in requested_props(request.image_props):
            ratio = 1.0 if setting is None else setting.get(name, 0.0)
            if ratio:
                weighed.append((name, value, ratio))
        return weighed

    def _weighed_if_enabled(self, request):
        # Off (every score 0) while the configured multiplier is 0, even
        # where an aggregate overrides it: scoring costs a loop over hosts.
        if self.conf_multiplier() == 0:
            return []
        return self._weighed(request)

    def uniform_score(self, hosts, request):
        # Only the cheap half of _weighed_if_enabled: when the multiplier
        # is set, raw_weights reads the request's properties once.
        return 0.0 if self.conf_multiplier() == 0 else None

    def weigh_object(self, host_view, request):
        weighed = self._weighed_if_enabled(request)
        if not weighed:
            return 0.0
        return score(host_counts(host_view.stats), weighed)

    def raw_weights(self, hosts, rows, request):
        rows = np.asarray(rows, dtype=np.int64)
        out = np.zeros(len(rows), dtype=np.float64)
        weighed = self._weighed_if_enabled(request)
        if not weighed:
            return out
        for i, row in enumerate(rows):
            out[i] = score(host_counts(hosts.extra_stats[row]), weighed)
        return out
