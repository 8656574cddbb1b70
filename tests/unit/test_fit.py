"""The store and the engine agree on capacity, to the unit."""

import random

import testscenarios
import testtools

from gantt import fit
from gantt import resource_columns
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


class TestFitRule(testtools.TestCase):
    """gantt.fit's one rule, on numbers and on columns, agrees with itself
    and with what each of its terms means."""

    def _random_inventories(self, rng, n):
        invs = []
        for _ in range(n):
            total = rng.choice([0, 1, 4, 16, 100, 1024, 4096])
            invs.append(dict(
                total=total, reserved=rng.choice([0, 0, 1, 2, total]),
                ratio=rng.choice([1.0, 0.29, 0.57, 1.5, 16.0]),
                used=rng.choice([0, 1, 3, total // 2, total]),
                min_unit=rng.choice([1, 1, 2, 4]),
                max_unit=rng.choice([None, None, 1, 8, 64]),
                step=rng.choice([1, 1, 1, 2, 4, 256])))
        return invs

    def test_columns_and_numbers_agree_on_random_inventories(self):
        rng = random.Random(7)
        invs = self._random_inventories(rng, 400)
        cols = resource_columns.ResourceColumns(len(invs) + 3)
        for slot, inv in enumerate(invs):
            cols.set(slot, inv['total'], inv['reserved'], inv['ratio'],
                     inv['used'], inv['min_unit'], inv['max_unit'],
                     inv['step'])
        for amount in (1, 2, 3, 4, 8, 13, 64, 256, 512, 2048):
            mask = cols.fits(amount, len(invs) + 3)
            for slot, inv in enumerate(invs):
                cap = fit.capacity(inv['total'], inv['reserved'],
                                   inv['ratio'])
                max_unit = (inv['total'] if inv['max_unit'] is None
                            else inv['max_unit'])
                expected = (inv['used'] + amount <= cap and
                            inv['min_unit'] <= amount <= max_unit and
                            amount % inv['step'] == 0)
                self.assertEqual(expected, bool(mask[slot]),
                                 'amount %d on %r' % (amount, inv))
                self.assertEqual(expected, cols.fits_at(slot, amount))
                self.assertEqual(expected, bool(fit.fits(
                    cap, inv['used'], inv['min_unit'], max_unit,
                    inv['step'], amount)))
            # Slots without the class never fit.
            self.assertFalse(mask[len(invs):].any())

    def test_usage_changes_are_seen_after_units_were_kept(self):
        cols = resource_columns.ResourceColumns(2)
        cols.set(0, 8, 0, 1.0, 0)
        self.assertTrue(cols.fits(4, 2)[0])
        cols.used[0] = 5
        self.assertFalse(cols.fits(4, 2)[0])
        cols.set(0, 8, 0, 1.0, 0, step=3)
        self.assertFalse(cols.fits(4, 2)[0])
        self.assertTrue(cols.fits(6, 2)[0])
