"""Pinned pCPUs, huge pages and PCI devices are never given twice, under
concurrent requests on a 2-worker gantt-scheduler on RabbitMQ, on SQLite,
PostgreSQL (and MySQL when configured).

Each round, 32 conductor threads at once ask for one pinned guest with
2 MiB pages and a NIC VF on three hosts that have room for only a few:
the store then holds no pCPU, page beyond a pool or device for two
instances, every placed instance's Selection names exactly what its claim
holds, and every refusal names the NUMA or PCI reason. The rounds run
with NUMATopologyFilter and PciPassthroughFilter, and without them, when
the claim path alone fits the topology.
"""

import collections
import threading
import uuid

import sqlalchemy as sa

from gantt import exception
from gantt import objects
from tests.functional import claims_base

HOSTS = ['numa-%d' % i for i in range(3)]
REQUESTS = 32
VFS = 3
# 2 MiB pages per host: four 1 GiB guests.
PAGES = 2048
ALIAS = ('{"name": "nic", "vendor_id": "8086", "product_id": "154c", '
         '"device_type": "type-VF"}')

# What a refusal after claims lost to other requests names: the pCPUs or
# devices taken first, or the page pool.
LOST = ('already claimed', 'KiB pages of NUMA cell')
# Round name -> (flavor extra specs, vCPUs, MiB, guests per host, what
# every refusal must name: one of the words of the filters or the claim
# path, or of LOST).
ROUNDS = {
    'devices run out': ({'hw:cpu_policy': 'dedicated',
                         'hw:mem_page_size': '2MB',
                         'pci_passthrough:alias': 'nic:1'}, 2, 1024, VFS,
                        ('devices of PCI alias nic',) + LOST),
    'pages run out': ({'hw:cpu_policy': 'dedicated',
                       'hw:mem_page_size': '2MB'}, 1, 2048, 2,
                      ('page size pool exhausted',) + LOST),
}


def _node(host):
    node = claims_base.node(host, vcpus=2, memory_mb=65536, local_gb=2000)
    node.numa = objects.NUMATopology(cells=[objects.NUMACell(
        id=0, cpuset=[0, 1], pcpuset=list(range(2, 14)),
        siblings=[[c] for c in range(14)], memory=65536,
        mempages=[objects.NUMAPagesTopology(size_kb=4, total=15728640),
                  objects.NUMAPagesTopology(size_kb=2048, total=PAGES)])])
    node.pci_devices = [objects.PciDevice(
        address='0000:81:00.%d' % fn, vendor_id='8086', product_id='154c',
        dev_type='type-VF', parent_addr='0000:81:00.0', numa_node=0)
        for fn in range(1, VFS + 1)]
    return node


_claims = sa.table('numa_claims', sa.column('consumer_uuid'),
                   sa.column('node_uuid'), sa.column('kind'),
                   sa.column('cell'), sa.column('item'),
                   sa.column('amount'))


