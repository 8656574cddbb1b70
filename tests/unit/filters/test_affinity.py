"""Instance affinity filters: hints, host networks and server groups."""

from oslo_utils.fixture import uuidsentinel as uuids
import testscenarios

from gantt import exception
from gantt.filters import affinity
from gantt import objects
from tests.unit.filters import base

ALL = ['h1', 'h2', 'h3', 'h4', 'n1', 'n2']


def make_state(host_ips=None):
    """h1 runs m1, m2 and x1; h2 runs m3; h3 runs x2; h4 runs nothing.

    The service host 'ironic' has two nodes, n1 (running m4) and n2.
    """
    host_ips = host_ips or {}
    hosts = [{'name': name, 'host_ip': host_ips.get(name)}
             for name in ('h1', 'h2', 'h3', 'h4')]
    hosts += [{'name': 'ironic', 'node': node, 'uuid': 'uuid-' + node,
               'host_ip': host_ips.get(node)} for node in ('n1', 'n2')]
    state = base.test_hosts.make_state(hosts, instances=[
        (uuids.m1, 'h1'), (uuids.m2, 'h1'), (uuids.x1, 'h1'),
        (uuids.m3, 'h2'), (uuids.x2, 'h3')])
    state.add_instance(uuids.m4, state.index['uuid-n1'])
    return state


def rows(state, *names):
    return [state.index['uuid-' + name] for name in names]


class TestDifferentHostFilter(testscenarios.WithScenarios,
                              base.FilterTestCase):

    filter_class = affinity.DifferentHostFilter
    scenarios = [
        ('no_hint', dict(hints={}, expected=ALL)),
        ('empty_hint', dict(hints={'different_host': []}, expected=ALL)),
        ('empty_string', dict(hints={'different_host': ['']},
                              expected=ALL)),
        ('one_instance', dict(
            hints={'different_host': [uuids.x1]},
            expected=['h2', 'h3', 'h4', 'n1', 'n2'])),
        ('two_instances', dict(
            hints={'different_host': [uuids.x1, uuids.m3]},
            expected=['h3', 'h4', 'n1', 'n2'])),
        ('only_the_node_is_avoided', dict(
            hints={'different_host': [uuids.m4]},
            expected=['h1', 'h2', 'h3', 'h4', 'n2'])),
        ('unknown_instance', dict(
            hints={'different_host': [uuids.unknown]}, expected=ALL)),
    ]

    def test_hint(self):
        request = self.request(scheduler_hints=self.hints)
        self.assert_filter(make_state(), request, self.expected)

    def test_runs_once_per_request(self):
        self.assertTrue(self.filter_class.run_filter_once_per_request)


class TestSameHostFilter(testscenarios.WithScenarios, base.FilterTestCase):

    filter_class = affinity.SameHostFilter
    scenarios = [
        ('no_hint', dict(hints={}, expected=ALL)),
        ('empty_hint', dict(hints={'same_host': []}, expected=ALL)),
        ('one_instance', dict(hints={'same_host': [uuids.x2]},
                              expected=['h3'])),
        ('two_instances', dict(
            hints={'same_host': [uuids.m1, uuids.m3]},
            expected=['h1', 'h2'])),
        ('two_instances_one_host', dict(
            hints={'same_host': [uuids.m1, uuids.m2]}, expected=['h1'])),
        ('node_not_whole_host', dict(
            hints={'same_host': [uuids.m4]}, expected=['n1'])),
        ('unknown_instance', dict(
            hints={'same_host': [uuids.unknown]}, expected=[])),
    ]

    def test_hint(self):
        request = self.request(scheduler_hints=self.hints)
        self.assert_filter(make_state(), request, self.expected)

    def test_runs_once_per_request(self):
        self.assertTrue(self.filter_class.run_filter_once_per_request)


HOST_IPS = {'h1': '10.0.0.5', 'h2': '10.0.1.7', 'h3': '192.168.0.1',
            'h4': None, 'n1': '2001:db8::5', 'n2': 'not-an-ip'}


