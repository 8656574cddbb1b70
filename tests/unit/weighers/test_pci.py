"""PCIWeigher: hosts with fewer free PCI devices score higher."""

from gantt import pci_pools
from gantt.weighers import pci
from tests.unit import test_numa_fit as cases
from tests.unit.weighers import base


class RawScoreTest(base.WeigherTestCase):

    weigher_cls = pci.PCIWeigher

    def test_raw_score_falls_with_free_devices(self):
        devices = [cases.vf('0000:81:00.%d' % i, 0) for i in range(1, 4)]
        state = self.state([
            {'name': 'h0', 'vcpus': 8},
            {'name': 'h1', 'vcpus': 8,
             'pci_pools': pci_pools.pools(devices)}])
        self.assertEqual([100.0, 97.0],
                         self.raw(self.weigher(), state, self.request()))

    def test_idle_when_no_host_has_devices(self):
        state = self.state([{'name': 'h0', 'vcpus': 8}])
        self.assertTrue(self.weigher().idle(state, self.request()))
