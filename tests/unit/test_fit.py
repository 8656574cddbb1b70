"""The store and the engine agree on capacity, to the unit."""

import testscenarios
import testtools

from gantt import fit
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

    def test_scalar(self):
        self.assertEqual(self.expected, fit.capacity(
            self.total, self.reserved, self.ratio))

    def test_host_state_and_view_use_the_same_rule(self):
        state = hosts.make_state([dict(name='h', vcpus=self.total,
                                       vcpus_reserved=self.reserved,
                                       cpu_ratio=self.ratio)])
        self.assertEqual(self.expected,
                         state.res['VCPU'].cap[0])
        self.assertEqual(self.expected, state.view(0).free('VCPU'))

    def test_a_new_report_replaces_the_capacity(self):
        state = hosts.make_state([dict(name='h', vcpus=1000, vcpus_used=3)])
        state.set_inventory('uuid-h', 'VCPU', self.total, self.reserved,
                            self.ratio, 0)
        self.assertEqual([self.expected],
                         state.res['VCPU'].cap[:1].tolist())
        self.assertEqual(self.expected, state.view(0).free('VCPU'))

    def test_a_removed_node_leaves_no_capacity_behind(self):
        state = hosts.make_state([dict(name='h', vcpus=self.total,
                                       vcpus_reserved=self.reserved,
                                       cpu_ratio=self.ratio)])
        state.remove_node('uuid-h')
        self.assertEqual([0.0], state.res['VCPU'].cap[:1].tolist())
        self.assertEqual([0.0], state.res['VCPU'].free()[:1].tolist())
