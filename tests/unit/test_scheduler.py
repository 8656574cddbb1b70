"""The scheduler's decision: filter, weigh, choose, claim, alternates."""

import json
import random
import uuid

import fixtures
import testtools

from gantt import context
from gantt import exception
from gantt import host_manager
from gantt import objects
from gantt import plugins
from gantt import scheduler
from gantt.db import changes
from gantt.filters import base as filters_base
from tests.unit.filters import conf_fixture
from tests.unit import hosts as test_hosts

objects.register_all()

CELL1 = '11111111-1111-4111-8111-111111111111'
CELL2 = '22222222-2222-4222-8222-222222222222'


def uuid_of(n):
    return '00000000-0000-4000-8000-%012d' % n


class FakeStore(object):
    """What the scheduler needs of the store: claims and instance records.

    `conflicts` maps a provider uuid to how many claims on it are lost.
    """

    def __init__(self):
        self.claims = {}
        self.instances = {}
        self.deleted = []
        self.conflicts = {}
        self.decisions = {}
        self.transactions = 0
        self.seq = 0

    def get_changes(self, since, numa_holding=None):
        # The hosts are set up in the HostState directly; the store never
        # has anything newer to tell.
        return changes.Changes(self.seq, [], [], [], [])

    def claim(self, consumer_uuid, allocation_request, project_id,
              user_id, consumer_generation=None, instance=None):
        (provider,) = allocation_request['allocations']
        if self.conflicts.get(provider):
            self.conflicts[provider] -= 1
            raise exception.ClaimConflict(provider=provider,
                                          resource_class='MEMORY_MB')
        self.claims[consumer_uuid] = allocation_request
        if instance is not None:
            self.add_instances(instance[0], instance[1], [consumer_uuid])

    def get_server_group(self, uuid):
        return None

    def claim_instances(self, claims, digest=None, decided=None,
                        group=None, reservation=None):
        """All or nothing, as the store's one transaction."""
        for claim in claims:
            consumer_uuid, allocation_request = claim[:2]
            (provider,) = allocation_request['allocations']
            if self.conflicts.get(provider):
                self.conflicts[provider] -= 1
                raise exception.ClaimConflict(provider=provider,
                                              resource_class='MEMORY_MB',
                                              consumer=consumer_uuid)
        for claim in claims:
            consumer_uuid, allocation_request, _p, _u, host, node = claim[:6]
            self.claims[consumer_uuid] = allocation_request
            self.instances[consumer_uuid] = (host, node)
        for consumer_uuid, text in (decided or {}).items():
            self.decisions[consumer_uuid] = (digest, text)
        self.transactions += 1
        self.seq += 1
        return self.seq

    def find_decisions(self, instance_uuids, digest, since):
        found = {}
        for instance in instance_uuids:
            stored_digest, text = self.decisions.get(instance, (None, None))
            claim = self.claims.get(instance)
            if stored_digest == digest and claim is not None:
                held = {rp: body['resources']
                        for rp, body in claim['allocations'].items()}
                found[instance] = (text, held)
        return found

    def add_instances(self, host, node, instance_uuids):
        for instance_uuid in instance_uuids:
            self.instances[instance_uuid] = (host, node)

    def delete_allocations(self, consumer_uuid):
        self.deleted.append(consumer_uuid)
        self.claims.pop(consumer_uuid, None)

    def delete_instance(self, host, instance_uuid):
        self.instances.pop(instance_uuid, None)


class RejectNamed(filters_base.BaseHostFilter):
    """A per-host plugin that rejects the hosts named in its `names`."""

    reason = 'named by the test'

    def __init__(self, conf, names=()):
        super().__init__(conf)
        self.names = set(names)
        self.seen = []

    def host_passes(self, host_view, request):
        self.seen.append(host_view.host)
        return host_view.host not in self.names


