"""The vectorised path and the per-host reference path decide alike.

Random HostStates (fixed seeds, thousands of rows with down and disabled
hosts, aggregates with zones and metadata, server groups, metrics) and
random requests go through every built-in filter's filter_mask() and
host_passes(), and through the scheduler's weighing and the handler's
weigh_reference() over HostViews: the survivors and the ranking must be
identical.
"""

import json
import random
import uuid as uuid_lib

import numpy as np
import testscenarios
import testtools

from gantt import conf as gantt_conf
from gantt import objects
from gantt import plugins
from gantt import ranking
from gantt import request as gantt_request
from gantt.weighers import handler
from tests.unit import hosts as test_hosts

objects.register_all()

CONF_OVERRIDES = {
    None: {'service_down_time': 60},
    'filter_scheduler': {
        'isolated_hosts': ['compute00003', 'compute00007'],
        'isolated_images': ['11111111-1111-4111-8111-000000000001'],
        'num_instances_weight_multiplier': 1.5,
        'image_props_weight_multiplier': 2.0,
        'image_props_weight_setting': ['os_distro=1.0',
                                       'hw_architecture=2.0'],
        'max_io_ops_per_host': 6,
        'max_instances_per_host': 30,
        'aggregate_image_properties_isolation_namespace': '',
    },
    'metrics': {'weight_setting': ['cpu.percent=-1.0', 'mem.free=0.5'],
                'required': False},
}
CELLS = [None, '22222222-2222-4222-8222-000000000001',
         '22222222-2222-4222-8222-000000000002']
DISTROS = ['ubuntu', 'rhel', 'debian']
FLAVOR_NAMES = ['m1.small', 'm1.large', 'c1.big']


def _uuid(rng):
    return str(uuid_lib.UUID(int=rng.getrandbits(128), version=4))


