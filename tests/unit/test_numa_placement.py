"""The claim path fits the NUMA topology and PCI devices a request needs
whatever filters are enabled: a PCI-only flavor claims its devices, and a
pinned one its pCPUs and pages, without NUMATopologyFilter in the list."""

import fixtures
import testtools

from gantt import context
from gantt import exception
from gantt.filters import numa_topology
from gantt.filters import pci_passthrough
from gantt import host_manager
from gantt import scheduler
from tests.unit.test_numa_examples import _tool


def uuid_of(n):
    return '00000000-0000-4000-8000-%012d' % n


class ExampleStoreTestCase(testtools.TestCase):
    """The store of tools/numa_examples.py: one compute with two NUMA
    cells, huge pages, a NIC's VFs on cell 0 and a GPU on cell 1."""

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.FakeLogger(level='INFO'))
        self.tool = _tool()
        path = self.useFixture(fixtures.TempDir()).path
        self.conf, self.db = self.tool.store(path)
        self.addCleanup(self.db.engine.dispose)


class TestClaimWithoutTopologyFilter(ExampleStoreTestCase):

    def select(self, specs, uuid, vcpus=2, memory_mb=2048):
        if not hasattr(self, 'sched'):
            manager = host_manager.HostManager(self.conf, self.db)
            manager.refresh()
            self.sched = scheduler.Scheduler(self.conf, self.db, manager,
                                             filters=[], weighers=[])
        return self.sched.select_destinations(
            context.get_admin_context(),
            self.tool.spec(vcpus, memory_mb, specs, {}), [uuid],
            return_alternates=False)[0][0]

    def test_pci_only_flavor_claims_its_devices(self):
        self.select({'pci_passthrough:alias': 'nic:2'}, uuid_of(1))
        claims = self.tool.claims(self.db)
        self.assertEqual(['0000:81:00.1', '0000:81:00.2'], claims['pci'])
        self.assertEqual({'pci'}, set(claims))

    def test_pci_only_flavor_refused_when_devices_are_all_claimed(self):
        self.select({'pci_passthrough:alias': 'nic:2'}, uuid_of(1))
        err = self.assertRaises(exception.NoValidHost, self.select,
                                {'pci_passthrough:alias': 'nic:2'},
                                uuid_of(2))
        self.assertIn('NUMA topology or PCI devices', str(err))
        self.assertEqual(['0000:81:00.1', '0000:81:00.2'],
                         self.tool.claims(self.db)['pci'])

    def test_pinned_flavor_claims_pcpus_and_pages_without_the_filter(self):
        self.select({'hw:cpu_policy': 'dedicated',
                     'hw:mem_page_size': '2MB'}, uuid_of(1))
        claims = self.tool.claims(self.db)
        self.assertEqual(2, sum(len(v) for k, v in claims.items()
                                if k.startswith('pcpu')))
        self.assertIn('2048 KiB x 1024',
                      [i for k, v in claims.items()
                       if k.startswith('pages') for i in v])


