"""PCI pools from devices, and which requests they can serve."""

import testtools

from gantt import numa_request as nr
from gantt import pci_pools as pp


def dev(address, dev_type='type-VF', parent='0000:81:00.0', numa=0,
        status='available', product='154c', **extra):
    return dict({'address': address, 'vendor_id': '8086',
                 'product_id': product, 'dev_type': dev_type,
                 'parent_addr': parent, 'numa_node': numa,
                 'status': status}, **extra)


def want(count=1, **spec):
    return nr.PciRequest('a', count, (spec,), 'legacy')


class TestPools(testtools.TestCase):

    def test_vfs_of_one_pf_share_a_pool(self):
        pools = pp.pools([dev('0000:81:00.1'), dev('0000:81:00.2'),
                          dev('0000:82:00.1', parent='0000:82:00.0')])
        self.assertEqual([2, 1], [p.count for p in pools])

    def test_devices_in_use_are_not_in_any_pool(self):
        pools = pp.pools([dev('0000:81:00.1', status='allocated')])
        self.assertEqual(0, pp.free_count(pools))

    def test_tags_split_pools(self):
        pools = pp.pools([dev('0000:81:00.1', trusted=True),
                          dev('0000:81:00.2', trusted=False)])
        self.assertEqual(['true', 'false'],
                         [p.props['trusted'] for p in pools])


class TestSupport(testtools.TestCase):

    def test_matches_case_insensitively(self):
        pools = pp.pools([dev('0000:81:00.1', product='154C')])
        self.assertTrue(pp.support(pools, [want(product_id='154c')]))

    def test_pfs_serve_only_requests_for_pfs(self):
        pools = pp.pools([dev('0000:81:00.0', dev_type='type-PF',
                              parent=None)])
        self.assertFalse(pp.support(pools, [want(vendor_id='8086')]))
        self.assertTrue(pp.support(pools, [want(dev_type='type-PF')]))

    def test_remote_managed_devices_only_when_asked(self):
        pools = pp.pools([dev('0000:81:00.1', remote_managed=True)])
        self.assertFalse(pp.support(pools, [want(vendor_id='8086')]))
        self.assertTrue(pp.support(pools, [want(remote_managed='true')]))

    def test_two_requests_do_not_share_a_device(self):
        pools = pp.pools([dev('0000:81:00.1'), dev('0000:81:00.2')])
        self.assertTrue(pp.support(pools, [want(2)]))
        self.assertFalse(pp.support(pools, [want(2), want(1)]))
        self.assertEqual([['0000:81:00.1'], ['0000:81:00.2']],
                         pp.take(pools, [want(1), want(1)]))
