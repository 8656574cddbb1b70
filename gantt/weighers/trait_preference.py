"""TraitPreferenceWeigher: rank hosts by the soft traits a flavor names.

A flavor's ``trait:NAME=preferred`` and ``trait:NAME=avoided`` extra specs
(gantt.request_groups) never remove a host. The raw score of a host is the
number of preferred traits some provider of its tree has, minus the number
of avoided ones it has; trait_preference_weight_multiplier (or its
per-aggregate override) scales it. A request naming no soft trait leaves
every host's total alone.
"""

import numpy as np

from gantt.weighers import multiplier


def _tree_traits(hosts, row):
    """Every trait of the providers in the tree of host ``row``."""
    out = set()
    for slot in hosts.tree_slots(hosts.uuids[row]) or [row]:
        out |= hosts.traits[slot]
    return out


class TraitPreferenceWeigher(multiplier.MultipliedWeigher):

    multiplier_opt = 'trait_preference_weight_multiplier'
    finite_scores = True

    def uniform_score(self, hosts, request):
        groups = request.groups
        return None if groups.preferred or groups.avoided else 0.0

    def weigh_object(self, host_view, request):
        have = _tree_traits(host_view.state, host_view.row)
        groups = request.groups
        return float(len(groups.preferred & have) -
                     len(groups.avoided & have))

    def raw_weights(self, hosts, rows, request):
        groups = request.groups
        rows = np.asarray(rows, dtype=np.int64)
        end = hosts.slot_end
        score = np.zeros(len(rows), dtype=np.float64)
        for names, sign in ((groups.preferred, 1.0), (groups.avoided, -1.0)):
            for name in names:
                score += sign * hosts.tree_rows(
                    hosts.trait_mask(name)[:end])[rows]
        return score
