"""RAMWeigher: prefer hosts with more free RAM (spread); a negative
ram_weight_multiplier prefers the fullest hosts instead (stack).

The raw score is free_ram_mb: physical RAM not reserved nor used, without
over-commit.
"""

from gantt.weighers import access
from gantt.weighers import multiplier


class RAMWeigher(multiplier.MultipliedWeigher):

    multiplier_opt = 'ram_weight_multiplier'
    minval = 0

    def weigh_object(self, host_view, request):
        return host_view.free_ram_mb

    def raw_weights(self, hosts, rows, request):
        return access.computed(
            hosts, 'MEMORY_MB', lambda c: c.total - c.reserved - c.used,
            rows)
