"""Reading the NUMA, pinning, page and PCI asks of a flavor and an image;
contradictions are refused naming the keys."""

import testscenarios
import testtools

from gantt import exception
from gantt import numa_request as nr
from gantt import request as rq

load_tests = testscenarios.load_tests_apply_scenarios

NIC = ('{"name": "nic", "vendor_id": "8086", "product_id": "154c", '
       '"device_type": "type-VF"}')
GPU = ('{"name": "gpu", "vendor_id": "10de", "product_id": "1eb8", '
       '"numa_policy": "required"}')


def flavor(vcpus=4, memory_mb=4096, **specs):
    return rq.Flavor('f', 'f', vcpus, memory_mb, 10, 0, 0,
                     {k.replace('__', ':').replace('_dot_', '.'): v
                      for k, v in specs.items()})


def image(**props):
    typed = {k: v for k, v in props.items() if k in rq._TYPED_PROPS}
    return rq.ImageProps(typed, {k: v for k, v in props.items()
                                 if k not in typed})


def read(f, props=None, aliases=(NIC, GPU)):
    return nr.constraints(f, props, aliases)


class TestTopology(testtools.TestCase):

    def test_plain_flavor_asks_nothing(self):
        self.assertIs(nr.NONE, read(flavor()))

    def test_dedicated_pins_every_vcpu_on_one_node(self):
        topo = read(flavor(hw__cpu_policy='dedicated')).topology
        self.assertEqual(1, len(topo.cells))
        self.assertEqual(frozenset(range(4)), topo.cells[0].pcpuset)
        self.assertEqual(frozenset(), topo.cells[0].cpuset)
        self.assertTrue(topo.pinned)

    def test_nodes_split_cpus_and_memory_evenly(self):
        topo = read(flavor(hw__numa_nodes='2')).topology
        self.assertEqual([frozenset({0, 1}), frozenset({2, 3})],
                         [c.cpuset for c in topo.cells])
        self.assertEqual([2048, 2048], [c.memory for c in topo.cells])

    def test_manual_nodes_take_the_given_cpus_and_memory(self):
        topo = read(flavor(**{'hw__numa_nodes': '2',
                              'hw__numa_cpus_dot_0': '0',
                              'hw__numa_cpus_dot_1': '1-3',
                              'hw__numa_mem_dot_0': '1024',
                              'hw__numa_mem_dot_1': '3072'})).topology
        self.assertEqual([frozenset({0}), frozenset({1, 2, 3})],
                         [c.cpuset for c in topo.cells])
        self.assertEqual([1024, 3072], [c.memory for c in topo.cells])

    def test_mixed_splits_by_the_dedicated_mask(self):
        topo = read(flavor(hw__cpu_policy='mixed',
                           hw__cpu_dedicated_mask='^0')).topology
        self.assertEqual(frozenset({0}), topo.cells[0].cpuset)
        self.assertEqual(frozenset({1, 2, 3}), topo.cells[0].pcpuset)

    def test_resources_pcpu_means_dedicated(self):
        topo = read(flavor(resources__PCPU='4')).topology
        self.assertEqual('dedicated', topo.cpu_policy)

    def test_other_pcpu_counts_are_plain_resources(self):
        self.assertIs(nr.NONE, read(flavor(resources__PCPU='3')))

    def test_page_size_words_and_sizes(self):
        for text, size in (('large', nr.PAGES_LARGE), ('small', -1),
                           ('any', -3), ('2048', 2048), ('1GB', 1048576)):
            topo = read(flavor(hw__mem_page_size=text)).topology
            self.assertEqual(size, topo.pagesize, text)

    def test_image_may_pick_a_size_when_the_flavor_allows_large(self):
        topo = read(flavor(hw__mem_page_size='large'),
                    image(hw_mem_page_size='1GB')).topology
        self.assertEqual(1048576, topo.pagesize)

    def test_image_may_ask_dedicated_when_the_flavor_says_nothing(self):
        topo = read(flavor(), image(hw_cpu_policy='dedicated',
                                    hw_cpu_thread_policy='isolate')).topology
        self.assertEqual(('dedicated', 'isolate'),
                         (topo.cpu_policy, topo.thread_policy))

    def test_hyperthreading_trait_forbidden_means_isolate(self):
        topo = read(flavor(hw__cpu_policy='dedicated',
                           trait__HW_CPU_HYPERTHREADING='forbidden')).topology
        self.assertEqual('isolate', topo.thread_policy)