class TestSimpleCIDRAffinityFilter(testscenarios.WithScenarios,
                                   base.FilterTestCase):

    filter_class = affinity.SimpleCIDRAffinityFilter
    scenarios = [
        ('no_hint', dict(hints={}, expected=ALL)),
        ('cidr_alone_is_no_hint', dict(hints={'cidr': ['/8']},
                                       expected=ALL)),
        ('empty_address_is_no_hint', dict(
            hints={'build_near_host_ip': [], 'cidr': ['/8']}, expected=ALL)),
        ('empty_cidr_is_the_default', dict(
            hints={'build_near_host_ip': ['10.0.0.1'], 'cidr': ['']},
            expected=['h1'])),
        ('default_cidr_is_24', dict(
            hints={'build_near_host_ip': ['10.0.0.1']}, expected=['h1'])),
        ('prefix_length', dict(
            hints={'build_near_host_ip': ['10.0.0.1'], 'cidr': ['/16']},
            expected=['h1', 'h2'])),
        ('netmask', dict(
            hints={'build_near_host_ip': ['10.0.200.1'],
                   'cidr': ['/255.255.0.0']},
            expected=['h1', 'h2'])),
        ('exact_host', dict(
            hints={'build_near_host_ip': ['10.0.1.7'], 'cidr': ['/32']},
            expected=['h2'])),
        ('every_ipv4_host', dict(
            hints={'build_near_host_ip': ['1.2.3.4'], 'cidr': ['/0']},
            expected=['h1', 'h2', 'h3'])),
        ('ipv6', dict(
            hints={'build_near_host_ip': ['2001:db8::1'], 'cidr': ['/64']},
            expected=['n1'])),
        ('ipv6_outside', dict(
            hints={'build_near_host_ip': ['2001:db9::1'], 'cidr': ['/64']},
            expected=[])),
        ('every_ipv6_host', dict(
            hints={'build_near_host_ip': ['::'], 'cidr': ['/0']},
            expected=['n1'])),
    ]

    def test_hint(self):
        request = self.request(scheduler_hints=self.hints)
        self.assert_filter(make_state(HOST_IPS), request, self.expected)

    def test_runs_once_per_request(self):
        self.assertTrue(self.filter_class.run_filter_once_per_request)


class TestSimpleCIDRAffinityFilterBadHint(testscenarios.WithScenarios,
                                          base.FilterTestCase):

    filter_class = affinity.SimpleCIDRAffinityFilter
    scenarios = [
        ('bad_ip', dict(hints={'build_near_host_ip': ['10.0.0.300']},
                        hint='build_near_host_ip')),
        ('two_ips', dict(
            hints={'build_near_host_ip': ['10.0.0.1', '10.0.0.2']},
            hint='build_near_host_ip')),
        ('prefix_too_long', dict(
            hints={'build_near_host_ip': ['10.0.0.1'], 'cidr': ['/33']},
            hint='cidr')),
        ('cidr_without_slash', dict(
            hints={'build_near_host_ip': ['10.0.0.1'], 'cidr': ['24']},
            hint='cidr')),
        ('cidr_not_a_number', dict(
            hints={'build_near_host_ip': ['10.0.0.1'], 'cidr': ['/abc']},
            hint='cidr')),
        ('ipv4_netmask_on_ipv6', dict(
            hints={'build_near_host_ip': ['2001:db8::1'],
                   'cidr': ['/255.255.0.0']},
            hint='cidr')),
    ]

    def test_raises_invalid_hint(self):
        state = make_state(HOST_IPS)
        request = self.request(scheduler_hints=self.hints)
        filter_obj = self.make_filter()
        for check in (lambda: filter_obj.filter_mask(state, request),
                      lambda: filter_obj.host_passes(state.view(0),
                                                     request)):
            e = self.assertRaises(exception.InvalidHint, check)
            self.assertEqual(self.hint, e.kwargs['hint'])
            self.assertIn(self.hint, str(e))