class TestRefusalsSayWhy(ExampleStoreTestCase):
    """A NUMA or PCI refusal names the specific reason, with and without
    the NUMA filters enabled."""

    def refusal(self, specs, vcpus=2, memory_mb=2048, filters=True):
        manager = host_manager.HostManager(self.conf, self.db)
        manager.refresh()
        chosen = []
        if filters:
            chosen = [numa_topology.NUMATopologyFilter(self.conf),
                      pci_passthrough.PciPassthroughFilter(self.conf)]
        sched = scheduler.Scheduler(self.conf, self.db, manager,
                                    filters=chosen, weighers=[])
        return str(self.assertRaises(
            exception.NoValidHost, sched.select_destinations,
            context.get_admin_context(),
            self.tool.spec(vcpus, memory_mb, specs, {}), [uuid_of(9)]))

    def test_names_missing_free_pcpus(self):
        for filters in (True, False):
            text = self.refusal({'hw:cpu_policy': 'dedicated'}, vcpus=8,
                                filters=filters)
            self.assertIn('not enough dedicated pCPUs on any NUMA cell',
                          text)

    def test_names_exhausted_page_pool(self):
        for filters in (True, False):
            text = self.refusal({'hw:mem_page_size': '1GB'},
                                memory_mb=8192, filters=filters)
            self.assertIn('page size pool exhausted', text)
            self.assertIn('1048576 KiB pages', text)

    def test_names_the_alias_without_devices(self):
        for filters in (True, False):
            text = self.refusal({'pci_passthrough:alias': 'nic:4'},
                                filters=filters)
            self.assertIn('not enough free devices of PCI alias nic', text)

    def test_names_the_alias_without_a_device_near_the_guest(self):
        # The GPU sits on cell 1; the guest's pages only fit cell 0.
        text = self.refusal({'hw:cpu_policy': 'dedicated',
                             'hw:mem_page_size': '1GB',
                             'pci_passthrough:alias': 'gpu:1'})
        self.assertIn('no free device of PCI alias gpu near the guest NUMA '
                      'cells', text)

    def test_names_the_unmet_thread_policy(self):
        text = self.refusal({'hw:cpu_policy': 'dedicated',
                             'hw:cpu_thread_policy': 'isolate'})
        self.assertIn('hw:cpu_thread_policy=isolate unmet', text)


class TestExplainShowsTheFittedTopology(ExampleStoreTestCase):

    def setUp(self):
        super().setUp()
        manager = host_manager.HostManager(self.conf, self.db)
        manager.refresh()
        self.sched = scheduler.Scheduler(self.conf, self.db, manager,
                                         filters=[], weighers=[])

    def test_explain_gives_pins_pages_and_devices_and_claims_nothing(self):
        from gantt.cmd import manage_explain
        answer = self.sched.explain(
            context.get_admin_context(), self.tool.spec(
                2, 2048, {'hw:cpu_policy': 'dedicated',
                          'hw:mem_page_size': '2MB',
                          'pci_passthrough:alias': 'nic:1'}, {}))
        [host] = answer['hosts']
        topology = host['numa_topology']
        [cell] = topology['cells']
        self.assertEqual(0, cell['host_cell'])
        self.assertEqual(2, len(cell['cpu_pinning']))
        self.assertEqual(2048, cell['pagesize'])
        self.assertEqual({'nic': ['0000:81:00.1']}, topology['pci_devices'])
        self.assertIn('nic 0000:81:00.1',
                      manage_explain.format_answer(answer))
        self.assertEqual({}, self.tool.claims(self.db))

    def test_plain_request_explained_without_a_topology(self):
        answer = self.sched.explain(context.get_admin_context(),
                                    self.tool.spec(2, 2048, {}, {}))
        self.assertNotIn('numa_topology', answer['hosts'][0])


class TestSelectionCarriesTheClaim(TestClaimWithoutTopologyFilter):

    def test_selection_names_the_pcpus_pages_and_devices_claimed(self):
        chosen = self.select({'hw:cpu_policy': 'dedicated',
                              'hw:mem_page_size': '2MB',
                              'pci_passthrough:alias': 'nic:1'}, uuid_of(1))
        [cell] = chosen.numa_topology.cells
        claims = self.tool.claims(self.db)
        self.assertEqual(
            sorted(claims['pcpu (cell %d)' % cell.host_cell]),
            sorted(str(p) for p in cell.cpu_pinning.values()))
        self.assertEqual(claims['pci'],
                         chosen.numa_topology.pci_devices['nic'])
        self.assertEqual(2048, cell.pagesize)

    def test_plain_request_selection_has_no_topology(self):
        chosen = self.select({}, uuid_of(1))
        self.assertIsNone(chosen.numa_topology)

    def test_backport_to_1_1_drops_the_topology(self):
        chosen = self.select({'pci_passthrough:alias': 'nic:1'}, uuid_of(1))
        primitive = chosen.obj_to_primitive(target_version='1.1')
        self.assertNotIn('numa_topology',
                         primitive['versioned_object.data'])