class TestPci(testtools.TestCase):

    def test_alias_counts_become_requests(self):
        pci = read(flavor(pci_passthrough__alias='nic:2, gpu:1')).pci
        self.assertEqual([('nic', 2, 'legacy'), ('gpu', 1, 'required')],
                         [(r.alias_name, r.count, r.numa_policy)
                          for r in pci])
        self.assertEqual('type-VF', pci[0].specs[0]['dev_type'])

    def test_flavor_affinity_policy_overrides_the_alias(self):
        pci = read(flavor(pci_passthrough__alias='gpu:1',
                          hw__pci_numa_affinity_policy='preferred')).pci
        self.assertEqual('preferred', pci[0].numa_policy)

    def test_devices_alone_ask_no_topology(self):
        got = read(flavor(pci_passthrough__alias='nic:1'))
        self.assertIsNone(got.topology)

    def test_aliases_with_one_name_match_either_spec(self):
        other = NIC.replace('154c', '1889')
        pci = read(flavor(pci_passthrough__alias='nic:1'),
                   aliases=(NIC, other)).pci
        self.assertEqual(['154c', '1889'],
                         [s['product_id'] for s in pci[0].specs])


class TestRefused(testtools.TestCase):

    scenarios = [
        ('image_dedicated_against_flavor_shared',
         dict(f=flavor(hw__cpu_policy='shared'),
              props=image(hw_cpu_policy='dedicated'),
              keys=('hw_cpu_policy', 'hw:cpu_policy'))),
        ('unknown_cpu_policy',
         dict(f=flavor(hw__cpu_policy='pinned'), props=None,
              keys=('hw:cpu_policy',))),
        ('thread_policy_without_pinning',
         dict(f=flavor(hw__cpu_thread_policy='isolate'), props=None,
              keys=('hw:cpu_thread_policy',))),
        ('image_thread_policy_against_flavor',
         dict(f=flavor(hw__cpu_policy='dedicated',
                       hw__cpu_thread_policy='require'),
              props=image(hw_cpu_thread_policy='isolate'),
              keys=('hw_cpu_thread_policy', 'hw:cpu_thread_policy'))),
        ('isolated_emulator_without_pinning',
         dict(f=flavor(hw__emulator_threads_policy='isolate'), props=None,
              keys=('hw:emulator_threads_policy',))),
        ('mask_beyond_the_vcpus',
         dict(f=flavor(hw__cpu_policy='mixed',
                       hw__cpu_dedicated_mask='1-7'), props=None,
              keys=('hw:cpu_dedicated_mask',))),
        ('mask_dedicating_every_vcpu',
         dict(f=flavor(hw__cpu_policy='mixed',
                       hw__cpu_dedicated_mask='0-3'), props=None,
              keys=('hw:cpu_dedicated_mask',))),
        ('mask_with_dedicated_policy',
         dict(f=flavor(hw__cpu_policy='dedicated',
                       hw__cpu_dedicated_mask='0'), props=None,
              keys=('hw:cpu_dedicated_mask',))),
        ('mixed_without_mask',
         dict(f=flavor(hw__cpu_policy='mixed'), props=None,
              keys=('hw:cpu_policy=mixed',))),
        ('pcpu_and_policy',
         dict(f=flavor(hw__cpu_policy='dedicated', resources__PCPU='4'),
              props=None, keys=('resources:PCPU', 'hw:cpu_policy'))),
        ('nodes_not_dividing',
         dict(f=flavor(vcpus=3, hw__numa_nodes='2'), props=None,
              keys=('hw:numa_nodes',))),
        ('nodes_in_both',
         dict(f=flavor(hw__numa_nodes='2'), props=image(hw_numa_nodes='2'),
              keys=('hw_numa_nodes', 'hw:numa_nodes'))),
        ('numa_mem_not_adding_up',
         dict(f=flavor(**{'hw__numa_nodes': '2', 'hw__numa_cpus_dot_0': '0',
                          'hw__numa_cpus_dot_1': '1-3',
                          'hw__numa_mem_dot_0': '1024',
                          'hw__numa_mem_dot_1': '1024'}), props=None,
              keys=('hw:numa_mem.N',))),
        ('vcpu_on_two_nodes',
         dict(f=flavor(**{'hw__numa_nodes': '2',
                          'hw__numa_cpus_dot_0': '0-1',
                          'hw__numa_cpus_dot_1': '1-3',
                          'hw__numa_mem_dot_0': '2048',
                          'hw__numa_mem_dot_1': '2048'}), props=None,
              keys=('hw:numa_cpus.1',))),
        ('image_page_size_without_flavor',
         dict(f=flavor(), props=image(hw_mem_page_size='2048'),
              keys=('hw_mem_page_size',))),
        ('image_page_size_against_flavor_small',
         dict(f=flavor(hw__mem_page_size='small'),
              props=image(hw_mem_page_size='2048'),
              keys=('hw_mem_page_size', 'hw:mem_page_size'))),
        ('bad_page_size',
         dict(f=flavor(hw__mem_page_size='huge'), props=None,
              keys=('hw:mem_page_size',))),
        ('unknown_alias',
         dict(f=flavor(pci_passthrough__alias='fpga:1'), props=None,
              keys=('pci_passthrough:alias', 'fpga'))),
        ('alias_without_count',
         dict(f=flavor(pci_passthrough__alias='nic'), props=None,
              keys=('pci_passthrough:alias',))),
        ('affinity_policies_differ',
         dict(f=flavor(pci_passthrough__alias='nic:1',
                       hw__pci_numa_affinity_policy='required'),
              props=image(hw_pci_numa_affinity_policy='legacy'),
              keys=('hw_pci_numa_affinity_policy',
                    'hw:pci_numa_affinity_policy'))),
    ]

    def test_refuses_naming_the_keys(self):
        exc = self.assertRaises(exception.InvalidRequest, read, self.f,
                                self.props)
        for key in self.keys:
            self.assertIn(key, str(exc))


