"""weigh() against weigh_reference() on random hosts, and the ranking rules."""

import json
import random

import numpy as np

from gantt.objects import destination
from gantt.objects import instance_group
from gantt.weighers import affinity
from gantt.weighers import base as weigher_base
from gantt.weighers import compute
from gantt.weighers import cpu
from gantt.weighers import cross_cell
from gantt.weighers import disk
from gantt.weighers import handler
from gantt.weighers import hypervisor_version
from gantt.weighers import image_props
from gantt.weighers import io_ops
from gantt.weighers import metrics
from gantt.weighers import num_instances
from gantt.weighers import ram
from tests.unit.weighers import base

ALL = (ram.RAMWeigher, cpu.CPUWeigher, disk.DiskWeigher,
       io_ops.IoOpsWeigher, num_instances.NumInstancesWeigher,
       metrics.MetricsWeigher, compute.BuildFailureWeigher,
       affinity.ServerGroupSoftAffinityWeigher,
       affinity.ServerGroupSoftAntiAffinityWeigher,
       hypervisor_version.HypervisorVersionWeigher,
       cross_cell.CrossCellWeigher, image_props.ImagePropertiesWeigher)
OPTIONS = ('ram_weight_multiplier', 'cpu_weight_multiplier',
           'disk_weight_multiplier', 'io_ops_weight_multiplier',
           'num_instances_weight_multiplier',
           'build_failure_weight_multiplier',
           'soft_affinity_weight_multiplier',
           'soft_anti_affinity_weight_multiplier',
           'hypervisor_version_weight_multiplier',
           'cross_cell_move_weight_multiplier',
           'image_props_weight_multiplier')
CELLS = ['%d' * 8 % ((i,) * 8) + '-0000-0000-0000-000000000000'
         for i in range(1, 4)]
INSTANCE = 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa'


