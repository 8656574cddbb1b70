"""DiskWeigher: prefer hosts with more free local disk (spread); a negative
disk_weight_multiplier prefers the fullest hosts instead (stack).

The raw score is free_disk_mb: total disk less what is used or reserved, in
MB, without over-commit.
"""

from gantt.weighers import access
from gantt.weighers import multiplier


class DiskWeigher(multiplier.MultipliedWeigher):

    multiplier_opt = 'disk_weight_multiplier'
    minval = 0

    def weigh_object(self, host_view, request):
        return host_view.free_disk_mb

    def raw_weights(self, hosts, rows, request):
        return access.computed(
            hosts, 'DISK_GB',
            lambda c: c.total * 1024 - (c.used + c.reserved) * 1024, rows)
