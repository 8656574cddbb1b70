"""The store and the engine agree on capacity, to the unit."""

import numpy as np
import testscenarios
import testtools

from gantt import capacity
from tests.unit import hosts


class TestCapacity(testscenarios.WithScenarios, testtools.TestCase):

    scenarios = [
        ('plain', dict(total=64, reserved=0, ratio=1.0, expected=64)),
        ('reserved', dict(total=64, reserved=4, ratio=1.0, expected=60)),
        ('overcommit', dict(total=16, reserved=0, ratio=16.0, expected=256)),
        ('float product just below a whole', dict(
            total=100, reserved=0, ratio=0.29, expected=29)),
        ('fraction floored', dict(total=10, reserved=0, ratio=1.55,
                                  expected=15)),
        ('reserved above total', dict(total=4, reserved=8, ratio=1.0,
                                      expected=0)),
    ]

    def test_scalar_and_columns_agree(self):
        self.assertEqual(self.expected, capacity.capacity(
            self.total, self.reserved, self.ratio))
        cols = capacity.capacities(np.array([self.total], dtype=float),
                                   np.array([self.reserved], dtype=float),
                                   np.array([self.ratio]))
        self.assertEqual([self.expected], cols.tolist())

    def test_host_state_and_view_use_the_same_rule(self):
        state = hosts.make_state([dict(name='h', vcpus=self.total,
                                       vcpus_reserved=self.reserved,
                                       cpu_ratio=self.ratio)])
        self.assertEqual(self.expected,
                         state.res['VCPU'].capacity()[0])
        self.assertEqual(self.expected, state.view(0).free('VCPU'))
