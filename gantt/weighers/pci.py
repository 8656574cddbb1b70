"""PCIWeigher: keep hosts with PCI devices free for the instances that
need them.

The raw score is 100 - min(free devices, 99): hosts with fewer free
devices score higher, so requests with devices stack onto the hosts
already in use and requests without go to hosts without devices.
pci_weight_multiplier sets its importance (0 disables it).
"""

import numpy as np

from gantt.weighers import multiplier

MAX_DEVS = 100


class PCIWeigher(multiplier.MultipliedWeigher):

    multiplier_opt = 'pci_weight_multiplier'
    finite_scores = True

    def uniform_score(self, hosts, request):
        return None if hosts.pci_free[:hosts.n].any() else float(MAX_DEVS)

    def weigh_object(self, host_view, request):
        free = int(host_view.state.pci_free[host_view.row])
        return float(MAX_DEVS - min(free, MAX_DEVS - 1))

    def raw_weights(self, hosts, rows, request):
        free = np.minimum(hosts.pci_free[rows], MAX_DEVS - 1)
        return (MAX_DEVS - free).astype(np.float64)
