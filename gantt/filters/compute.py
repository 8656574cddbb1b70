"""Keep only hosts whose compute service is up and enabled.

A service is up when its last report is at most [DEFAULT] service_down_time
seconds away from now and it is not forced down; an operator may also
disable it. A report stamped further in the future than that counts as down
too, as the compute controller counts it: the clocks disagree too much to
trust the heartbeat. A host known only from placement (a root provider no
compute report describes) has no heartbeat here: it counts as up, as its
provider is all there is; a compute disables itself there with the
COMPUTE_STATUS_DISABLED trait, which the request filters honour.
"""

import numpy as np

from gantt.filters import base


class ComputeFilter(base.VectorFilter):
    """Remove hosts whose compute service is down or disabled."""

    run_filter_once_per_request = True
    reason = 'service down or disabled'

    def filter_mask(self, hosts, request):
        n = hosts.n
        up = (np.abs(request.now - hosts.last_seen[:n])
              <= self.conf.service_down_time) | hosts.placement_only[:n]
        return up & ~hosts.forced_down[:n] & ~hosts.disabled[:n]

    def host_passes(self, host_view, request):
        up = (abs(request.now - host_view.last_seen)
              <= self.conf.service_down_time) or host_view.placement_only
        return up and not host_view.forced_down and not host_view.disabled
