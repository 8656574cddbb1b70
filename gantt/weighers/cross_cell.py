"""CrossCellWeigher: on a move that may cross cells, prefer the source cell.

A request is such a move when its requested_destination allows cross-cell
moves; the source cell is requested_destination.cell_uuid or, when that is
unset, the cell of the host the instance runs on now. Hosts in the source
cell score 1 and hosts elsewhere -1; for any other request, or when no
source cell is known, every host scores 0.
"""

import numpy as np

from gantt.weighers import multiplier


def source_cell(hosts, request):
    """The uuid of the cell a cross-cell move starts from, or None."""
    dest = request.requested_destination
    if dest is None or not dest.allow_cross_cell_move:
        return None
    cell = dest.cell_uuid
    if cell is not None:
        return cell
    row = hosts.instance_row.get(request.placing.instance_uuid)
    if row is None or not hosts.valid[row]:
        return None
    return hosts.cells[hosts.cell[row]]


class CrossCellWeigher(multiplier.MultipliedWeigher):

    multiplier_opt = 'cross_cell_move_weight_multiplier'
    finite_scores = True

    def uniform_score(self, hosts, request):
        return 0.0 if source_cell(hosts, request) is None else None

    def weigh_object(self, host_view, request):
        # HostView keeps no public handle on its state; the source cell is
        # a property of the whole state, not of this host.
        source = source_cell(host_view.state, request)
        if source is None:
            return 0.0
        return 1.0 if host_view.cell_uuid == source else -1.0

    def raw_weights(self, hosts, rows, request):
        rows = np.asarray(rows, dtype=np.int64)
        source = source_cell(hosts, request)
        if source is None:
            return np.zeros(len(rows), dtype=np.float64)
        code = hosts.cell_code(source)
        return np.where(hosts.cell[rows] == code, 1.0, -1.0)