class SchedulerTestCase(testtools.TestCase):

    weighers = ['RAMWeigher']
    overrides = {}

    def setUp(self):
        super().setUp()
        self.logs = self.useFixture(fixtures.FakeLogger(level='INFO'))
        overrides = {'filter_scheduler': {'enabled_weighers': self.weighers}}
        for group, values in self.overrides.items():
            overrides.setdefault(group, {}).update(values)
        self.conf = conf_fixture.make_conf(**overrides)
        self.store = FakeStore()
        self.ctxt = context.get_admin_context()

    def make(self, hosts, aggregates=(), instances=(), store=True,
             filters=None, seed=0):
        self.manager = host_manager.HostManager(
            self.conf, self.store if store else None)
        self.manager.state = test_hosts.make_state(hosts, aggregates,
                                                   instances)
        self.sched = scheduler.Scheduler(
            self.conf, self.store if store else None, self.manager,
            filters=filters, rng=random.Random(seed),
            clock=test_hosts.now)
        return self.sched

    def spec(self, ram=1024, vcpus=1, disk=10, **fields):
        fields.setdefault('instance_uuid', uuid_of(999))
        fields.setdefault('project_id', 'p1')
        fields.setdefault('user_id', 'u1')
        return objects.RequestSpec(
            flavor=objects.Flavor(memory_mb=ram, vcpus=vcpus, root_gb=disk),
            image=objects.ImageMeta(properties=objects.ImageMetaProps()),
            **fields)

    def select(self, spec, count=1, **kwargs):
        uuids = [uuid_of(i) for i in range(1, count + 1)]
        return self.sched.select_destinations(self.ctxt, spec, uuids,
                                              **kwargs)

    def primaries(self, result):
        return [sels[0].service_host for sels in result]


def node_uuid(name):
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, name))


def host(name, ram=4096, vcpus=8, disk=100, **kw):
    return dict(name=name, uuid=node_uuid(name), ram=ram, vcpus=vcpus,
                disk=disk, **kw)