class TestSimpleCIDRAffinityFilterChanges(base.FilterTestCase):

    filter_class = affinity.SimpleCIDRAffinityFilter

    def test_follows_host_ip_changes_and_new_nodes(self):
        filter_obj = self.make_filter()
        state = make_state(HOST_IPS)
        request = self.request(
            scheduler_hints={'build_near_host_ip': ['10.0.0.1']})
        base.assert_filter(self, filter_obj, state, request, ['h1'])
        state.host_ip[rows(state, 'h3')[0]] = '10.0.0.9'
        state.host_ip[rows(state, 'h1')[0]] = None
        base.assert_filter(self, filter_obj, state, request, ['h3'])
        state.remove_node('uuid-h3')
        state.upsert_node('uuid-new', 'new', 'new', None,
                          base.test_hosts.NOW, {'host_ip': '10.0.0.77'})
        for i in range(5):
            state.upsert_node('uuid-more%d' % i, 'more%d' % i, 'more%d' % i,
                              None, base.test_hosts.NOW,
                              {'host_ip': '10.0.0.%d' % (100 + i)})
        base.assert_filter(self, filter_obj, state, request,
                           ['more0', 'more1', 'more2', 'more3', 'more4',
                            'new'])


def make_group(policy, members=(), hosts=(), rules=None):
    return objects.InstanceGroup(
        uuid=uuids.group, policy=policy, members=list(members),
        hosts=list(hosts), rules=rules or {})


class TestServerGroupAffinityFilter(testscenarios.WithScenarios,
                                    base.FilterTestCase):

    filter_class = affinity.ServerGroupAffinityFilter
    scenarios = [
        ('no_group', dict(group=None, picked=[], expected=ALL)),
        ('other_policy', dict(
            group=make_group('anti-affinity', hosts=['h1']), picked=[],
            expected=ALL)),
        ('soft_affinity_is_for_weighers', dict(
            group=make_group('soft-affinity', hosts=['h1']), picked=[],
            expected=ALL)),
        ('first_instance_of_the_group', dict(
            group=make_group('affinity'), picked=[], expected=ALL)),
        ('group_host', dict(
            group=make_group('affinity', hosts=['h2']), picked=[],
            expected=['h2'])),
        ('every_node_of_a_group_host', dict(
            group=make_group('affinity', hosts=['ironic']), picked=[],
            expected=['n1', 'n2'])),
        ('picked_earlier_in_this_request', dict(
            group=make_group('affinity'), picked=['h3'],
            expected=['h3'])),
        ('picked_node_brings_its_host', dict(
            group=make_group('affinity'), picked=['n2'],
            expected=['n1', 'n2'])),
        ('group_hosts_and_picked', dict(
            group=make_group('affinity', hosts=['h2']), picked=['h3'],
            expected=['h2', 'h3'])),
        ('group_host_unknown_here', dict(
            group=make_group('affinity', hosts=['gone']), picked=[],
            expected=[])),
    ]

    def test_group(self):
        state = make_state()
        request = self.request(instance_group=self.group,
                               picked_rows=rows(state, *self.picked))
        self.assert_filter(state, request, self.expected)

    def test_runs_for_every_instance(self):
        self.assertFalse(self.filter_class.run_filter_once_per_request)


MEMBERS = [uuids.m1, uuids.m2, uuids.m3, uuids.m4, uuids.not_here]


