"""The verdict comparison's own parts: the generator, Gantt's side, compare.

nova's side runs in tests/functional/test_verdicts.py; these need no nova.
"""

import json

import testtools

from gantt.bench import clouds
from gantt.bench import verdicts


# One host with room for many small instances: no host fills up.
ROOMY = {'hosts': [
    {'uuid': 'a', 'vcpus': 64, 'vcpus_reserved': 0, 'cpu_ratio': 1.0,
     'vcpus_used': 0, 'ram': 65536, 'ram_reserved': 0, 'ram_ratio': 1.0,
     'ram_used': 0, 'disk': 500, 'disk_reserved': 0, 'disk_ratio': 1.0,
     'disk_used': 0}]}
REQUEST = {'flavor': {'vcpus': 1, 'memory_mb': 512, 'root_gb': 1,
                      'ephemeral_gb': 0, 'swap': 0}}


def _forced(seeds):
    """(host dict, request) for every host or node forced by a request of
    the clouds of `seeds`."""
    for seed in seeds:
        case = clouds.generate(seed, 60, 60)
        for r in case['requests']:
            for h in case['hosts']:
                if h['name'] in r['force_hosts'] or (
                        h['node'] in r['force_nodes']):
                    yield h, r


def _verdict(survivors=(), ranking=(), picks=None, tied=()):
    return {'survivors': sorted(survivors), 'ranking': list(ranking),
            'picks': picks, 'tied': list(tied)}


class TestClouds(testtools.TestCase):

    def test_same_seed_makes_the_same_case(self):
        self.assertEqual(json.dumps(clouds.generate(7, 30, 5)),
                         json.dumps(clouds.generate(7, 30, 5)))

    def test_other_seed_makes_another_case(self):
        self.assertNotEqual(json.dumps(clouds.generate(7, 30, 5)),
                            json.dumps(clouds.generate(8, 30, 5)))

    def test_requested_zones_are_named_by_aggregates(self):
        case = clouds.generate(3, 60, 60)
        zones = {a['metadata'].get('availability_zone')
                 for a in case['aggregates']}
        for r in case['requests']:
            if r['availability_zone']:
                self.assertIn(r['availability_zone'], zones)

    def test_forced_hosts_are_enabled_and_have_room(self):
        forced = list(_forced(range(1, 6)))
        for h, r in forced:
            self.assertFalse(h['disabled'])
            self.assertTrue(clouds.has_room(h, r['flavor'], 1))
        self.assertTrue(forced)

    def test_forced_hosts_take_the_flavor_in_units_they_allow(self):
        # Placement keeps a forced host only when each amount is a unit of
        # its inventory (min_unit, max_unit, step_size); Gantt's forced
        # host skips the filters, so the generator forces no other.
        refused = dict(ROOMY['hosts'][0], units={
            'VCPU': [1, 64, 1], 'MEMORY_MB': [1024, 65536, 512],
            'DISK_GB': [1, 500, 10]})
        flavor = dict(REQUEST['flavor'], root_gb=10)
        self.assertTrue(clouds.has_room(ROOMY['hosts'][0], flavor, 1))
        self.assertFalse(clouds.has_room(refused, flavor, 1))
        self.assertTrue(clouds.has_room(refused, dict(flavor,
                                                      memory_mb=1024), 1))
        self.assertFalse(clouds.has_room(refused, dict(
            flavor, memory_mb=1024, swap=512), 1))
        with_units = 0
        for h, r in _forced(range(1, 9)):
            with_units += 'units' in h
            for rc, want in clouds.amounts(r['flavor']).items():
                low, high, step = clouds.units(h, rc)
                if want:
                    self.assertTrue(low <= want <= high, (h, r))
                    self.assertEqual(0, want % step)
        self.assertGreater(with_units, 0)

    def test_groups_hold_the_instances_being_placed(self):
        case = clouds.generate(4, 60, 60)
        grouped = [r for r in case['requests'] if r['group']]
        self.assertTrue(grouped)
        for r in grouped:
            for uuid in r['instance_uuids']:
                self.assertIn(uuid, r['group']['members'])


class TestCompare(testtools.TestCase):

    def test_same_verdicts_agree_in_every_aspect(self):
        v = _verdict(['a', 'b'], [['a', 1.0], ['b', 0.5]], ['a'])
        self.assertEqual(dict.fromkeys(verdicts.ASPECTS, True),
                         verdicts.compare(v, dict(v)))

    def test_other_survivors_differ(self):
        g = _verdict(['a', 'b'], [['a', 1.0], ['b', 0.5]], ['a'])
        n = _verdict(['a'], [['a', 1.0]], ['a'])
        same = verdicts.compare(g, n)
        self.assertFalse(same['survivors'])
        self.assertFalse(same['ranking'])
        self.assertTrue(same['first_pick'])

    def test_tied_first_picks_are_the_same_verdict(self):
        g = _verdict(['a', 'b'], [['b', 1.0], ['a', 1.0]], ['b'])
        n = _verdict(['a', 'b'], [['a', 1.0], ['b', 1.0]], ['a'])
        same = verdicts.compare(g, n)
        self.assertTrue(same['first_pick'])
        self.assertTrue(same['ranking'])
        self.assertTrue(same['picks'])

    def test_weights_apart_by_rounding_only_tie(self):
        g = _verdict(['a', 'b'], [['a', 0.3], ['b', 0.1 + 0.2]], ['a'])
        n = _verdict(['a', 'b'], [['b', 0.1 + 0.2], ['a', 0.3]], ['b'])
        self.assertTrue(verdicts.compare(g, n)['ranking'])

    def test_tie_order_excuses_a_later_pick_nova_weighed_the_same(self):
        g = _verdict(['a', 'b'], [['a', 1.0]], ['a', 'b'])
        n = _verdict(['a', 'b'], [['a', 1.0]], ['a', 'a'],
                     tied=[['a'], ['a', 'b']])
        same = verdicts.compare(g, n)
        self.assertEqual('tie_order',
                         verdicts.excused(ROOMY, REQUEST, g, n, same))

    def test_a_later_pick_nova_weighed_lower_is_not_excused(self):
        g = _verdict(['a', 'b'], [['a', 1.0]], ['a', 'b'])
        n = _verdict(['a', 'b'], [['a', 1.0]], ['a', 'a'],
                     tied=[['a'], ['a']])
        same = verdicts.compare(g, n)
        self.assertIsNone(verdicts.excused(ROOMY, REQUEST, g, n, same))


class TestGanttSide(testtools.TestCase):

    def test_decides_every_request_of_a_small_cloud(self):
        case = clouds.generate(5, 40, 12)
        out = verdicts.gantt_verdicts(case)
        self.assertEqual(12, len(out))
        uuids = {h['uuid'] for h in case['hosts']}
        for v, r in zip(out, case['requests']):
            self.assertLessEqual(set(v['survivors']), uuids)
            self.assertEqual(v['survivors'],
                             sorted(u for u, _ in v['ranking']))
            if v['picks'] is not None:
                self.assertEqual(len(r['instance_uuids']), len(v['picks']))
        self.assertTrue(any(v['picks'] for v in out))
