"""Soft (anti-)affinity weighers: pack or spread a server group's members.

For a request whose server group has the matching policy, the raw score of
a host is the number of group members on it, counting the rows already
picked for earlier instances of the same request (the soft anti-affinity
weigher negates it); for any other request every host scores 0. A picked
row is counted even when the engine has also recorded that instance on the
host, so the engine should not do both for one instance.
"""

import numpy as np

from gantt.weighers import multiplier


class _GroupWeigher(multiplier.MultipliedWeigher):

    policy = None
    sign = 1.0
    finite_scores = True

    def uniform_score(self, hosts, request):
        return 0.0 if self._members(request) is None else None

    def _members(self, request):
        """The group's members, or None when this weigher does not apply."""
        group = request.instance_group
        if group is None or group.policy != self.policy:
            return None
        return set(group.members)

    def weigh_object(self, host_view, request):
        members = self._members(request)
        if members is None:
            return 0.0
        count = len(members.intersection(host_view.instances))
        count += request.placing.picked_rows.count(host_view.row)
        return self.sign * count

    def raw_weights(self, hosts, rows, request):
        rows = np.asarray(rows, dtype=np.int64)
        members = self._members(request)
        if members is None or not len(rows):
            return np.zeros(len(rows), dtype=np.float64)
        placed = [hosts.instance_row[uuid] for uuid in members
                  if uuid in hosts.instance_row]
        placed.extend(request.placing.picked_rows)
        counts = np.bincount(np.asarray(placed, dtype=np.int64),
                             minlength=hosts.n)
        return self.sign * counts[rows].astype(np.float64)


class ServerGroupSoftAffinityWeigher(_GroupWeigher):
    """Prefer hosts already running members of a soft-affinity group."""

    multiplier_opt = 'soft_affinity_weight_multiplier'
    policy = 'soft-affinity'


class ServerGroupSoftAntiAffinityWeigher(_GroupWeigher):
    """Prefer hosts running fewest members of a soft-anti-affinity group."""

    multiplier_opt = 'soft_anti_affinity_weight_multiplier'
    policy = 'soft-anti-affinity'
    sign = -1.0
