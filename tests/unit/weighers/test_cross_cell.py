"""CrossCellWeigher: on cross-cell moves, hosts in the source cell first."""

from gantt.objects import destination
from gantt.weighers import cross_cell
from tests.unit.weighers import base

CELL1 = '11111111-1111-1111-1111-111111111111'
CELL2 = '22222222-2222-2222-2222-222222222222'
CELL3 = '33333333-3333-3333-3333-333333333333'
INSTANCE = 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa'
HOSTS = [{'name': 'h0', 'cell': CELL1}, {'name': 'h1', 'cell': CELL2},
         {'name': 'h2', 'cell': CELL1}, {'name': 'h3', 'cell': None}]


def dest(**kwargs):
    return destination.Destination(**kwargs)


class RawScoreTest(base.WeigherTestCase):

    weigher_cls = cross_cell.CrossCellWeigher
    scenarios = [
        ('not_a_move', dict(
            dest=None, placed_on=None, expected=[0.0, 0.0, 0.0, 0.0])),
        ('move_within_cell_only', dict(
            dest=dest(cell_uuid=CELL2), placed_on='h1',
            expected=[0.0, 0.0, 0.0, 0.0])),
        ('cross_cell_from_destination_cell', dict(
            dest=dest(allow_cross_cell_move=True, cell_uuid=CELL1),
            placed_on=None, expected=[1.0, -1.0, 1.0, -1.0])),
        ('destination_cell_wins_over_current_host', dict(
            dest=dest(allow_cross_cell_move=True, cell_uuid=CELL1),
            placed_on='h1', expected=[1.0, -1.0, 1.0, -1.0])),
        ('cross_cell_from_current_host', dict(
            dest=dest(allow_cross_cell_move=True), placed_on='h1',
            expected=[-1.0, 1.0, -1.0, -1.0])),
        ('source_cell_has_no_host', dict(
            dest=dest(allow_cross_cell_move=True, cell_uuid=CELL3),
            placed_on=None, expected=[-1.0, -1.0, -1.0, -1.0])),
        ('source_unknown', dict(
            dest=dest(allow_cross_cell_move=True), placed_on=None,
            expected=[0.0, 0.0, 0.0, 0.0])),
    ]

    def test_raw_score(self):
        instances = [(INSTANCE, self.placed_on)] if self.placed_on else []
        state = self.state(HOSTS, instances=instances)
        request = self.request(instance_uuid=INSTANCE,
                               requested_destination=self.dest)
        self.assertEqual(self.expected,
                         self.raw(self.weigher(), state, request))


class NormaliseTest(base.WeigherTestCase):

    weigher_cls = cross_cell.CrossCellWeigher
    scenarios = [
        ('default_prefers_source_cell', dict(
            mult=None, expected={'h1': 1000000.0, 'h0': 0.0, 'h2': 0.0,
                                 'h3': 0.0})),
        ('negative_prefers_other_cells', dict(
            mult=-1.0, expected={'h0': 0.0, 'h2': 0.0, 'h3': 0.0,
                                 'h1': -1.0})),
    ]

    def test_weighed_totals(self):
        if self.mult is not None:
            self.flags(cross_cell_move_weight_multiplier=self.mult)
        state = self.state(HOSTS, instances=[(INSTANCE, 'h1')])
        request = self.request(
            instance_uuid=INSTANCE,
            requested_destination=dest(allow_cross_cell_move=True))
        totals = base.weighed(self, [self.weigher()], state, request)
        self.assertEqual(list(self.expected.items()), list(totals.items()))

    def test_flat_when_not_a_move(self):
        state = self.state(HOSTS, instances=[(INSTANCE, 'h1')])
        request = self.request(instance_uuid=INSTANCE)
        totals = base.weighed(self, [self.weigher()], state, request)
        self.assertEqual({'h0': 0.0, 'h1': 0.0, 'h2': 0.0, 'h3': 0.0},
                         totals)


class MultiplierTest(base.MultiplierCases, base.WeigherTestCase):

    weigher_cls = cross_cell.CrossCellWeigher
    option = 'cross_cell_move_weight_multiplier'
