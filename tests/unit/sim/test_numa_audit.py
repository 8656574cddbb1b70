"""The check of NUMA claims: each way a pCPU, page or device could be
given wrongly shows in its own figure."""

import testtools

from gantt import objects
from gantt.sim import numa_audit

NODE = '00000000-0000-4000-8000-000000000001'
OTHER = '00000000-0000-4000-8000-000000000002'
ALIASES = ['{"name": "gpu", "vendor_id": "10de", "product_id": "1eb8"}']


def _node(uuid):
    cells = []
    for i in range(2):
        cells.append(objects.NUMACell(
            id=i, cpuset=[8 * i, 8 * i + 1],
            pcpuset=list(range(8 * i + 2, 8 * i + 8)),
            siblings=[], memory=8192,
            # Cell 1's last pCPU is reported pinned.
            pinned_cpus=[8 * i + 7] if i else [],
            mempages=[objects.NUMAPagesTopology(size_kb=4,
                                                total=4096 * 256),
                      objects.NUMAPagesTopology(size_kb=2048, total=2048,
                                                reserved=48)]))
    return objects.ComputeNode(
        uuid=uuid, numa=objects.NUMATopology(cells=cells),
        pci_devices=[objects.PciDevice(address='0000:3b:00.0',
                                       vendor_id='10de', product_id='1eb8',
                                       numa_node=0)])


def _flavor(name, vcpus, ram, **specs):
    return objects.Flavor(name=name, vcpus=vcpus, memory_mb=ram,
                          extra_specs=specs)


class TestAudit(testtools.TestCase):

    def setUp(self):
        super().setUp()
        objects.register_all()
        self.nodes = [_node(NODE), _node(OTHER)]
        self.flavors = {
            'pinned': _flavor('pinned', 2, 2048, **{
                'hw:cpu_policy': 'dedicated'}),
            'huge': _flavor('huge', 2, 2048, **{
                'hw:mem_page_size': 'large'}),
            'gpu': _flavor('gpu', 4, 4096, **{
                'hw:numa_nodes': '1', 'pci_passthrough:alias': 'gpu:1'}),
        }
        self.placed = {'a': ('pinned', NODE), 'b': ('huge', NODE),
                       'c': ('gpu', NODE)}
        self.rows = [('a', NODE, 'pcpu', 0, '2', 1),
                     ('a', NODE, 'pcpu', 0, '3', 1),
                     ('b', NODE, 'pages', 1, '2048:1@b', 1024),
                     ('c', NODE, 'pci', None, '0000:3b:00.0', 1)]

    def _audit(self):
        return numa_audit.audit(self.rows, self.nodes, self.placed,
                                self.flavors, ALIASES)

    def test_clean_claims_count_what_is_held_and_nothing_wrong(self):
        self.assertEqual(
            {'pcpus': 2, 'huge_page_mib': 2048, 'devices': 1,
             'instances': 3, 'given_twice': 0, 'pools_over': 0,
             'outside_host': 0, 'instances_not_matching': 0},
            self._audit())

    def test_a_pcpu_held_by_two_consumers_is_given_twice(self):
        self.rows.append(('d', NODE, 'pcpu', 0, '3', 1))
        self.assertEqual(1, self._audit()['given_twice'])

    def test_a_device_held_by_two_consumers_is_given_twice(self):
        self.rows.append(('d', NODE, 'pci', None, '0000:3b:00.0', 1))
        self.assertEqual(1, self._audit()['given_twice'])

    def test_the_same_pcpu_on_two_hosts_is_not_given_twice(self):
        self.rows.append(('d', OTHER, 'pcpu', 0, '3', 1))
        self.assertEqual(0, self._audit()['given_twice'])

    def test_pages_past_total_less_reserved_are_a_pool_over(self):
        self.rows.append(('d', NODE, 'pages', 1, '2048:1@d', 976))
        self.assertEqual(0, self._audit()['pools_over'])
        self.rows.append(('e', NODE, 'pages', 1, '2048:1@e', 1))
        self.assertEqual(1, self._audit()['pools_over'])

    def test_shared_reported_pinned_or_unknown_items_are_outside(self):
        self.rows += [('d', NODE, 'pcpu', 0, '1', 1),    # shared CPU
                      ('d', NODE, 'pcpu', 1, '15', 1),   # reported pinned
                      ('d', NODE, 'pcpu', 1, '3', 1),    # on cell 0
                      ('d', NODE, 'pci', None, '0000:99:00.0', 1)]
        self.assertEqual(4, self._audit()['outside_host'])

    def test_an_instance_without_its_claims_does_not_match(self):
        del self.rows[3]
        self.assertEqual(1, self._audit()['instances_not_matching'])

    def test_claims_on_another_host_than_the_selection_do_not_match(self):
        self.placed['a'] = ('pinned', OTHER)
        self.assertEqual(1, self._audit()['instances_not_matching'])

    def test_fewer_pcpus_than_vcpus_do_not_match(self):
        del self.rows[1]
        self.assertEqual(1, self._audit()['instances_not_matching'])