class TestDecision(SchedulerTestCase):

    def test_picks_the_best_weighed_host_and_claims_it(self):
        self.make([host('h1', ram=2048), host('h2', ram=8192),
                   host('h3', ram=4096)])
        result = self.select(self.spec(ram=1024))
        sel = result[0][0]
        self.assertEqual('h2', sel.service_host)
        self.assertEqual('h2', sel.nodename)
        self.assertEqual(node_uuid('h2'), sel.compute_node_uuid)
        self.assertEqual('nova', sel.availability_zone)
        self.assertEqual('1.36', sel.allocation_request_version)
        h2 = node_uuid('h2')
        expected = {'allocations': {h2: {'resources': {
            'DISK_GB': 10, 'MEMORY_MB': 1024, 'VCPU': 1}}},
            'mappings': {'': [h2]}}
        self.assertEqual(expected, json.loads(sel.allocation_request))
        self.assertEqual(expected, self.store.claims[uuid_of(1)])
        self.assertEqual({uuid_of(1): ('h2', 'h2')}, self.store.instances)

    def test_consumes_locally_between_instances(self):
        self.make([host('h1', ram=3072), host('h2', ram=4096)])
        result = self.select(self.spec(ram=2048), count=2)
        self.assertEqual(['h2', 'h1'], self.primaries(result))
        state = self.manager.state
        row = state.index[node_uuid('h2')]
        self.assertEqual(2048, state.res['MEMORY_MB'].used[row])
        self.assertEqual({uuid_of(1): None}, state.view(row).instances)

    def test_each_placed_instance_counts_an_io_operation(self):
        self.make([host('h1', ram=8192, num_io_ops=2)])
        self.select(self.spec(ram=1024), count=3)
        row = self.manager.state.index[node_uuid('h1')]
        self.assertEqual(5, self.manager.state.num_io_ops[row])
        self.assertEqual(3, self.manager.state.num_instances[row])

    def test_max_io_ops_sees_instances_placed_earlier_in_the_request(self):
        self.conf.set_override('max_io_ops_per_host', 3,
                               group='filter_scheduler')
        self.conf.set_override('enabled_filters', ['IoOpsFilter'],
                               group='filter_scheduler')
        self.make([host('h1', ram=8192, num_io_ops=1)])
        self.select(self.spec(ram=1024), count=2)
        self.assertRaises(exception.NoValidHost, self.select,
                          self.spec(ram=1024), count=3)

    def test_ranks_no_host_the_claim_rule_refuses(self):
        # 2 GiB fits the free RAM, but not the inventory's step of 1.5 GiB.
        self.make([host('h1', ram=8192), host('h2', ram=4096)])
        state = self.manager.state
        state.set_inventory(node_uuid('h1'), 'MEMORY_MB', 8192, step=1536)
        explained = self.sched.explain(self.ctxt, self.spec(ram=2048))
        self.assertEqual(['h2'], [h['host'] for h in explained['hosts']])
        result = self.select(self.spec(ram=2048))
        self.assertEqual('h2', result[0][0].service_host)

    def test_anti_affinity_sees_earlier_picks(self):
        self.make([host('h1', ram=65536), host('h2'), host('h3')])
        group = objects.InstanceGroup(policy='anti-affinity', members=[],
                                      hosts=[])
        result = self.select(self.spec(instance_group=group), count=3)
        self.assertEqual(['h1', 'h2', 'h3'], sorted(self.primaries(result)))

    def test_affinity_keeps_later_instances_with_the_first(self):
        self.make([host('h1', ram=8192), host('h2', ram=6144)])
        group = objects.InstanceGroup(policy='affinity', members=[],
                                      hosts=[])
        result = self.select(self.spec(ram=2048, instance_group=group),
                             count=3)
        self.assertEqual(['h1', 'h1', 'h1'], self.primaries(result))

    def test_alternates_come_from_the_primary_cell_and_are_distinct(self):
        self.conf.set_override('max_attempts', 3, group='scheduler')
        self.make([host('a1', ram=9000, cell=CELL1),
                   host('a2', ram=8000, cell=CELL1),
                   host('a3', ram=7000, cell=CELL1),
                   host('a4', ram=6000, cell=CELL1),
                   host('b1', ram=8500, cell=CELL2)])
        result = self.select(self.spec(ram=512), count=2)
        primaries = self.primaries(result)
        self.assertEqual(['a1', 'b1'], primaries)
        first = [s.service_host for s in result[0]]
        self.assertEqual(['a1', 'a2', 'a3'], first)
        for sels in result:
            cells = {s.cell_uuid for s in sels}
            self.assertEqual(1, len(cells))
            alternates = [s.service_host for s in sels[1:]]
            self.assertEqual(len(alternates), len(set(alternates)))
            self.assertFalse(set(alternates) & set(primaries))
        self.assertEqual([], [s.service_host for s in result[1][1:]])
        alt = json.loads(result[0][1].allocation_request)
        self.assertEqual([node_uuid('a2')], list(alt['allocations']))
        # Only the primaries are claimed; alternates carry their request.
        self.assertEqual(
            [[node_uuid('a1')], [node_uuid('b1')]],
            [list(self.store.claims[uuid_of(n)]['allocations'])
             for n in (1, 2)])

    def test_selections_carry_their_host_weight_best_first(self):
        self.conf.set_override('max_attempts', 3, group='scheduler')
        self.make([host('h1', ram=9000), host('h2', ram=5000),
                   host('h3', ram=1000)])
        sels = self.select(self.spec(ram=512))[0]
        self.assertEqual(['h1', 'h2', 'h3'], [s.service_host for s in sels])
        weights = [s.weight for s in sels]
        self.assertEqual(sorted(weights, reverse=True), weights)
        self.assertGreater(weights[0], weights[2])

    def test_no_alternates_when_not_asked(self):
        self.make([host('h1'), host('h2')])
        result = self.select(self.spec(), return_alternates=False)
        self.assertEqual(1, len(result[0]))

    def test_works_without_a_store(self):
        self.make([host('h1'), host('h2', ram=8192)], store=False)
        result = self.select(self.spec())
        self.assertEqual('h2', result[0][0].service_host)

    def test_dry_run_claims_and_keeps_nothing(self):
        self.make([host('h1'), host('h2', ram=16384)])
        result = self.select(self.spec(ram=4096), count=2, dry_run=True)
        self.assertEqual(['h2', 'h2'], self.primaries(result))
        self.assertEqual({}, self.store.claims)
        state = self.manager.state
        self.assertEqual(0, state.res['MEMORY_MB'].used[:state.n].sum())
        self.assertEqual(0, state.num_instances[:state.n].sum())


