"""host_columns: whole-column reads agree with HostView row by row."""

import math

import numpy as np
import testscenarios
import testtools

from gantt.filters import host_columns
from tests.unit.filters import matchers


def _same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b and type(a) is type(b)


class ColumnTestCase(testscenarios.WithScenarios, testtools.TestCase):

    scenarios = [(name, {'name': name})
                 for name in sorted(host_columns.ATTRIBUTES)]

    def test_column_matches_view(self):
        state = matchers.varied_state()
        state.remove_node('uuid-kvm2')
        values = host_columns.column(state, self.name)
        if values is None:
            values = host_columns.view_values(state, self.name)
        else:
            self.assertEqual(state.n, len(values))
            values = values.tolist()
        for row in state.rows():
            view_value = getattr(state.view(row), self.name)
            self.assertTrue(_same(view_value, values[row]),
                            '%s row %d: view %r, column %r'
                            % (self.name, row, view_value, values[row]))


class HelpersTestCase(testtools.TestCase):

    def test_attribute_refuses_non_properties(self):
        view = matchers.varied_state().view(0)
        self.assertIsNone(host_columns.attribute(view, 'free'))
        self.assertIsNone(host_columns.attribute(view, '_state'))
        self.assertEqual('kvm1', host_columns.attribute(view, 'host'))

    def test_distinct_objects(self):
        values = host_columns.as_objects(['a', None, 'a', 'b', None])
        uniques, codes = host_columns.distinct(values)
        self.assertEqual(['a', None, 'b'], uniques)
        self.assertEqual([0, 1, 0, 2, 1], codes.tolist())

    def test_distinct_unhashable(self):
        values = host_columns.as_objects([{'a': 1}, {'a': 1}])
        uniques, codes = host_columns.distinct(values)
        self.assertEqual([{'a': 1}, {'a': 1}], uniques)
        self.assertEqual([0, 1], codes.tolist())

    def test_distinct_numbers(self):
        uniques, codes = host_columns.distinct(np.array([3, 1, 3]))
        self.assertEqual([1, 3], uniques)
        self.assertEqual([1, 0, 1], codes.tolist())
