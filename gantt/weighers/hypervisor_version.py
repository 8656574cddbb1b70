"""HypervisorVersionWeigher: prefer hosts with a newer hypervisor.

The raw score is the integer hypervisor_version the compute reports; a
negative hypervisor_version_weight_multiplier prefers older hosts. Versions
of different hypervisor types do not compare meaningfully, so group such
hosts in aggregates.
"""

import numpy as np

from gantt.weighers import multiplier


class HypervisorVersionWeigher(multiplier.MultipliedWeigher):

    multiplier_opt = 'hypervisor_version_weight_multiplier'
    finite_scores = True

    def weigh_object(self, host_view, request):
        return float(host_view.hypervisor_version)

    def raw_weights(self, hosts, rows, request):
        return hosts.hypervisor_version[rows].astype(np.float64)