class NumaConcurrencyCases:

    default_conf = (claims_base.ClaimsTestCase.default_conf +
                    '[pci]\nalias = %s\n' % ALIAS)

    def setUp(self):
        super().setUp()
        self.nodes = self.save_nodes([_node(h) for h in HOSTS])
        self.wait_for_workers()

    def race(self, specs, vcpus, memory_mb):
        """32 requests at once; ({instance: Selection}, [refusals],
        [other errors])."""
        placed, refused, errors = {}, [], []
        start = threading.Barrier(REQUESTS)

        def one():
            instance = str(uuid.uuid4())
            spec = self.spec(vcpus=vcpus, memory_mb=memory_mb, root_gb=1)
            spec.flavor.extra_specs = dict(specs)
            start.wait()
            try:
                placed[instance] = self.scheduler.select_destinations(
                    self.ctxt, spec, [instance])[0][0]
            except exception.NoValidHost as e:
                refused.append(str(e))
            except Exception as e:  # anything else fails the test
                errors.append(repr(e))
        threads = [threading.Thread(target=one) for _ in range(REQUESTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        return placed, refused, errors

    def claims(self):
        with self.db.engine.connect() as conn:
            return conn.execute(sa.select(
                _claims.c.consumer_uuid, _claims.c.node_uuid,
                _claims.c.kind, _claims.c.cell, _claims.c.item,
                _claims.c.amount)).all()

    def assert_nothing_held_twice(self, placed):
        rows = self.claims()
        holders = collections.defaultdict(set)
        pages = collections.Counter()
        for consumer, node, kind, cell, item, amount in rows:
            if kind == 'pages':
                pages[(node, cell, item.split(':')[0])] += amount
            else:
                holders[(node, kind, item)].add(consumer)
        self.assertEqual({}, {k: v for k, v in holders.items()
                              if len(v) > 1}, 'held by two instances')
        self.assertEqual({}, {k: n for k, n in pages.items() if n > PAGES},
                         'page pools over-claimed')
        self.assertEqual(set(placed), {r[0] for r in rows})
        # What each Selection names is what its claim holds.
        for instance, chosen in placed.items():
            topology = chosen.numa_topology
            held = {(kind, item) for c, node, kind, _, item, _ in rows
                    if c == instance and kind != 'pages'}
            named = {('pcpu', str(p)) for cell in topology.cells
                     for p in cell.cpu_pinning.values()}
            named |= {('pci', a) for addresses in
                      topology.pci_devices.values() for a in addresses}
            self.assertEqual(held, named, instance)
            self.assertEqual({chosen.compute_node_uuid},
                             {node for c, node, *_ in rows if c == instance})

    def test_nothing_given_twice_and_every_refusal_says_why(self):
        for name, (specs, vcpus, memory_mb, per_host, words) in \
                ROUNDS.items():
            for _ in range(2):
                placed, refused, errors = self.race(specs, vcpus, memory_mb)
                self.assertEqual([], errors, name)
                self.assertEqual(len(HOSTS) * per_host, len(placed), name)
                self.assertEqual(REQUESTS - len(placed), len(refused), name)
                self.assertEqual(
                    [], [m for m in refused
                         if not any(w in m for w in words)], name)
                self.assert_nothing_held_twice(placed)
                self.assert_books_balance()
                # The next round starts from free hosts again.
                for instance in placed:
                    self.assertTrue(self.scheduler.delete_allocations(
                        self.ctxt, instance))
                self.assertEqual([], self.claims())

    def test_an_alternate_is_claimed_with_its_topology_once(self):
        specs, vcpus, memory_mb = ROUNDS['devices run out'][:3]
        spec = self.spec(vcpus=vcpus, memory_mb=memory_mb, root_gb=1)
        spec.flavor.extra_specs = dict(specs)
        first = str(uuid.uuid4())
        [primary, alternate, *_] = self.scheduler.select_destinations(
            self.ctxt, spec, [first], return_alternates=True)[0]
        self.assertNotEqual(primary.compute_node_uuid,
                            alternate.compute_node_uuid)
        self.assertEqual(1, len(alternate.numa_topology.pci_devices['nic']))
        # Four reschedules race for the same alternate: one claims it,
        # with its pCPUs, pages and device; the others claim nothing.
        consumers = [str(uuid.uuid4()) for _ in range(4)]
        answers = {}
        start = threading.Barrier(len(consumers))

        def claim(consumer):
            start.wait()
            answers[consumer] = self.scheduler.claim_resources(
                self.ctxt, consumer, alternate.allocation_request,
                'p1', 'u1', numa_topology=alternate.numa_topology)
        threads = [threading.Thread(target=claim, args=(c,))
                   for c in consumers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        winners = [c for c, ok in answers.items() if ok]
        self.assertEqual(len(consumers), len(answers))
        self.assertEqual(1, len(winners), answers)
        self.assert_nothing_held_twice(
            {first: primary, winners[0]: alternate})
        rows = self.claims()
        self.assertIn((winners[0], 'pages'),
                      {(r[0], r[2]) for r in rows})
        for consumer in set(consumers) - set(winners):
            self.assert_holds_nothing(consumer)
        self.assert_books_balance()


class TestNumaConcurrency(NumaConcurrencyCases, claims_base.ClaimsTestCase):

    default_conf = (NumaConcurrencyCases.default_conf +
                    '[filter_scheduler]\n'
                    'enabled_filters = ComputeFilter,NUMATopologyFilter,'
                    'PciPassthroughFilter\n')


class TestNumaConcurrencyClaimAlone(NumaConcurrencyCases,
                                    claims_base.ClaimsTestCase):
    """Without the NUMA filters: the claim path fits the topology."""

    default_conf = (NumaConcurrencyCases.default_conf +
                    '[filter_scheduler]\n'
                    'enabled_filters = ComputeFilter\n')