class TestNoValidHost(SchedulerTestCase):

    def test_reason_names_each_filter_in_order(self):
        self.make([host('h1', disabled=True), host('h2', ram=512),
                   host('h3', ram=1024), host('h4', vcpus=0)])
        err = self.assertRaises(exception.NoValidHost, self.select,
                                self.spec(ram=2048, vcpus=1))
        text = str(err)
        self.assertIn('ComputeFilter removed 1 of 4 hosts (', text)
        self.assertIn('RamFilter removed 2 of 3 hosts (not enough free RAM)',
                      text)
        self.assertIn('CoreFilter removed 1 of 1 hosts', text)
        self.assertLess(text.index('ComputeFilter'), text.index('RamFilter'))
        self.assertLess(text.index('RamFilter'), text.index('CoreFilter'))
        self.assertNotIn('DiskFilter', text)
        self.assertIn('CoreFilter removed 1 of 1 hosts', self.logs.output)

    def test_no_hosts_at_all(self):
        self.make([])
        err = self.assertRaises(exception.NoValidHost, self.select,
                                self.spec())
        self.assertIn('no compute hosts are known', str(err))

    def test_all_or_nothing_claims_nothing_when_one_instance_fails(self):
        self.make([host('h1', ram=2048), host('h2', ram=1024)])
        err = self.assertRaises(exception.NoValidHost, self.select,
                                self.spec(ram=2048), count=2)
        self.assertIn('instance 2 of 2', str(err))
        self.assertEqual([], self.store.deleted)
        self.assertEqual({}, self.store.claims)
        self.assertEqual({}, self.store.instances)
        state = self.manager.state
        self.assertEqual(0, state.res['MEMORY_MB'].used[:state.n].sum())
        self.assertEqual(0, state.num_instances[:state.n].sum())
        self.assertEqual({}, state.instance_row)


class TestConstraints(SchedulerTestCase):

    def test_force_hosts_bypasses_filters(self):
        self.make([host('h1', disabled=True), host('h2', ram=8192)])
        result = self.select(self.spec(force_hosts=['H1']))
        self.assertEqual('h1', result[0][0].service_host)

    def test_force_nodes(self):
        self.make([host('h1', node='n1'), host('h2', node='n2', ram=8192)])
        result = self.select(self.spec(force_nodes=['n1']))
        self.assertEqual('n1', result[0][0].nodename)

    def test_force_hosts_unknown_is_no_valid_host(self):
        self.make([host('h1')])
        err = self.assertRaises(exception.NoValidHost, self.select,
                                self.spec(force_hosts=['nope']))
        self.assertIn('force_hosts removed 1 of 1 hosts', str(err))

    def test_ignore_hosts(self):
        self.make([host('h1'), host('h2', ram=8192)])
        result = self.select(self.spec(ignore_hosts=['h2']))
        self.assertEqual('h1', result[0][0].service_host)

    def test_retry_skips_hosts_already_tried(self):
        self.make([host('h1'), host('h2', ram=8192)])
        retry = objects.SchedulerRetries(num_attempts=1,
                                         hosts=[['h2', 'h2']])
        result = self.select(self.spec(retry=retry))
        self.assertEqual('h1', result[0][0].service_host)

    def test_requested_destination_host(self):
        self.make([host('h1'), host('h2', ram=8192)])
        dest = objects.Destination(host='h1')
        result = self.select(self.spec(requested_destination=dest))
        self.assertEqual('h1', result[0][0].service_host)

    def test_requested_destination_cell_and_aggregates(self):
        self.make([host('h1', cell=CELL1), host('h2', cell=CELL2),
                   host('h3', cell=CELL2, ram=8192)],
                  aggregates=[{'name': 'agg', 'hosts': ['h1', 'h2']}])
        dest = objects.Destination(cell_uuid=CELL2, aggregates=['x,agg'])
        result = self.select(self.spec(requested_destination=dest))
        self.assertEqual('h2', result[0][0].service_host)
        dest = objects.Destination(forbidden_aggregates={'agg'})
        result = self.select(self.spec(requested_destination=dest))
        self.assertEqual('h3', result[0][0].service_host)

    def test_cross_cell_move_is_not_narrowed_to_the_requested_cell(self):
        self.make([host('h1', cell=CELL1, ram=8192), host('h2', cell=CELL2)])
        dest = objects.Destination(cell_uuid=CELL2,
                                   allow_cross_cell_move=True)
        result = self.select(self.spec(requested_destination=dest))
        self.assertEqual('h1', result[0][0].service_host)
        dest = objects.Destination(cell_uuid=CELL2,
                                   allow_cross_cell_move=False)
        result = self.select(self.spec(requested_destination=dest))
        self.assertEqual('h2', result[0][0].service_host)