def random_hosts(rnd, count):
    hosts = []
    for i in range(count):
        host = {
            'name': 'host%d' % (i // 2 if rnd.random() < 0.2 else i),
            'node': 'node%d' % i, 'uuid': 'uuid-%d' % i,
            'cell': rnd.choice(CELLS + [None]),
            'ram': rnd.choice([0, 1024, 4096, 65536]),
            'ram_used': rnd.randrange(0, 8192, 512),
            'ram_reserved': rnd.choice([0, 512]),
            'ram_ratio': rnd.choice([1.0, 1.5]),
            'vcpus': rnd.choice([2, 8, 64]),
            'vcpus_used': rnd.randrange(0, 40),
            'vcpus_reserved': rnd.choice([0, 1]),
            'cpu_ratio': rnd.choice([1.0, 4.0, 16.0, 2.7]),
            'disk': rnd.choice([10, 100, 1000]),
            'disk_used': rnd.randrange(0, 200),
            'disk_reserved': rnd.choice([0, 5]),
            'num_io_ops': rnd.randrange(0, 9),
            'num_instances': rnd.randrange(0, 50),
            'failed_builds': rnd.choice([0, 0, 0, 1, 3]),
            'hypervisor_version': rnd.choice([1000, 2000, 6000000]),
            'metrics': {name: rnd.uniform(-100, 100)
                        for name in ('m.a', 'm.b', 'm.c')
                        if rnd.random() < 0.85},
            'extra_stats': {'image_props': json.dumps({
                'os_distro': {'linux': rnd.randrange(5),
                              'windows': rnd.randrange(5)},
                'hw_machine_type': {'q35': rnd.randrange(3)}})}
            if rnd.random() < 0.7 else {},
        }
        if rnd.random() < 0.1:
            del host['ram']
        hosts.append(host)
    return hosts


def random_aggregates(rnd, hosts):
    names = sorted({h['name'] for h in hosts})
    aggs = []
    for i in range(6):
        members = rnd.sample(names, k=max(1, len(names) // 4))
        metadata = {}
        for option in rnd.sample(OPTIONS + ('metrics_weight_multiplier',),
                                 k=3):
            metadata[option] = rnd.choice(['0.5', '-1', '3', 'bogus', '2e3'])
        aggs.append({'name': 'agg%d' % i, 'hosts': members,
                     'metadata': metadata})
    return aggs


class DifferentialTest(base.WeigherTestCase):

    scenarios = [('seed%d' % seed, dict(seed=seed))
                 for seed in (1, 7, 42, 2024, 31337)]

    def _setup(self, rnd):
        for option in OPTIONS:
            self.flags(**{option: rnd.choice([-2.0, -1.0, 0.5, 1.0, 3.0])})
        self.flags(image_props_weight_setting=rnd.choice(
            [[], ['os_distro=2', 'hw_machine_type=0.5']]))
        self.flags(group='metrics',
                   weight_setting=['m.a=1.0', 'm.b=-0.5', 'm.c=0'],
                   required=rnd.choice([True, False]),
                   weight_multiplier=rnd.choice([-1.0, 1.0]))
        hosts = random_hosts(rnd, 60)
        aggs = random_aggregates(rnd, hosts)
        names = sorted({h['name'] for h in hosts})
        members = ['member-%d' % i for i in range(20)]
        instances = [(uuid, rnd.choice(names)) for uuid in members]
        instances.append((INSTANCE, rnd.choice(names)))
        state = self.state(hosts, aggregates=aggs, instances=instances)
        request = self.request(
            instance_uuid=INSTANCE,
            image={'properties': {'os_distro': 'linux',
                                  'hw_machine_type': 'q35'}},
            instance_group=instance_group.InstanceGroup(
                policy=rnd.choice(['soft-affinity', 'soft-anti-affinity']),
                members=members[:12]),
            requested_destination=destination.Destination(
                allow_cross_cell_move=True))
        request.placing.picked_rows = [int(r) for r in
                                       rnd.sample(list(state.rows()), k=5)]
        return state, request

    def test_vectorised_and_reference_rank_alike(self):
        rnd = random.Random(self.seed)
        state, request = self._setup(rnd)
        weighers = [cls(self.conf) for cls in ALL]
        rows = state.rows()
        rnd.shuffle(rows)
        rows = rows[:45]
        ranked, totals = handler.weigh(weighers, state, rows, request)
        ref_ranked, ref_totals = handler.weigh_reference(
            weighers, [state.view(r) for r in rows], request)
        self.assertEqual(ref_ranked, ranked.tolist())
        self.assertEqual(ref_totals, totals.tolist())
        self.assertEqual(sorted(rows.tolist()), sorted(ranked.tolist()))
        self.assertTrue(np.all(np.diff(totals) <= 0))
        # Every weigher, alone, agrees too.
        for weigher in weighers:
            self.raw(weigher, state, request, rows)
            self.multipliers(weigher, state, rows)


class QuietCloudTest(base.WeigherTestCase):
    """The common case: most weighers are idle, and skipping them must not
    change a single total."""

    scenarios = [('seed%d' % seed, dict(seed=seed))
                 for seed in (3, 99, 4242)]

    IDLE = ('IoOpsWeigher', 'NumInstancesWeigher', 'MetricsWeigher',
            'BuildFailureWeigher', 'ServerGroupSoftAffinityWeigher',
            'ServerGroupSoftAntiAffinityWeigher', 'CrossCellWeigher',
            'ImagePropertiesWeigher')

    def test_idle_weighers_are_skipped_and_totals_agree(self):
        rnd = random.Random(self.seed)
        self.flags(num_instances_weight_multiplier=0.0,
                   image_props_weight_multiplier=0.0)
        hosts = random_hosts(rnd, 50)
        for host in hosts:
            host.update(num_io_ops=0, failed_builds=0, metrics={},
                        num_instances=rnd.randrange(0, 50))
        state = self.state(hosts, aggregates=[
            {'name': 'az', 'hosts': [h['name'] for h in hosts[:20]],
             'metadata': {'availability_zone': 'az1'}}])
        request = self.request(instance_uuid=INSTANCE)
        weighers = [cls(self.conf) for cls in ALL]
        idle = sorted(w.name for w in weighers if w.idle(state, request))
        self.assertEqual(sorted(self.IDLE), idle)
        base.weighed(self, weighers, state, request)
        for weigher in weighers:
            if weigher.name in self.IDLE:
                rows = state.rows()
                self.assertEqual([0.0] * len(rows), handler.totals(
                    [weigher], state, rows, request).tolist())

    def test_an_aggregate_multiplier_wakes_a_zeroed_weigher(self):
        self.flags(num_instances_weight_multiplier=0.0)
        hosts = [{'name': 'h%d' % i, 'num_instances': i} for i in range(3)]
        state = self.state(hosts, aggregates=[
            {'name': 'agg', 'hosts': ['h2'],
             'metadata': {'num_instances_weight_multiplier': '-1'}}])
        weigher = num_instances.NumInstancesWeigher(self.conf)
        self.assertFalse(weigher.idle(state, self.request()))
        self.assertEqual({'h0': 0.0, 'h1': 0.0, 'h2': -1.0}, base.weighed(
            self, [weigher], state, self.request()))


class UniformWeigher(num_instances.NumInstancesWeigher):
    """Says every host scores `score`; scores num_instances anyway."""

    score = 5.0

    def uniform_score(self, hosts, request):
        return self.score


class IdleRuleTest(base.WeigherTestCase):

    def setUp(self):
        super().setUp()
        # Not 0, the default, which would make it idle whatever it scores.
        self.flags(num_instances_weight_multiplier=1.0)
        self.state_ = self.state([{'name': 'h'}])
        self.weigher = UniformWeigher(self.conf)

    def test_one_score_everywhere_is_idle(self):
        self.assertTrue(self.weigher.idle(self.state_, self.request()))

    def test_a_fixed_bound_apart_from_the_score_is_not_idle(self):
        # minval 0 and every host at 5 normalise to 1, not 0.
        self.weigher.minval = 0
        self.assertFalse(self.weigher.idle(self.state_, self.request()))
        self.weigher.score = -3.0
        # Clamped up to minval 0: 0 everywhere again.
        self.assertTrue(self.weigher.idle(self.state_, self.request()))

    def test_an_infinite_multiplier_is_never_idle(self):
        # inf * 0 is NaN, which ranks a host last: it must be computed.
        self.flags(num_instances_weight_multiplier=float('inf'))
        self.assertFalse(self.weigher.idle(self.state_, self.request()))

    def test_nan_is_not_one_score(self):
        self.weigher.score = float('nan')
        self.assertFalse(self.weigher.idle(self.state_, self.request()))


class PerHostWeigher(weigher_base.BaseWeigher):
    """An out-of-tree style weigher: per host only."""

    def weigh_object(self, host_view, request):
        return float(len(host_view.host))

    def weight_multiplier(self, host_view):
        return 2.0


class CountingWeigher(num_instances.NumInstancesWeigher):
    """Weighs by instance count, counting how often multipliers are read."""

    def __init__(self, conf):
        super().__init__(conf)
        self.asked = 0

    def multipliers(self, hosts, rows):
        self.asked += 1
        return super().multipliers(hosts, rows)


class RankingTest(base.WeigherTestCase):

    def test_ties_keep_row_order(self):
        state = self.state([{'name': 'h%d' % i, 'ram': 1024}
                            for i in range(5)])
        rows = np.array([3, 1, 4, 0, 2])
        ranked, totals = handler.weigh([ram.RAMWeigher(self.conf)], state,
                                       rows, self.request())
        self.assertEqual([3, 1, 4, 0, 2], ranked.tolist())
        ref_ranked, _ = handler.weigh_reference(
            [ram.RAMWeigher(self.conf)], [state.view(r) for r in rows],
            self.request())
        self.assertEqual([3, 1, 4, 0, 2], ref_ranked)

    def test_sum_of_multiplied_normalised_scores(self):
        self.flags(ram_weight_multiplier=2.0, io_ops_weight_multiplier=-3.0)
        state = self.state([
            {'name': 'h0', 'ram': 1000, 'num_io_ops': 0},
            {'name': 'h1', 'ram': 500, 'num_io_ops': 4},
            {'name': 'h2', 'ram': 250, 'num_io_ops': 2}])
        totals = base.weighed(
            self, [ram.RAMWeigher(self.conf), io_ops.IoOpsWeigher(self.conf)],
            state, self.request())
        self.assertEqual({'h0': 2.0, 'h2': 0.5 - 1.5, 'h1': 1.0 - 3.0},
                         totals)
        self.assertEqual(['h0', 'h2', 'h1'], list(totals))

    def test_raw_scores_are_clamped_to_minval(self):
        # Free RAM below the weigher's minval 0 counts as 0.
        state = self.state([{'name': 'h0', 'ram': 1024, 'ram_used': 2048},
                            {'name': 'h1', 'ram': 1024, 'ram_used': 1024},
                            {'name': 'h2', 'ram': 1024}])
        totals = base.weighed(self, [ram.RAMWeigher(self.conf)], state,
                              self.request())
        self.assertEqual({'h2': 1.0, 'h0': 0.0, 'h1': 0.0}, totals)

    def test_single_host_scores_zero(self):
        state = self.state([{'name': 'h0', 'ram': 1024},
                            {'name': 'h1', 'ram': 2048}])
        totals = base.weighed(self, [ram.RAMWeigher(self.conf)], state,
                              self.request(), rows=[1])
        self.assertEqual({'h1': 0.0}, totals)

    def test_per_host_plugin_mixes_with_vectorised(self):
        state = self.state([{'name': 'a', 'ram': 512},
                            {'name': 'bbb', 'ram': 1024},
                            {'name': 'cc', 'ram': 2048}])
        weighers = [ram.RAMWeigher(self.conf), PerHostWeigher(self.conf)]
        totals = base.weighed(self, weighers, state, self.request())
        self.assertEqual({'bbb': 0.5 + 2.0, 'cc': 1.0 + 1.0, 'a': 0.25},
                         totals)

    def test_scores_that_do_not_spread_add_nothing(self):
        self.flags(num_instances_weight_multiplier=2.0)
        rows = np.arange(3)
        spread = CountingWeigher(self.conf)
        state = self.state([{'name': 'h%d' % i, 'num_instances': i}
                            for i in range(3)])
        self.assertEqual([0.0, 1.0, 2.0], handler.totals(
            [spread], state, rows, self.request()).tolist())
        self.assertEqual(1, spread.asked)
        # The same count everywhere normalises to 0 on every host: the
        # multipliers are not read and nothing is added.
        flat = CountingWeigher(self.conf)
        state = self.state([{'name': 'h%d' % i, 'num_instances': 4}
                            for i in range(3)])
        self.assertEqual([0.0, 0.0, 0.0], handler.totals(
            [flat], state, rows, self.request()).tolist())
        self.assertEqual(0, flat.asked)

    def test_no_rows(self):
        state = self.state([{'name': 'h0', 'ram': 1}])
        ranked, totals = handler.weigh([ram.RAMWeigher(self.conf)], state,
                                       np.array([], dtype=np.int64),
                                       self.request())
        self.assertEqual(([], []), (ranked.tolist(), totals.tolist()))
        self.assertEqual(([], []), handler.weigh_reference(
            [ram.RAMWeigher(self.conf)], [], self.request()))

    def test_no_weighers_keeps_row_order(self):
        state = self.state([{'name': 'h%d' % i} for i in range(3)])
        ranked, totals = handler.weigh([], state, np.array([2, 0, 1]),
                                       self.request())
        self.assertEqual([2, 0, 1], ranked.tolist())
        self.assertEqual([0.0, 0.0, 0.0], totals.tolist())
