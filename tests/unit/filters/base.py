"""Shared helpers of the filter tests: requests, and the two-path check.

Every filter test goes through assert_filter(), which checks the vectorised
mask against the expected hosts and the per-host reference path against the
mask, row by row.
"""

import random
import uuid

import fixtures
import testtools

from gantt import objects
from gantt import request as gantt_request
from tests.unit.filters import conf_fixture
from tests.unit import hosts as test_hosts

objects.register_all()


def make_flavor(memory_mb=0, vcpus=0, root_gb=0, ephemeral_gb=0, swap=0,
                extra_specs=None):
    return objects.Flavor(memory_mb=memory_mb, vcpus=vcpus, root_gb=root_gb,
                          ephemeral_gb=ephemeral_gb, swap=swap,
                          extra_specs=extra_specs or {})


def make_request(conf, picked_rows=(), now=test_hosts.NOW, **spec_fields):
    """A Request over a RequestSpec built from `spec_fields`."""
    spec = objects.RequestSpec(**spec_fields)
    request = gantt_request.from_spec(spec, conf, now)
    request.placing.picked_rows = list(picked_rows)
    return request


class FilterTestCase(testtools.TestCase):
    """A test of one filter class, `filter_class`."""

    filter_class = None
    #: Overrides of the conf, {group: {option: value}}.
    conf_overrides = {}

    def setUp(self):
        super().setUp()
        self.logs = self.useFixture(fixtures.FakeLogger())
        self.conf = conf_fixture.make_conf(**self.conf_overrides)

    def make_filter(self):
        return self.filter_class(self.conf)

    def request(self, **kwargs):
        return make_request(self.conf, **kwargs)

    def assert_filter(self, state, request, expected, filter_obj=None):
        assert_filter(self, filter_obj or self.make_filter(), state,
                      request, expected)


def assert_agree(test, filter_obj, state, request):
    """host_passes() agrees with filter_mask() on every live row.

    Returns the mask, after checking its shape and type.
    """
    mask = filter_obj.filter_mask(state, request)
    test.assertEqual((state.n,), mask.shape)
    test.assertEqual('bool', mask.dtype.name)
    for row in state.rows():
        test.assertEqual(
            bool(mask[row]),
            filter_obj.host_passes(state.view(row), request),
            'filter_mask and host_passes disagree on %s'
            % state.view(row))
    return mask


def assert_filter(test, filter_obj, state, request, expected):
    """The mask keeps exactly the nodes named in `expected`.

    Also checks, through assert_agree(), that host_passes() agrees with the
    mask on every live row.
    """
    mask = assert_agree(test, filter_obj, state, request)
    passed = sorted(state.nodenames[row] for row in state.rows()
                    if mask[row])
    test.assertEqual(sorted(expected), passed)


#: Instance uuids random_state() spreads over its hosts.
RANDOM_INSTANCES = [str(uuid.UUID(int=i + 1)) for i in range(60)]


def random_state(seed, size=30):
    """A HostState of `size` nodes with varied, reproducible figures.

    Some service hosts have two nodes, a few nodes are removed again (their
    rows stay, invalid), and aggregates carry zones and good and bad
    limits, so agreement tests cover the awkward rows too.
    """
    rng = random.Random(seed)
    ips = ['10.0.0.%d' % rng.randrange(256), '10.1.%d.7' % rng.randrange(4),
           '2001:db8::%x' % rng.randrange(4096), None, 'junk']
    nodes = []
    for i in range(size):
        host = 'h%d' % (i // 2 if i % 3 == 0 else i)
        nodes.append({
            'name': host, 'node': 'n%d' % i, 'uuid': 'uuid-n%d' % i,
            'age': rng.choice([0, 30, 59, 60, 61, 600, -5]),
            'disabled': rng.random() < 0.2,
            'forced_down': rng.random() < 0.1,
            'ram': rng.choice([0, 1024, 4096, 1001]),
            'ram_used': rng.choice([0, 512, 1024, 5000]),
            'ram_reserved': rng.choice([0, 256]),
            'ram_ratio': rng.choice([1.0, 1.5, 0.5]),
            'vcpus': rng.choice([1, 4, 3]),
            'vcpus_used': rng.choice([0, 2, 8, 70]),
            'vcpus_reserved': rng.choice([0, 1]),
            'cpu_ratio': rng.choice([1.0, 16.0, 1.5]),
            'disk': rng.choice([10, 100]),
            'disk_used': rng.choice([0, 10, 95]),
            'disk_ratio': rng.choice([1.0, 2.0]),
            'num_io_ops': rng.randrange(12),
            'num_instances': rng.randrange(60),
            'host_ip': rng.choice(ips),
            'metrics': {name: rng.random() for name in
                        ('cpu.frequency', 'cpu.percent')
                        if rng.random() < 0.7},
        })
        if rng.random() < 0.2:
            del nodes[-1]['ram']
    names = sorted({node['name'] for node in nodes})
    aggregates = []
    for i in range(6):
        metadata = {}
        if rng.random() < 0.5:
            metadata['availability_zone'] = rng.choice(
                ['az1', 'az2', 'az1,az3'])
        for key in ('max_io_ops_per_host', 'max_instances_per_host'):
            if rng.random() < 0.5:
                metadata[key] = rng.choice(['2', '5', '40', 'bad', ''])
        aggregates.append({'name': 'agg%d' % i, 'metadata': metadata,
                           'hosts': rng.sample(names, len(names) // 3)})
    instances = [(inst, rng.choice(names)) for inst in RANDOM_INSTANCES]
    state = test_hosts.make_state(nodes, aggregates, instances)
    for node in rng.sample(nodes, 3):
        state.remove_node(node['uuid'])
    return state


class AgreementTestCase(FilterTestCase):
    """filter_mask() and host_passes() agree on random states and requests.

    Subclasses yield requests from random_requests(rng, state); each test
    module covers its filter classes with one such case.
    """

    seeds = range(12)

    def random_requests(self, rng, state):
        yield self.request()

    def test_agrees_on_random_hosts(self):
        filter_obj = self.make_filter()
        for seed in self.seeds:
            rng = random.Random(seed)
            state = random_state(seed)
            for request in self.random_requests(rng, state):
                assert_agree(self, filter_obj, state, request)