class TestChoice(SchedulerTestCase):

    def test_host_subset_size_picks_among_the_top(self):
        self.conf.set_override('host_subset_size', 2,
                               group='filter_scheduler')
        hosts = [host('h%d' % i, ram=1024 * (i + 2)) for i in range(5)]
        chosen = set()
        for seed in range(30):
            self.make(hosts, store=False, seed=seed)
            chosen.add(self.select(self.spec())[0][0].service_host)
        self.assertEqual({'h3', 'h4'}, chosen)

    def test_shuffle_best_same_weighed_hosts(self):
        self.conf.set_override('shuffle_best_same_weighed_hosts', True,
                               group='filter_scheduler')
        hosts = [host('h%d' % i) for i in range(3)] + [host('low', ram=2048)]
        chosen = set()
        for seed in range(30):
            self.make(hosts, store=False, seed=seed)
            chosen.add(self.select(self.spec())[0][0].service_host)
        self.assertEqual({'h0', 'h1', 'h2'}, chosen)

    def test_equal_hosts_keep_their_order_without_shuffle(self):
        self.make([host('h%d' % i) for i in range(3)], store=False)
        self.assertEqual('h0', self.select(self.spec())[0][0].service_host)

    def test_lost_claim_tries_the_next_host(self):
        self.make([host('h1', ram=8192), host('h2', ram=4096)])
        self.store.conflicts[node_uuid('h1')] = 1
        result = self.select(self.spec())
        self.assertEqual('h2', result[0][0].service_host)
        self.assertEqual([node_uuid('h2')],
                         list(self.store.claims[uuid_of(1)]['allocations']))

    def test_all_claims_lost_is_no_valid_host(self):
        self.make([host('h1')])
        self.store.conflicts[node_uuid('h1')] = 5
        err = self.assertRaises(exception.NoValidHost, self.select,
                                self.spec())
        self.assertIn('1 claims lost to other requests', str(err))


class TestReplay(SchedulerTestCase):

    def answer(self, result):
        return [[(s.service_host, s.allocation_request) for s in sels]
                for sels in result]

    def test_same_call_again_answers_the_first_decision(self):
        self.conf.set_override('max_attempts', 2, group='scheduler')
        self.make([host('h1', ram=8192), host('h2', ram=8192)])
        first = self.select(self.spec(ram=1024), count=2)
        again = self.select(self.spec(ram=1024), count=2)
        self.assertEqual(self.answer(first), self.answer(again))
        self.assertEqual(1, self.store.transactions)

    def test_other_request_for_the_same_instances_decides_again(self):
        self.make([host('h1', ram=8192), host('h2', ram=8192)])
        self.select(self.spec(ram=1024))
        self.select(self.spec(ram=2048))
        self.assertEqual(2, self.store.transactions)

    def test_replay_off_decides_again(self):
        self.conf.set_override('decision_replay_seconds', 0,
                               group='scheduler')
        self.make([host('h1', ram=8192)])
        self.select(self.spec())
        self.select(self.spec())
        self.assertEqual(2, self.store.transactions)


class TestGang(SchedulerTestCase):

    def test_every_request_placed_and_claimed_in_one_transaction(self):
        self.make([host('h1', ram=8192), host('h2', ram=4096)])
        result = self.sched.select_gang(
            self.ctxt, [self.spec(ram=4096), self.spec(ram=2048)],
            [[uuid_of(1)], [uuid_of(2), uuid_of(3)]])
        self.assertEqual([1, 2], [len(r) for r in result])
        self.assertEqual({uuid_of(n) for n in (1, 2, 3)},
                         set(self.store.claims))
        self.assertEqual(1, self.store.transactions)
        state = self.manager.state
        self.assertEqual(8192, state.res['MEMORY_MB'].used[:state.n].sum())

    def test_request_that_does_not_fit_claims_nothing_and_is_named(self):
        self.make([host('h1', ram=4096)])
        err = self.assertRaises(
            exception.NoValidHost, self.sched.select_gang, self.ctxt,
            [self.spec(ram=2048), self.spec(ram=4096)],
            [[uuid_of(1)], [uuid_of(2)]])
        self.assertIn('request 2 of 2 (instances %s)' % uuid_of(2), str(err))
        self.assertEqual({}, self.store.claims)
        state = self.manager.state
        self.assertEqual(0, state.res['MEMORY_MB'].used[:state.n].sum())

    def test_two_server_groups_in_one_gang_are_refused(self):
        self.make([host('h1')])
        specs = [self.spec(instance_group=objects.InstanceGroup(
                     uuid=uuid_of(100 + n), policy='anti-affinity'))
                 for n in (1, 2)]
        err = self.assertRaises(exception.InvalidRequest,
                                self.sched.select_gang, self.ctxt, specs,
                                [[uuid_of(1)], [uuid_of(2)]])
        self.assertIn('2 server groups', str(err))

    def test_anti_affinity_spreads_the_gang(self):
        self.make([host('h1', ram=8192), host('h2'), host('h3')])
        group = objects.InstanceGroup(uuid=uuid_of(100),
                                      policy='anti-affinity')
        result = self.sched.select_gang(
            self.ctxt, [self.spec(instance_group=group),
                        self.spec(ram=512, instance_group=group)],
            [[uuid_of(1), uuid_of(2)], [uuid_of(3)]])
        hosts = [sels[0].service_host for r in result for sels in r]
        self.assertEqual(3, len(set(hosts)), hosts)


