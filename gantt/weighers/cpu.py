"""CPUWeigher: prefer hosts with more free vCPUs (spread); a negative
cpu_weight_multiplier prefers the busiest hosts instead (stack).

The raw score is vcpus_total * cpu_allocation_ratio - vcpus_used, where
vcpus_used counts the reserved vCPUs too.
"""

from gantt.weighers import access
from gantt.weighers import multiplier


class CPUWeigher(multiplier.MultipliedWeigher):

    multiplier_opt = 'cpu_weight_multiplier'
    minval = 0

    def weigh_object(self, host_view, request):
        return (host_view.vcpus_total * host_view.cpu_allocation_ratio
                - host_view.vcpus_used)

    def raw_weights(self, hosts, rows, request):
        return access.computed(
            hosts, 'VCPU', lambda c: c.total * c.ratio - (c.used + c.reserved),
            rows)