class TestAliasConfig(testtools.TestCase):

    def test_rejects_an_alias_without_ids(self):
        exc = self.assertRaises(exception.InvalidRequest, nr.parse_aliases,
                                ['{"name": "x", "vendor_id": "8086"}'])
        self.assertIn('[pci] alias x', str(exc))

    def test_rejects_same_name_with_other_policy(self):
        other = GPU.replace('required', 'legacy')
        exc = self.assertRaises(exception.InvalidRequest, nr.parse_aliases,
                                [GPU, other])
        self.assertIn('numa_policy', str(exc))


class TestFromSpec(testtools.TestCase):

    def test_request_carries_constraints_with_conf_aliases(self):
        from gantt import conf as gantt_conf
        from gantt import objects
        objects.register_all()
        conf = gantt_conf.build_conf()
        conf.set_override('alias', [NIC], group='pci')
        spec = objects.RequestSpec(flavor=objects.Flavor(
            vcpus=2, memory_mb=1024, root_gb=1, ephemeral_gb=0, swap=0,
            extra_specs={'hw:cpu_policy': 'dedicated',
                         'pci_passthrough:alias': 'nic:1'}))
        request = rq.from_spec(spec, conf)
        self.assertEqual(frozenset({0, 1}),
                         request.numa.topology.cells[0].pcpuset)
        self.assertEqual('nic', request.numa.pci[0].alias_name)


def port(physnet='physnet1', **fields):
    """A port's request as a RequestSpec's pci_requests carries it."""
    got = {'count': 1, 'spec': [{'physical_network': physnet,
                                 'dev_type': 'type-VF'}],
           'alias_name': None, 'numa_policy': None,
           'request_id': 'c0c0c0c0-0000-4000-8000-000000000001',
           'requester_id': 'port-1'}
    got.update(fields)
    return got


class TestGivenPci(testtools.TestCase):

    def test_port_request_is_asked_beside_the_flavor_alias(self):
        pci = nr.constraints(flavor(pci_passthrough__alias='nic:1'), None,
                             (NIC,), [port()]).pci
        self.assertEqual([('nic', None), (None, 'port-1')],
                         [(r.alias_name, r.requester_id) for r in pci])
        self.assertEqual(({'physical_network': 'physnet1',
                           'dev_type': 'type-VF'},), pci[1].specs)
        self.assertEqual(['nic', 'port-1'], [r.key for r in pci])

    def test_port_request_alone_asks_devices_without_topology(self):
        got = nr.constraints(flavor(), None, (),
                             [port(numa_policy='required')])
        self.assertIsNone(got.topology)
        self.assertEqual('required', got.pci[0].numa_policy)

    def test_resolved_alias_stands_for_the_flavors(self):
        # The caller resolved the flavor's alias with its own [pci] alias;
        # Gantt's configuration does not define it, and need not.
        resolved = port(alias_name='fpga', requester_id=None,
                        spec=[{'vendor_id': '1d0f', 'product_id': 'f001'}],
                        numa_policy='preferred', count=2)
        pci = nr.constraints(flavor(pci_passthrough__alias='fpga:2'), None,
                             (), [resolved, port()]).pci
        self.assertEqual([('fpga', 2, 'preferred'), (None, 1, None)],
                         [(r.alias_name, r.count, r.numa_policy)
                          for r in pci])

    def test_label_names_the_port_and_what_it_wants(self):
        request, = nr.given_pci_requests([port('physnet9')])
        self.assertEqual('port port-1 (dev_type=type-VF, '
                         'physical_network=physnet9)', request.label)


class TestGivenPciRefused(testtools.TestCase):

    scenarios = [
        ('no_count', dict(entry=port(count=0), words='count=0')),
        ('bool_count', dict(entry=port(count=True), words='count=True')),
        ('no_spec', dict(entry=port(spec=[]), words='spec=[]')),
        ('spec_not_dicts', dict(entry=port(spec=['physnet1']),
                                words="spec=['physnet1']")),
        ('bad_policy', dict(entry=port(numa_policy='closest'),
                            words='numa_policy=closest')),
    ]

    def test_malformed_request_is_refused_naming_it(self):
        err = self.assertRaises(exception.InvalidRequest, nr.constraints,
                                flavor(), None, (), [port(), self.entry])
        self.assertIn('pci_requests[1]', str(err))
        self.assertIn(self.words, str(err))
