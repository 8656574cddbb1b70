"""IoOpsWeigher: weigh hosts by their count of I/O heavy operations.

The raw score is num_io_ops (builds, resizes, snapshots... in progress); the
default io_ops_weight_multiplier of -1.0 prefers quiet hosts, a positive one
busy hosts.
"""

import numpy as np

from gantt.weighers import multiplier


class IoOpsWeigher(multiplier.MultipliedWeigher):

    multiplier_opt = 'io_ops_weight_multiplier'
    minval = 0
    finite_scores = True

    def uniform_score(self, hosts, request):
        return None if hosts.num_io_ops[:hosts.n].any() else 0.0

    def weigh_object(self, host_view, request):
        return float(host_view.num_io_ops)

    def raw_weights(self, hosts, rows, request):
        return hosts.num_io_ops[rows].astype(np.float64)