class TestPlugins(SchedulerTestCase):

    def test_per_host_plugins_see_only_survivors(self):
        plugin = RejectNamed(self.conf, names=['h2'])
        filters = plugins.load_filters(self.conf) + [plugin]
        self.make([host('h1'), host('h2', ram=8192), host('h3', ram=256)],
                  filters=filters)
        result = self.select(self.spec(ram=1024))
        self.assertEqual('h1', result[0][0].service_host)
        self.assertEqual(['h1', 'h2'], sorted(plugin.seen))

    def test_per_host_plugin_reason(self):
        plugin = RejectNamed(self.conf, names=['h1'])
        self.make([host('h1')], filters=[plugin])
        err = self.assertRaises(exception.NoValidHost, self.select,
                                self.spec())
        self.assertIn('RejectNamed removed 1 of 1 hosts (named by the test)',
                      str(err))

    def test_filters_run_once_per_request_run_once(self):
        class Once(filters_base.VectorFilter):
            run_filter_once_per_request = True
            calls = 0

            def filter_mask(self, hosts, request):
                type(self).calls += 1
                return filters_base.all_rows(hosts)

        self.make([host('h1', ram=65536)], filters=[Once(self.conf)])
        self.select(self.spec(), count=3)
        self.assertEqual(1, Once.calls)

    def test_loads_enabled_plugins_in_order(self):
        self.conf.set_override('enabled_filters', ['RamFilter',
                                                   'ComputeFilter'],
                               group='filter_scheduler')
        names = [f.name for f in plugins.load_filters(self.conf)]
        self.assertEqual(['RamFilter', 'ComputeFilter'], names)
        self.assertEqual(['RAMWeigher'],
                         [w.name for w in plugins.load_weighers(self.conf)])

    def test_unknown_plugin_names_itself_and_the_known_ones(self):
        self.conf.set_override('enabled_filters', ['RamFilter', 'NopeFilter'],
                               group='filter_scheduler')
        err = self.assertRaises(exception.PluginNotFound,
                                plugins.load_filters, self.conf)
        self.assertIn("'NopeFilter'", str(err))
        self.assertIn('enabled_filters', str(err))
        self.assertIn('ComputeFilter', str(err))


class TestExplain(SchedulerTestCase):

    def test_explain_ranks_and_breaks_down_without_claiming(self):
        self.make([host('h1', ram=2048), host('h2', ram=8192),
                   host('h3', disabled=True)])
        out = self.sched.explain(self.ctxt, self.spec(ram=1024))
        self.assertEqual(['h2', 'h1'], [h['host'] for h in out['hosts']])
        self.assertGreater(out['hosts'][0]['weight'],
                           out['hosts'][1]['weight'])
        self.assertEqual(3, out['considered'])
        compute = [f for f in out['filters'] if f['name'] == 'ComputeFilter']
        self.assertEqual([{'name': 'ComputeFilter', 'removed': 1,
                           'remaining': 2, 'reason': compute[0]['reason']}],
                         compute)
        self.assertEqual({}, self.store.claims)


