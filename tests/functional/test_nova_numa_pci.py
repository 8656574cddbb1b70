"""nova 34's own SchedulerAPI asks a real gantt-scheduler for guests with
pinned CPUs and SR-IOV ports, over RabbitMQ.

nova's client (tests/functional/nova_conductor.py) builds each RequestSpec
as nova's API does: the guest topology with nova's numa_get_constraints,
one InstancePCIRequest per port as nova's neutron API makes it, the
request's network metadata. The test reads Gantt's NUMA claims and what
nova's client decoded, and has nova's own NUMA fit (its compute's claim
check) try the Selection's limits.
"""

import uuid

import sqlalchemy as sa

from gantt import objects
from tests.functional import fixtures as gantt_fixtures
from tests.functional import test_nova_conductor

# The SR-IOV host's one NUMA cell: two shared CPUs, four to pin.
CELL = {'id': 0, 'cpuset': [0, 1], 'pcpuset': [2, 3, 4, 5],
        'memory': 16384}
VFS = ('0000:81:00.1', '0000:81:00.2')
PINNED = {'hw:cpu_policy': 'dedicated'}

_claims = sa.table('numa_claims', sa.column('consumer_uuid'),
                   sa.column('node_uuid'), sa.column('kind'),
                   sa.column('item'))


def _sriov_node():
    """A compute with a NUMA cell and two VFs on physnet1 (cpu ratio 4,
    ram ratio 1.5)."""
    node = gantt_fixtures.compute_node('sriov', vcpus=2, memory_mb=16384)
    node.resources.cpu_allocation_ratio = 4.0
    node.resources.ram_allocation_ratio = 1.5
    node.numa = objects.NUMATopology(cells=[objects.NUMACell(
        id=CELL['id'], cpuset=CELL['cpuset'], pcpuset=CELL['pcpuset'],
        siblings=[[c] for c in CELL['pcpuset']], memory=CELL['memory'],
        mempages=[objects.NUMAPagesTopology(
            size_kb=4, total=CELL['memory'] * 256)])])
    node.pci_devices = [objects.PciDevice(
        address=address, vendor_id='8086', product_id='154c',
        dev_type='type-VF', parent_addr='0000:81:00.0', numa_node=0,
        physical_network='physnet1') for address in VFS]
    return node


class TestNovaNumaPci(test_nova_conductor.NovaConductorCase):

    @staticmethod
    def nodes():
        # 'plain' has more RAM: only what a guest asks of NUMA cells or
        # devices sends it to 'sriov'.
        return [_sriov_node(),
                gantt_fixtures.compute_node('plain', memory_mb=65536)]

    def held(self, consumer):
        """{(kind, item)} Gantt's NUMA claims hold for ``consumer``."""
        with self.db.engine.connect() as conn:
            rows = conn.execute(
                sa.select(_claims.c.kind, _claims.c.item, _claims.c.node_uuid)
                .where(_claims.c.consumer_uuid == consumer)).all()
        self.assertLessEqual({r[2] for r in rows},
                             {self.hosts['sriov'].uuid})
        return {(kind, item) for kind, item, _ in rows}

    @staticmethod
    def port(physnet='physnet1', **more):
        return dict(id=str(uuid.uuid4()), physnet=physnet, **more)

    def test_sriov_port_lands_where_its_physnet_has_a_vf(self):
        port = self.port()
        step = self.select(memory_mb=1024, ports=[port])
        outcome, = self.nova(step)
        (primary,), = outcome['selections']
        self.assertEqual('sriov', primary['service_host'])
        held = self.held(step['instance_uuids'][0])
        self.assertEqual(1, len(held), held)
        (kind, address), = held
        self.assertEqual('pci', kind)
        self.assertIn(address, VFS)
        # No guest topology asked: nova's NUMA filter would name no NUMA
        # limits either.
        self.assertNotIn('numa_topology', primary['limits'])

    def test_port_on_a_physnet_nobody_has_is_no_valid_host(self):
        step = self.select(memory_mb=1024, ports=[self.port('physnet9')])
        outcome, = self.nova(step)
        error = outcome['error']
        self.assertTrue(error['is_nova_no_valid_host'], error)
        self.assertEqual(set(), self.held(step['instance_uuids'][0]))

    def test_pinned_flavor_claims_pcpus_and_names_numa_limits(self):
        step = self.select(memory_mb=2048, extra_specs=PINNED,
                           ports=[self.port()], host_numa=[CELL],
                           return_alternates=True)
        outcome, = self.nova(step)
        (primary,), = outcome['selections']
        self.assertEqual('sriov', primary['service_host'])
        held = self.held(step['instance_uuids'][0])
        pcpus = {int(item) for kind, item in held if kind == 'pcpu'}
        self.assertEqual(2, len(pcpus), held)
        self.assertLessEqual(pcpus, set(CELL['pcpuset']))
        self.assertEqual(1, len([k for k, _ in held if k == 'pci']), held)
        # The limits nova's NUMA filter would have set: the host's
        # ratios, the request's physnets; nova's own fit takes them.
        self.assertEqual({'class': 'NUMATopologyLimits',
                          'cpu_allocation_ratio': 4.0,
                          'ram_allocation_ratio': 1.5,
                          'physnets': ['physnet1']},
                         primary['limits']['numa_topology'])
        self.assertEqual([True], outcome['compute_claim_fits'])
        # The allocation nova expects placement to hold: pCPUs, not VCPU.
        self.assertEqual(
            {'PCPU': 2, 'MEMORY_MB': 2048, 'DISK_GB': 20},
            primary['allocation_request']['allocations'][
                self.hosts['sriov'].uuid]['resources'])

    def test_image_numa_layout_reaches_gantt_through_novas_wire(self):
        # nova reads hw_numa_cpus.N / hw_numa_mem.N into typed lists; the
        # guest topology comes from the image alone.
        step = self.select(memory_mb=2048, host_numa=[CELL],
                           image_properties={'hw_numa_nodes': '1',
                                             'hw_numa_cpus.0': '0-1',
                                             'hw_numa_mem.0': '2048'})
        outcome, = self.nova(step)
        (primary,), = outcome['selections']
        # Only 'sriov' has NUMA cells for the guest's node.
        self.assertEqual('sriov', primary['service_host'])
        self.assertEqual(4.0, primary['limits']['numa_topology'][
            'cpu_allocation_ratio'])
        self.assertEqual([True], outcome['compute_claim_fits'])
