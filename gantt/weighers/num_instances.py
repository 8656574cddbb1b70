"""NumInstancesWeigher: weigh hosts by how many instances they run.

The raw score is num_instances. The default multiplier 0.0 disables it; a
positive num_instances_weight_multiplier packs instances, a negative one
spreads them.
"""

import numpy as np

from gantt.weighers import multiplier


class NumInstancesWeigher(multiplier.MultipliedWeigher):

    multiplier_opt = 'num_instances_weight_multiplier'
    finite_scores = True

    def uniform_score(self, hosts, request):
        return None if hosts.num_instances[:hosts.n].any() else 0.0

    def weigh_object(self, host_view, request):
        return float(host_view.num_instances)

    def raw_weights(self, hosts, rows, request):
        return hosts.num_instances[rows].astype(np.float64)
