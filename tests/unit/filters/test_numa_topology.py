"""NUMATopologyFilter and PciPassthroughFilter over a small HostState:
the vectorised masks (cheap columns, then the exact fit) keep exactly the
hosts the per-host path keeps."""

import random

from gantt.bench import numa_cases
from gantt.filters import numa_topology
from gantt.filters import pci_passthrough
from gantt import numa_fit
from gantt import objects
from gantt import pci_pools
from tests.unit.filters import base
from tests.unit import hosts as test_hosts
from tests.unit import test_numa_fit as cases

ALIASES = {'pci': {'alias': numa_cases.ALIASES}}


def host(name, cells=(), devices=(), **extra):
    return dict({'name': name, 'vcpus': 64, 'ram': 131072,
                 'numa_cells': numa_fit.host_cells_from_dicts(cells),
                 'pci_pools': pci_pools.pools(devices)}, **extra)


def state():
    return test_hosts.make_state([
        host('plain'),
        host('shared', [cases.cell(0, shared=range(8))]),
        host('pinned', [cases.cell(0, dedicated=range(4)),
                        cases.cell(1, dedicated=range(4, 8))]),
        host('busy', [cases.cell(0, dedicated=range(4), pinned=range(3))]),
        host('smt', [cases.cell(0, dedicated=range(8), threads=2)],
             [cases.vf('0000:81:00.1', 0), cases.vf('0000:81:00.2', 0)]),
        host('nic_far', [cases.cell(0, dedicated=range(4)),
                         cases.cell(1, shared=range(4, 8))],
             [cases.vf('0000:81:00.1', 1)]),
    ])


def flavor(vcpus=2, memory_mb=2048, **specs):
    return base.make_flavor(vcpus=vcpus, memory_mb=memory_mb, extra_specs={
        k.replace('__', ':'): v for k, v in specs.items()})


class TestNUMATopologyFilter(base.FilterTestCase):

    filter_class = numa_topology.NUMATopologyFilter
    conf_overrides = ALIASES

    def test_passes_every_host_when_no_topology_is_asked(self):
        self.assert_filter(state(), self.request(flavor=flavor()),
                           ['plain', 'shared', 'pinned', 'busy', 'smt',
                            'nic_far'])

    def test_keeps_hosts_with_free_pcpus_for_a_pinned_guest(self):
        self.assert_filter(state(), self.request(
            flavor=flavor(hw__cpu_policy='dedicated')),
            ['pinned', 'smt', 'nic_far'])

    def test_require_keeps_only_hosts_with_threads(self):
        self.assert_filter(state(), self.request(
            flavor=flavor(hw__cpu_policy='dedicated',
                          hw__cpu_thread_policy='require')), ['smt'])

    def test_two_pinned_guest_nodes_need_two_cells_with_pcpus(self):
        self.assert_filter(state(), self.request(
            flavor=flavor(hw__cpu_policy='dedicated', hw__numa_nodes='2')),
            ['pinned'])

    def test_required_device_affinity(self):
        self.assert_filter(state(), self.request(
            flavor=flavor(hw__cpu_policy='dedicated',
                          pci_passthrough__alias='nic:1',
                          hw__pci_numa_affinity_policy='required')),
            ['smt'])

    def test_agrees_with_the_exact_fit_on_random_hosts(self):
        rng = random.Random(5)
        hosts = []
        for i in range(60):
            h = numa_cases.random_host(rng, i)
            cells, pools = numa_cases.host_values(h)
            hosts.append(dict(host(h['name']), numa_cells=cells,
                              pci_pools=pools, cpu_ratio=h['cpu_ratio'],
                              ram_ratio=h['ram_ratio'], h=h))
        st = test_hosts.make_state(hosts)
        f = self.make_filter()
        for _ in range(40):
            req = dict(numa_cases.random_request(rng), image_props={})
            c = numa_cases.constraints(req)
            if isinstance(c, Exception):
                continue
            request = self.request(flavor=base.make_flavor(
                vcpus=req['vcpus'], memory_mb=req['memory_mb'],
                extra_specs=req['extra_specs']))
            mask = base.assert_agree(self, f, st, request)
            for row in st.rows():
                h = hosts[row]['h']
                expected = c.topology is None or numa_fit.fit(
                    hosts[row]['numa_cells'], c.topology, h['cpu_ratio'],
                    h['ram_ratio'], hosts[row]['pci_pools'],
                    c.pci) is not None
                self.assertEqual(expected, bool(mask[row]), (req, h))


class TestPciPassthroughFilter(base.FilterTestCase):

    filter_class = pci_passthrough.PciPassthroughFilter
    conf_overrides = ALIASES

    def test_passes_every_host_when_no_device_is_asked(self):
        self.assert_filter(state(), self.request(flavor=flavor()),
                           ['plain', 'shared', 'pinned', 'busy', 'smt',
                            'nic_far'])

    def test_keeps_hosts_with_enough_matching_devices(self):
        self.assert_filter(state(), self.request(
            flavor=flavor(pci_passthrough__alias='nic:1')),
            ['smt', 'nic_far'])
        self.assert_filter(state(), self.request(
            flavor=flavor(pci_passthrough__alias='nic:2')), ['smt'])

    def test_two_aliases_each_need_their_devices(self):
        self.assert_filter(state(), self.request(
            flavor=flavor(pci_passthrough__alias='nic:1,gpu:1')), [])

    def test_a_report_changing_the_devices_is_seen(self):
        st = state()
        request = self.request(flavor=flavor(pci_passthrough__alias='nic:1'))
        self.assert_filter(st, request, ['smt', 'nic_far'])
        row = st.host_rows['nic_far'][0]
        objects.register_all()
        st.upsert_node(st.uuids[row], 'nic_far', 'nic_far', None, 0.0,
                       {'numa_cells': st.numa_cells[row], 'pci_pools': ()})
        self.assert_filter(st, request, ['smt'])


class TestFittedPlacement(base.FilterTestCase):

    filter_class = numa_topology.NUMATopologyFilter
    conf_overrides = ALIASES

    def test_the_filter_keeps_each_kept_hosts_placement_for_the_claim(self):
        st = state()
        request = self.request(flavor=flavor(hw__cpu_policy='dedicated'))
        mask = self.make_filter().filter_mask(st, request)
        kept = request.placing.numa_fitted
        self.assertEqual(sorted(int(r) for r in mask.nonzero()[0]),
                         sorted(kept))
        row = st.host_rows['busy'][0]
        self.assertNotIn(row, kept)
        pinned = kept[st.host_rows['pinned'][0]]
        self.assertEqual(2, len(pinned.cells[0].pinning))