class TestServerGroupAntiAffinityFilter(testscenarios.WithScenarios,
                                        base.FilterTestCase):

    filter_class = affinity.ServerGroupAntiAffinityFilter
    scenarios = [
        ('no_group', dict(group=None, expected=ALL)),
        ('other_policy', dict(
            group=make_group('affinity', MEMBERS), expected=ALL)),
        ('soft_anti_affinity_is_for_weighers', dict(
            group=make_group('soft-anti-affinity', MEMBERS), expected=ALL)),
        ('group_without_members', dict(
            group=make_group('anti-affinity'), expected=ALL)),
        ('one_member_per_host', dict(
            group=make_group('anti-affinity', MEMBERS),
            expected=['h3', 'h4', 'n2'])),
        ('two_members_per_host', dict(
            group=make_group('anti-affinity', MEMBERS,
                             rules={'max_server_per_host': '2'}),
            expected=['h2', 'h3', 'h4', 'n1', 'n2'])),
        ('three_members_per_host', dict(
            group=make_group('anti-affinity', MEMBERS,
                             rules={'max_server_per_host': '3'}),
            expected=ALL)),
        ('non_members_do_not_count', dict(
            group=make_group('anti-affinity', [uuids.x1, uuids.x2, uuids.m3],
                             rules={'max_server_per_host': '2'}),
            expected=ALL)),
        ('bad_rule_means_one', dict(
            group=make_group('anti-affinity', MEMBERS,
                             rules={'max_server_per_host': 'two'}),
            expected=['h3', 'h4', 'n2'])),
        ('group_host_counts_as_one_member', dict(
            group=make_group('anti-affinity', hosts=['h4']),
            expected=['h1', 'h2', 'h3', 'n1', 'n2'])),
        ('group_host_of_two_nodes', dict(
            group=make_group('anti-affinity', hosts=['ironic']),
            expected=['h1', 'h2', 'h3', 'h4'])),
        ('group_host_below_the_rule', dict(
            group=make_group('anti-affinity', hosts=['h4'],
                             rules={'max_server_per_host': '2'}),
            expected=ALL)),
        ('group_host_is_not_counted_twice', dict(
            group=make_group('anti-affinity', MEMBERS, hosts=['h2'],
                             rules={'max_server_per_host': '2'}),
            expected=['h2', 'h3', 'h4', 'n1', 'n2'])),
        ('picked_earlier_in_this_request', dict(
            group=make_group('anti-affinity'), picked=['h4'],
            expected=['h1', 'h2', 'h3', 'n1', 'n2'])),
        ('picked_adds_to_members', dict(
            group=make_group('anti-affinity', MEMBERS,
                             rules={'max_server_per_host': '2'}),
            picked=['h2'], expected=['h3', 'h4', 'n1', 'n2'])),
        ('picked_twice', dict(
            group=make_group('anti-affinity',
                             rules={'max_server_per_host': '2'}),
            picked=['h4', 'h4'], expected=['h1', 'h2', 'h3', 'n1', 'n2'])),
        ('picked_twice_under_the_rule', dict(
            group=make_group('anti-affinity',
                             rules={'max_server_per_host': '3'}),
            picked=['h4', 'h4'], expected=ALL)),
        ('own_host_passes_for_a_move', dict(
            group=make_group('anti-affinity', MEMBERS),
            instance_uuid=uuids.m1, expected=['h1', 'h3', 'h4', 'n2'])),
        ('own_host_picked_in_this_request_does_not', dict(
            group=make_group('anti-affinity', MEMBERS),
            instance_uuid=uuids.m3, picked=['h2'],
            expected=['h3', 'h4', 'n2'])),
    ]
    picked = []
    instance_uuid = None

    def test_group(self):
        state = make_state()
        request = self.request(instance_group=self.group,
                               instance_uuid=self.instance_uuid,
                               picked_rows=rows(state, *self.picked))
        self.assert_filter(state, request, self.expected)

    def test_runs_for_every_instance(self):
        self.assertFalse(self.filter_class.run_filter_once_per_request)


class TestAffinityFiltersAgreement(testscenarios.WithScenarios,
                                   base.AgreementTestCase):

    scenarios = [
        (cls.__name__, dict(filter_class=cls)) for cls in (
            affinity.DifferentHostFilter, affinity.SameHostFilter,
            affinity.SimpleCIDRAffinityFilter,
            affinity.ServerGroupAffinityFilter,
            affinity.ServerGroupAntiAffinityFilter)]

    def random_requests(self, rng, state):
        instances = base.RANDOM_INSTANCES
        live = list(state.rows())
        for _ in range(6):
            named = rng.sample(instances, rng.randrange(4)) + [uuids.gone]
            yield self.request(scheduler_hints={
                'different_host': named, 'same_host': named})
        for address, cidr in (('10.0.0.1', '/24'), ('10.1.0.0', '/16'),
                              ('2001:db8::', '/112'), ('0.0.0.0', '/0')):
            yield self.request(scheduler_hints={
                'build_near_host_ip': [address], 'cidr': [cidr]})
        hosts = sorted(state.host_rows) + ['gone']
        for policy in ('affinity', 'anti-affinity'):
            for _ in range(6):
                group = make_group(
                    policy, members=rng.sample(instances, 20),
                    hosts=rng.sample(hosts, rng.randrange(3)),
                    rules={'max_server_per_host': rng.choice('1123')})
                picked = [rng.choice(live) for _ in range(rng.randrange(3))]
                yield self.request(
                    instance_group=group, picked_rows=picked,
                    instance_uuid=rng.choice(instances))
