"""The claim path fits the NUMA topology and PCI devices a request needs
whatever filters are enabled: a PCI-only flavor claims its devices, and a
pinned one its pCPUs and pages, without NUMATopologyFilter in the list."""

import importlib.util
import os

import fixtures
import testtools

from gantt import context
from gantt import exception
from gantt import host_manager
from gantt import scheduler

_TOOL = os.path.join(os.path.dirname(__file__), '..', '..', 'tools',
                     'numa_examples.py')


def _tool():
    spec = importlib.util.spec_from_file_location('numa_examples', _TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def uuid_of(n):
    return '00000000-0000-4000-8000-%012d' % n


class TestClaimWithoutTopologyFilter(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.FakeLogger(level='INFO'))
        self.tool = _tool()
        path = self.useFixture(fixtures.TempDir()).path
        self.conf, self.db = self.tool.store(path)
        self.addCleanup(self.db.engine.dispose)

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