def random_cloud(seed, n_hosts):
    """(host dicts, aggregates, instances) for tests/unit/hosts.make_state."""
    rng = random.Random(seed)
    hosts, instances = [], []
    for i in range(n_hosts):
        name = 'compute%05d' % i
        ram = rng.choice((2048, 8192, 65536, 262144))
        vcpus = rng.choice((2, 8, 32, 64))
        disk = rng.choice((20, 200, 2000))
        h = {'name': name, 'uuid': _uuid(rng), 'cell': rng.choice(CELLS),
             'ram': ram, 'ram_used': rng.randrange(0, ram, 512),
             'ram_reserved': rng.choice((0, 512)),
             'ram_ratio': rng.choice((1.0, 1.5)),
             'vcpus': vcpus, 'vcpus_used': rng.randrange(0, vcpus * 2),
             'cpu_ratio': rng.choice((1.0, 4.0, 16.0)),
             'disk': disk, 'disk_used': rng.randrange(0, disk),
             'age': 600 if rng.random() < 0.05 else rng.random() * 30,
             'disabled': rng.random() < 0.05,
             'forced_down': rng.random() < 0.01,
             'num_io_ops': rng.randrange(0, 10),
             'num_instances': rng.randrange(0, 40),
             'failed_builds': rng.choice((0,) * 20 + (1, 3)),
             'hypervisor_type': rng.choice(('QEMU', 'QEMU', 'ironic')),
             'hypervisor_version': rng.choice((6002000, 7002000, 8002000)),
             'supported_instances': [
                 (rng.choice(('x86_64', 'aarch64')),
                  rng.choice(('kvm', 'qemu')), 'hvm')],
             'host_ip': '10.%d.%d.%d' % (i >> 12, (i >> 4) & 255,
                                         (i & 15) * 16 + 1)}
        if rng.random() < 0.8:
            h['metrics'] = {'cpu.percent': round(rng.random() * 100, 1)}
            if rng.random() < 0.8:
                h['metrics']['mem.free'] = float(rng.randrange(0, ram))
        if rng.random() < 0.3:
            h['extra_stats'] = {'image_props': json.dumps({
                'os_distro': {rng.choice(DISTROS): rng.randrange(1, 5)},
                'hw_architecture': {'x86_64': rng.randrange(0, 3)}})}
        hosts.append(h)
        for _ in range(rng.choice((0, 0, 1, 2))):
            instances.append((_uuid(rng), name))
    names = [h['name'] for h in hosts]
    aggregates = []
    for z in range(3):
        aggregates.append({'name': 'az%d' % z, 'uuid': _uuid(rng),
                           'hosts': [n for k, n in enumerate(names)
                                     if k % 4 == z],
                           'metadata': {'availability_zone': 'az%d' % z}})
    metadata_choices = [
        {'ssd': 'true'}, {'ssd': 'false'}, {'gpu': '2'},
        {'filter_tenant_id': 'p1,p2'},
        {'instance_type_name': 'm1.small,c1.big'},
        {'max_io_ops_per_host': '3'}, {'max_instances_per_host': '10'},
        {'os_distro': 'ubuntu'}, {'hw_architecture': 'x86_64'},
        {'ram_weight_multiplier': '3.0'}, {'cpu_weight_multiplier': '-1.0'},
        {'io_ops_weight_multiplier': '2.0'},
        {'metrics_weight_multiplier': '0.5'},
        {'build_failure_weight_multiplier': '10.0'},
        {'soft_affinity_weight_multiplier': '5.0'},
    ]
    for a in range(n_hosts // 40):
        metadata = dict(rng.choice(metadata_choices))
        if rng.random() < 0.3:
            metadata.update(rng.choice(metadata_choices))
        aggregates.append({'name': 'agg%d' % a, 'uuid': _uuid(rng),
                           'hosts': rng.sample(names, rng.randrange(3, 60)),
                           'metadata': metadata})
    return hosts, aggregates, instances


def random_request(rng, conf, state, instances):
    """A Request with a random mix of everything filters read."""
    extra_specs = {}
    for key, value in (('capabilities:hypervisor_type', 'QEMU'),
                       ('aggregate_instance_extra_specs:ssd', 'true'),
                       ('gpu', '<in> 2'),
                       ('capabilities:vcpus_total', '>= 8')):
        if rng.random() < 0.15:
            extra_specs[key] = value
    flavor = objects.Flavor(
        name=rng.choice(FLAVOR_NAMES), memory_mb=rng.choice((512, 4096,
                                                             32768)),
        vcpus=rng.choice((1, 4, 16)), root_gb=rng.choice((0, 10, 100)),
        extra_specs=extra_specs)
    props = objects.ImageMetaProps()
    if rng.random() < 0.4:
        props.hw_architecture = rng.choice(('x86_64', 'aarch64'))
    if rng.random() < 0.2:
        props.img_hv_type = rng.choice(('kvm', 'qemu'))
    if rng.random() < 0.2:
        props.img_hv_requested_version = rng.choice(('>=7.0', '<8.0'))
    if rng.random() < 0.4:
        props.os_distro = rng.choice(DISTROS)
    image_id = rng.choice(('11111111-1111-4111-8111-000000000001',
                           '11111111-1111-4111-8111-000000000002'))
    hints = {}
    uuids = [u for u, _ in instances]
    if rng.random() < 0.2:
        hints['different_host'] = rng.sample(uuids, 3)
    if rng.random() < 0.2:
        hints['same_host'] = rng.sample(uuids, 2)
    if rng.random() < 0.2:
        row = rng.choice(list(state.rows()))
        hints['build_near_host_ip'] = [state.host_ip[row]]
        hints['cidr'] = [rng.choice(('/24', '/16'))]
    if rng.random() < 0.2:
        hints['query'] = [json.dumps(
            ['and', ['>=', '$free_ram_mb', rng.choice((1024, 60000))],
             ['<', '$num_io_ops', rng.randrange(3, 9)]])]
    spec = objects.RequestSpec(
        instance_uuid=rng.choice(uuids + [_uuid(rng)] * 3),
        project_id=rng.choice(('p1', 'p3')), flavor=flavor,
        image=objects.ImageMeta(id=image_id, properties=props),
        availability_zone=rng.choice((None, 'az0', 'az1', 'nova')),
        scheduler_hints=hints)
    if rng.random() < 0.5:
        members = rng.sample(uuids, rng.randrange(1, 6))
        spec.instance_group = objects.InstanceGroup(
            policy=rng.choice(('affinity', 'anti-affinity', 'soft-affinity',
                               'soft-anti-affinity')),
            members=members,
            hosts=sorted({h for u, h in instances if u in members}),
            rules=rng.choice(({}, {'max_server_per_host': '2'})))
    if rng.random() < 0.2:
        spec.requested_destination = objects.Destination(
            cell_uuid=rng.choice(CELLS[1:]), allow_cross_cell_move=True)
    request = gantt_request.from_spec(spec, conf, test_hosts.NOW)
    request.placing.picked_rows = [int(r) for r in rng.sample(
        list(state.rows()), rng.choice((0, 0, 1, 2)))]
    return request


class TestDifferential(testscenarios.WithScenarios, testtools.TestCase):

    scenarios = [('seed%d' % seed, {'seed': seed, 'n_hosts': n})
                 for seed, n in ((1, 2500), (2, 3000), (3, 2000))]
    requests_per_state = 8

    def setUp(self):
        super().setUp()
        self.conf = gantt_conf.build_conf([])
        for group, values in CONF_OVERRIDES.items():
            for name, value in values.items():
                self.conf.set_override(name, value, group=group)
        hosts, aggregates, self.instances = random_cloud(self.seed,
                                                         self.n_hosts)
        self.state = test_hosts.make_state(hosts, aggregates, self.instances)
        self.rng = random.Random(self.seed * 1000)
        self.filters = self._all('gantt.filters')
        self.weighers = self._all('gantt.weighers')

    def _all(self, namespace):
        names = plugins.available(namespace)
        loader = plugins.load_filters if namespace == 'gantt.filters' else (
            plugins.load_weighers)
        group = 'filter_scheduler'
        option = ('enabled_filters' if namespace == 'gantt.filters'
                  else 'enabled_weighers')
        self.conf.set_override(option, names, group=group)
        return loader(self.conf)

    def requests(self, count=None):
        for _ in range(count or self.requests_per_state):
            yield random_request(self.rng, self.conf, self.state,
                                 self.instances)

    def reference_survivors(self, filter_obj, rows, request):
        return [r for r in rows
                if filter_obj.host_passes(self.state.view(r), request)]

    def test_every_filter_keeps_the_same_hosts(self):
        state = self.state
        live = list(state.rows())
        removed_any = set()
        for request in self.requests():
            for f in self.filters:
                mask = f.filter_mask(state, request)
                vector = [int(r) for r in np.flatnonzero(
                    mask & state.valid[:state.n])]
                reference = self.reference_survivors(f, live, request)
                self.assertEqual(reference, vector,
                                 '%s disagrees (seed %d)' % (f.name,
                                                             self.seed))
                if len(vector) < len(live):
                    removed_any.add(f.name)
        # The random requests exercise most filters for real.
        self.assertGreater(len(removed_any), len(self.filters) // 2,
                           sorted(removed_any))

    def test_whole_pipeline_keeps_the_same_hosts(self):
        state = self.state
        for request in self.requests():
            mask = state.valid[:state.n].copy()
            rows = list(state.rows())
            for f in self.filters:
                mask &= f.filter_mask(state, request)
                rows = self.reference_survivors(f, rows, request)
            self.assertEqual(rows, [int(r) for r in np.flatnonzero(mask)])

    def assert_same_ranking(self, weighers, rows, request, label):
        views = [self.state.view(r) for r in rows]
        ref_rows, ref_totals = handler.weigh_reference(weighers, views,
                                                       request)
        totals = handler.totals(weighers, self.state, np.asarray(rows),
                                request)
        order = ranking.best_first(totals, len(totals))
        self.assertEqual(ref_rows, [int(rows[i]) for i in order], label)
        np.testing.assert_array_equal(np.asarray(ref_totals),
                                      totals[order], label)
        vec_rows, vec_totals = handler.weigh(weighers, self.state, rows,
                                             request)
        self.assertEqual(ref_rows, [int(r) for r in vec_rows], label)
        # A partial sort keeps the same head as the full one.
        for k in (1, 5, 64):
            head = ranking.best_first(totals, k)
            self.assertEqual([int(rows[i]) for i in order[:len(head)]],
                             [int(rows[i]) for i in head], label)

    def test_every_weigher_ranks_alike(self):
        live = [int(r) for r in self.state.rows()]
        for request in self.requests(3):
            rows = sorted(self.rng.sample(live, len(live) // 2))
            for w in self.weighers:
                self.assert_same_ranking([w], rows, request, w.name)
            self.assert_same_ranking(self.weighers, rows, request, 'all')

    def test_survivors_rank_alike_with_all_weighers(self):
        state = self.state
        for request in self.requests():
            mask = state.valid[:state.n].copy()
            for f in self.filters[:4]:
                mask &= f.filter_mask(state, request)
            rows = [int(r) for r in np.flatnonzero(mask)]
            if rows:
                self.assert_same_ranking(self.weighers, rows, request,
                                         'survivors')
