"""The simulated conductor: outcome counting and the request mix."""

import oslo_messaging
import testtools

from gantt import exception
from gantt.sim import conductor


class NoValidHost_Remote(exception.NoValidHost):
    """What oslo.messaging builds from an allowed remote exception."""


class ScriptedAPI(object):
    """Answers select_destinations from a list of outcomes, in order."""

    def __init__(self, outcomes):
        self.outcomes = list(outcomes)
        self.calls = []

    def select_destinations(self, ctxt, spec, instance_uuids,
                            return_alternates=False):
        self.calls.append((spec, instance_uuids, return_alternates))
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


class TestIsNoValidHost(testtools.TestCase):

    def test_local_exception(self):
        self.assertTrue(conductor.is_no_valid_host(
            exception.NoValidHost(reason='none')))

    def test_remote_subclass(self):
        self.assertTrue(conductor.is_no_valid_host(
            NoValidHost_Remote(reason='none')))

    def test_remote_error_by_type_name(self):
        self.assertTrue(conductor.is_no_valid_host(
            oslo_messaging.RemoteError('NoValidHost', 'none')))

    def test_other_errors_are_not(self):
        self.assertFalse(conductor.is_no_valid_host(
            oslo_messaging.RemoteError('InvalidRequest', 'bad')))
        self.assertFalse(conductor.is_no_valid_host(
            oslo_messaging.MessagingTimeout('slow')))


class TestConductor(testtools.TestCase):

    def test_counts_placed_refused_and_errors(self):
        api = ScriptedAPI([
            [['selection']],
            exception.NoValidHost(reason='RamFilter removed 3 of 3 hosts'),
            oslo_messaging.MessagingTimeout('slow'),
            [['selection']],
            [],
        ])
        cond = conductor.Conductor(api, conductor.RequestMaker(seed=1),
                                   concurrency=1)
        results = cond.run(5)
        self.assertEqual(2, results.placed)
        self.assertEqual(1, results.no_valid_host)
        self.assertEqual(2, len(results.errors))
        self.assertEqual(5, len(results.latencies_ms))
        self.assertEqual(5, results.done)
        self.assertTrue(all(alt for _s, _u, alt in api.calls))

    def test_every_request_is_sent_exactly_once_from_many_threads(self):
        api = ScriptedAPI([[['s']]] * 50)
        seen = []
        results = conductor.Conductor(
            api, conductor.RequestMaker(seed=2), concurrency=8).run(
                50, progress=seen.append)
        self.assertEqual(50, results.placed)
        self.assertEqual(50, len({spec.instance_uuid
                                  for spec, _u, _a in api.calls}))
        self.assertEqual(50, max(seen))


class TestRequestMaker(testtools.TestCase):

    def test_same_seed_same_requests(self):
        a = conductor.RequestMaker(seed=3, azs=['az1', 'az2'])
        b = conductor.RequestMaker(seed=3, azs=['az1', 'az2'])
        for _ in range(20):
            _ca, sa, ua = a.make()
            _cb, sb, ub = b.make()
            self.assertEqual(ua, ub)
            self.assertEqual(sa.flavor.name, sb.flavor.name)
            self.assertEqual(sa.availability_zone, sb.availability_zone)

    def test_spec_matches_its_instance_and_context(self):
        ctxt, spec, uuids = conductor.RequestMaker(seed=4).make()
        self.assertEqual([spec.instance_uuid], uuids)
        self.assertEqual(spec.project_id, ctxt.project_id)
        self.assertEqual(1, spec.num_instances)

    def test_mix_has_every_flavor_and_some_zones(self):
        maker = conductor.RequestMaker(seed=5, azs=['az1'])
        specs = [maker.make()[1] for _ in range(2000)]
        names = {s.flavor.name for s in specs}
        self.assertEqual({f[1] for f in conductor.FLAVORS}, names)
        zoned = sum(1 for s in specs if s.availability_zone == 'az1')
        self.assertTrue(200 < zoned < 600, zoned)

    def test_probe_is_the_smallest_flavor_without_zone(self):
        _c, spec, _u = conductor.RequestMaker(seed=6, azs=['az1']).make_probe()
        self.assertEqual('sim.tiny', spec.flavor.name)
        self.assertIsNone(spec.availability_zone)


class Selection(object):
    def __init__(self, node):
        self.compute_node_uuid = node


class TestFlavorKinds(testtools.TestCase):

    def test_the_plain_mix_is_unchanged_by_the_numa_flavors(self):
        plain = conductor.RequestMaker(seed=8)
        self.assertEqual({f[1] for f in conductor.FLAVORS},
                         {f.name for _w, f in plain.flavors})
        self.assertEqual({'plain'}, set(plain.kinds.values()))

    def test_numa_mix_asks_every_kind_with_its_extra_specs(self):
        maker = conductor.RequestMaker(seed=9, numa=True)
        specs = [maker.make()[1] for _ in range(1000)]
        kinds = {maker.kinds[s.flavor.name] for s in specs}
        self.assertEqual({'plain', 'pinned', 'hugepages', 'pci'}, kinds)
        pinned = [s for s in specs if maker.kinds[s.flavor.name] == 'pinned']
        self.assertTrue(all(s.flavor.extra_specs['hw:cpu_policy'] ==
                            'dedicated' for s in pinned))

    def test_counts_outcomes_per_kind_and_remembers_numa_placements(self):
        maker = conductor.RequestMaker(seed=10, numa=True)
        made = []
        real_make = maker.make

        def make():
            made.append(real_make())
            return made[-1]

        maker.make = make
        outcomes = []
        for i in range(60):
            outcomes.append(
                exception.NoValidHost(reason='x') if i % 3 == 0 else
                [[Selection('node-%d' % i)]])
        results = conductor.Conductor(ScriptedAPI(outcomes), maker,
                                      concurrency=1).run(60)
        expected = {}
        numa = {}
        for i, (_c, spec, uuids) in enumerate(made):
            kind = maker.kinds[spec.flavor.name]
            outcome = 'no_valid_host' if i % 3 == 0 else 'placed'
            expected.setdefault(kind, {}).setdefault(outcome, 0)
            expected[kind][outcome] += 1
            if outcome == 'placed' and kind != 'plain':
                numa[uuids[0]] = (spec.flavor.name, 'node-%d' % i)
        self.assertEqual(expected, {k: dict(v)
                                    for k, v in results.by_kind.items()})
        self.assertEqual(numa, results.placed_numa)
        self.assertEqual(60, sum(len(v) for v in
                                 results.kind_latencies_ms.values()))
