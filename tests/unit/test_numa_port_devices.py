"""A port's PCI request (RequestSpec.pci_requests) is claimed like a flavor
alias's device, on one real store; a guest NUMA topology's Selection
names the allocation ratios it was fitted with."""

import sqlalchemy as sa

from gantt import exception
from gantt.filters import numa_topology
from gantt.filters import pci_passthrough
from gantt import host_manager
from gantt import objects
from gantt import scheduler
from tests.unit.db import base as db_base
from tests.unit.objects import test_numa
from tests.unit import test_numa_claims

uuid_of = test_numa_claims.uuid_of
PORT = 'b0b0b0b0-0000-4000-8000-000000000001'


def port_request(physnet, count=1, numa_policy=None, requester_id=PORT):
    """What the compute controller asks for an SR-IOV port (vnic_type
    direct) on network ``physnet``."""
    return objects.InstancePCIRequest(
        count=count, spec=[{'physical_network': physnet,
                            'remote_managed': 'False',
                            'dev_type': 'type-VF'}],
        numa_policy=numa_policy, requester_id=requester_id,
        request_id='c0c0c0c0-0000-4000-8000-000000000001')


class PortDevicesTestCase(test_numa_claims.StoreTestCase):
    """One host with a NUMA cell and two VFs on physnet1 (cpu ratio 4)."""

    def setUp(self):
        super().setUp()
        node = db_base.make_node(host='sriov', vcpus=16, memory_mb=16384,
                                 cpu_allocation_ratio=4.0,
                                 ram_allocation_ratio=1.5)
        node.numa = objects.NUMATopology(cells=[test_numa.cell(
            0, cpuset=(0, 1), pcpuset=(2, 3))])
        node.pci_devices = [
            objects.PciDevice(
                address='0000:81:00.%d' % fn, vendor_id='8086',
                product_id='154c', dev_type='type-VF',
                parent_addr='0000:81:00.0', numa_node=0,
                physical_network='physnet1')
            for fn in (1, 2)]
        self.assertTrue(self.db.save_compute_node(node))
        self.node = node

    def worker(self):
        manager = host_manager.HostManager(self.conf, self.db)
        manager.refresh()
        return scheduler.Scheduler(
            self.conf, self.db, manager,
            filters=[numa_topology.NUMATopologyFilter(self.conf),
                     pci_passthrough.PciPassthroughFilter(self.conf)],
            weighers=[])

    def spec(self, pci=(), **extra_specs):
        return objects.RequestSpec(
            project_id='p1', user_id='u1',
            flavor=objects.Flavor(memory_mb=1024, vcpus=2, root_gb=1,
                                  extra_specs=extra_specs),
            image=objects.ImageMeta(properties=objects.ImageMetaProps()),
            pci_requests=list(pci))

    def held(self, kind):
        claims = sa.table('numa_claims', sa.column('consumer_uuid'),
                          sa.column('item'), sa.column('kind'))
        with self.db.engine.connect() as conn:
            return sorted(conn.execute(
                sa.select(claims.c.consumer_uuid, claims.c.item)
                .where(claims.c.kind == kind)).all())


class TestPortDevices(PortDevicesTestCase):

    def test_port_on_a_physnet_claims_a_vf_there(self):
        chosen, = self.worker().select_destinations(
            self.ctxt, self.spec([port_request('physnet1')]), [uuid_of(1)])
        self.assertEqual({PORT: ['0000:81:00.1']},
                         chosen[0].numa_topology.pci_devices)
        self.assertEqual([(uuid_of(1), '0000:81:00.1')], self.held('pci'))

    def test_each_port_gets_its_own_vf_until_none_is_left(self):
        sched = self.worker()
        sched.select_destinations(
            self.ctxt, self.spec([port_request('physnet1')]),
            [uuid_of(1), uuid_of(2)])
        self.assertEqual([(uuid_of(1), '0000:81:00.1'),
                          (uuid_of(2), '0000:81:00.2')], self.held('pci'))
        err = self.assertRaises(
            exception.NoValidHost, sched.select_destinations, self.ctxt,
            self.spec([port_request('physnet1')]), [uuid_of(3)])
        self.assertIn('PciPassthroughFilter', str(err))

    def test_port_on_a_physnet_nobody_has_is_refused(self):
        err = self.assertRaises(
            exception.NoValidHost, self.worker().select_destinations,
            self.ctxt, self.spec([port_request('physnet9')]), [uuid_of(1)])
        self.assertIn('PciPassthroughFilter', str(err))
        self.assertEqual([], self.held('pci'))

    def test_refusal_names_the_port_when_only_the_claim_path_fits(self):
        manager = host_manager.HostManager(self.conf, self.db)
        manager.refresh()
        sched = scheduler.Scheduler(self.conf, self.db, manager,
                                    filters=[], weighers=[])
        err = self.assertRaises(
            exception.NoValidHost, sched.select_destinations, self.ctxt,
            self.spec([port_request('physnet9')]), [uuid_of(1)])
        self.assertIn('port %s' % PORT, str(err))
        self.assertIn('physical_network=physnet9', str(err))

    def test_pinned_guest_with_a_port_takes_pcpus_and_the_vf(self):
        port = port_request('physnet1', numa_policy='required')
        chosen, = self.worker().select_destinations(
            self.ctxt, self.spec([port], **{'hw:cpu_policy': 'dedicated'}),
            [uuid_of(1)])
        self.assertEqual([(uuid_of(1), '0000:81:00.1')], self.held('pci'))
        self.assertEqual([(uuid_of(1), '2'), (uuid_of(1), '3')],
                         self.held('pcpu'))


class TestNumaLimits(PortDevicesTestCase):

    def test_guest_topology_names_the_hosts_ratios(self):
        chosen, = self.worker().select_destinations(
            self.ctxt, self.spec(**{'hw:numa_nodes': '1'}), [uuid_of(1)])
        self.assertEqual({'cpu_allocation_ratio': 4.0,
                          'ram_allocation_ratio': 1.5},
                         chosen[0].limits.numa_ratios())

    def test_no_guest_topology_names_none(self):
        chosen, = self.worker().select_destinations(
            self.ctxt, self.spec([port_request('physnet1')]), [uuid_of(1)])
        self.assertIsNone(chosen[0].limits.numa_topology)
        self.assertIsNone(chosen[0].limits.numa_ratios())
