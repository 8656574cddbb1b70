"""BuildFailureWeigher: sink hosts whose recent builds failed.

The raw score is failed_builds and the multiplier is minus
build_failure_weight_multiplier (or minus its per-aggregate override), so
with the large positive default a host with failures ranks below any host
without, without being taken out of rotation altogether.
"""

import numpy as np

from gantt.weighers import multiplier


class BuildFailureWeigher(multiplier.MultipliedWeigher):

    multiplier_opt = 'build_failure_weight_multiplier'
    finite_scores = True

    def uniform_score(self, hosts, request):
        return None if hosts.failed_builds[:hosts.n].any() else 0.0

    def weight_multiplier(self, host_view):
        return -super().weight_multiplier(host_view)

    def multipliers(self, hosts, rows):
        return -super().multipliers(hosts, rows)

    def weigh_object(self, host_view, request):
        return float(host_view.failed_builds)

    def raw_weights(self, hosts, rows, request):
        return hosts.failed_builds[rows].astype(np.float64)