class TestWithStore(testtools.TestCase):
    """The decision against a real migrated SQLite store: two workers."""

    def setUp(self):
        super().setUp()
        from tests.unit.db import base as db_base
        self.useFixture(fixtures.FakeLogger(level='INFO'))
        fixture = self.useFixture(db_base.DatabaseFixture())
        self.conf, self.db = fixture.conf, fixture.db
        self.conf.set_override('enabled_weighers', ['RAMWeigher'],
                               group='filter_scheduler')
        self.ctxt = context.get_admin_context()
        self.big = db_base.make_node(host='big', memory_mb=8192)
        self.small = db_base.make_node(host='small', memory_mb=4096)
        for node in (self.big, self.small):
            self.assertTrue(self.db.save_compute_node(node))

    def worker(self):
        manager = host_manager.HostManager(self.conf, self.db)
        manager.refresh()
        return scheduler.Scheduler(self.conf, self.db, manager)

    def spec(self, ram):
        return objects.RequestSpec(
            project_id='p1', user_id='u1',
            flavor=objects.Flavor(memory_mb=ram, vcpus=1, root_gb=1),
            image=objects.ImageMeta(properties=objects.ImageMetaProps()))

    def test_claims_land_in_the_store(self):
        sched = self.worker()
        result = sched.select_destinations(self.ctxt, self.spec(6144),
                                           [uuid_of(1)])
        self.assertEqual('big', result[0][0].service_host)
        allocations = self.db.get_allocations(uuid_of(1))
        self.assertEqual({'VCPU': 1, 'MEMORY_MB': 6144, 'DISK_GB': 1},
                         allocations['allocations'][self.big.uuid]
                         ['resources'])
        # The store's accounting replaces the local one on refresh.
        sched.host_manager.refresh()
        state = sched.host_manager.state
        row = state.index[self.big.uuid]
        self.assertEqual(6144, state.res['MEMORY_MB'].used[row])
        self.assertEqual({uuid_of(1): None}, state.view(row).instances)

    def test_a_worker_does_not_read_back_its_own_claim(self):
        sched = self.worker()
        sched.select_destinations(self.ctxt, self.spec(1024), [uuid_of(1)])
        # Applied locally and nothing else was written: nothing to read.
        self.assertEqual(self.db.current_seq(),
                         sched.host_manager.watermark)
        self.assertEqual(0, sched.host_manager.refresh())

    def test_workers_skipping_their_own_claims_match_the_store(self):
        first, second = self.worker(), self.worker()
        order = [first, first, second, first, second, second, first]
        for n, sched in enumerate(order):
            sched.select_destinations(self.ctxt, self.spec(512),
                                      [uuid_of(n + 1)])
        fresh = host_manager.HostManager(self.conf, self.db)
        fresh.refresh()
        for sched in (first, second):
            sched.host_manager.refresh()
            state = sched.host_manager.state
            for node in (self.big, self.small):
                mine, truth = (state.index[node.uuid],
                               fresh.state.index[node.uuid])
                for rc in ('VCPU', 'MEMORY_MB', 'DISK_GB'):
                    self.assertEqual(fresh.state.res[rc].used[truth],
                                     state.res[rc].used[mine], rc)
                self.assertEqual(fresh.state.view(truth).instances,
                                 state.view(mine).instances)
        self.assertEqual(7, sum(
            len(fresh.state.view(fresh.state.index[node.uuid]).instances)
            for node in (self.big, self.small)))

    def test_stale_worker_loses_the_claim_and_takes_the_next_host(self):
        first, second = self.worker(), self.worker()
        first.select_destinations(self.ctxt, self.spec(6144), [uuid_of(1)])
        # `second` still believes 'big' is empty: its claim there fails in
        # the store, it refreshes and lands on the next host.
        result = second.select_destinations(self.ctxt, self.spec(4096),
                                            [uuid_of(2)])
        self.assertEqual('small', result[0][0].service_host)
        self.assertIn(self.small.uuid, self.db.get_allocations(
            uuid_of(2))['allocations'])

    def test_failed_multi_instance_request_leaves_no_allocation(self):
        sched = self.worker()
        self.assertRaises(exception.NoValidHost, sched.select_destinations,
                          self.ctxt, self.spec(4096),
                          [uuid_of(1), uuid_of(2), uuid_of(3), uuid_of(4)])
        for n in range(1, 5):
            allocations = self.db.get_allocations(uuid_of(n))
            self.assertFalse(allocations.get('allocations'))
