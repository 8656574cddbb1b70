"""Pinned placements are claimed with the allocations: two workers over
one real store never hand out the same pCPU, and a release frees them."""

import fixtures
import sqlalchemy as sa
import testtools

from gantt import context
from gantt import exception
from gantt.filters import numa_topology
from gantt import host_manager
from gantt import objects
from gantt import scheduler
from tests.unit.db import base as db_base
from tests.unit.objects import test_numa


def uuid_of(n):
    return '00000000-0000-4000-8000-%012d' % n


class StoreTestCase(testtools.TestCase):
    """A migrated SQLite store, its conf and an admin context."""

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.FakeLogger(level='INFO'))
        fixture = self.useFixture(db_base.DatabaseFixture())
        self.conf, self.db = fixture.conf, fixture.db
        self.ctxt = context.get_admin_context()


class PinnedStoreTestCase(StoreTestCase):
    """One node with four dedicated pCPUs; workers and a pinned spec."""

    def setUp(self):
        super().setUp()
        node = db_base.make_node(host='pinned', vcpus=16, memory_mb=16384)
        node.numa = objects.NUMATopology(cells=[test_numa.cell(
            0, cpuset=(), pcpuset=(0, 1, 2, 3))])
        node.numa.cells[0].siblings = [[0], [1], [2], [3]]
        self.assertTrue(self.db.save_compute_node(node))
        self.node = node

    def worker(self):
        manager = host_manager.HostManager(self.conf, self.db)
        manager.refresh()
        return scheduler.Scheduler(
            self.conf, self.db, manager,
            filters=[numa_topology.NUMATopologyFilter(self.conf)],
            weighers=[])

    def spec(self):
        return objects.RequestSpec(
            project_id='p1', user_id='u1',
            flavor=objects.Flavor(memory_mb=1024, vcpus=2, root_gb=1,
                                  extra_specs={'hw:cpu_policy':
                                               'dedicated'}),
            image=objects.ImageMeta(properties=objects.ImageMetaProps()))

    def pinned(self):
        claims = sa.table('numa_claims', sa.column('consumer_uuid'),
                          sa.column('item'), sa.column('kind'))
        with self.db.engine.connect() as conn:
            rows = conn.execute(sa.select(claims.c.consumer_uuid,
                                          claims.c.item)
                                .where(claims.c.kind == 'pcpu')).all()
        out = {}
        for consumer, item in rows:
            out.setdefault(consumer, set()).add(int(item))
        return out


class TestPinnedClaims(PinnedStoreTestCase):

    def test_a_stale_worker_cannot_take_pcpus_already_claimed(self):
        first, second = self.worker(), self.worker()
        # The second worker does not read the change feed again (as if
        # the claim committed between its refresh and its decision).
        second.host_manager.refresh = lambda: 0
        first.select_destinations(self.ctxt, self.spec(), [uuid_of(1)])
        # It fits the guest on the same pCPUs, and the store refuses.
        self.assertRaises(exception.NoValidHost, second.select_destinations,
                          self.ctxt, self.spec(), [uuid_of(2)])
        self.assertEqual({uuid_of(1): {0, 1}}, self.pinned())

    def test_one_worker_pins_each_instance_on_free_pcpus(self):
        sched = self.worker()
        sched.select_destinations(self.ctxt, self.spec(),
                                  [uuid_of(1), uuid_of(2)])
        self.assertEqual({uuid_of(1): {0, 1}, uuid_of(2): {2, 3}},
                         self.pinned())
        err = self.assertRaises(exception.NoValidHost,
                                sched.select_destinations, self.ctxt,
                                self.spec(), [uuid_of(3)])
        self.assertIn('NUMATopologyFilter', str(err))

    def test_releasing_the_allocations_frees_the_pcpus(self):
        self.worker().select_destinations(self.ctxt, self.spec(),
                                          [uuid_of(1)])
        self.db.delete_allocations(uuid_of(1))
        self.assertEqual({}, self.pinned())
        self.worker().select_destinations(self.ctxt, self.spec(),
                                          [uuid_of(2)])
        self.assertEqual({uuid_of(2): {0, 1}}, self.pinned())


class TestPinnedGuestsClaimPcpu(StoreTestCase):
    """A pinned guest's CPUs come out of the PCPU inventory the compute's
    dedicated CPUs give, not out of its shared VCPU."""

    def add(self, host, pcpus):
        node = db_base.make_node(host=host, vcpus=16, memory_mb=16384)
        node.numa = objects.NUMATopology(cells=[test_numa.cell(
            0, cpuset=(10, 11), pcpuset=pcpus)])
        node.numa.cells[0].siblings = [[c] for c in pcpus]
        self.assertTrue(self.db.save_compute_node(node))
        return node

    def select(self, policy, uuid):
        manager = host_manager.HostManager(self.conf, self.db)
        manager.refresh()
        # No NUMATopologyFilter: the PCPU inventory alone keeps a pinned
        # guest off a host without dedicated CPUs.
        sched = scheduler.Scheduler(self.conf, self.db, manager,
                                    filters=[], weighers=[])
        spec = objects.RequestSpec(
            project_id='p1', user_id='u1',
            flavor=objects.Flavor(memory_mb=1024, vcpus=2, root_gb=1,
                                  extra_specs={'hw:cpu_policy': policy}),
            image=objects.ImageMeta(properties=objects.ImageMetaProps()))
        [[chosen]] = sched.select_destinations(self.ctxt, spec, [uuid],
                                               return_alternates=False)
        return chosen

    def test_dedicated_guest_claims_pcpu_on_a_host_that_has_some(self):
        self.add('shared-only', pcpus=())
        pinned = self.add('pinned', pcpus=(0, 1, 2, 3))
        chosen = self.select('dedicated', uuid_of(1))
        self.assertEqual('pinned', chosen.service_host)
        allocs = self.db.get_allocations(uuid_of(1))['allocations']
        self.assertEqual({'PCPU': 2, 'MEMORY_MB': 1024, 'DISK_GB': 1},
                         allocs[pinned.uuid]['resources'])

    def test_dedicated_guest_refused_when_pcpu_runs_out(self):
        self.add('pinned', pcpus=(0, 1))
        self.select('dedicated', uuid_of(1))
        exc = self.assertRaises(exception.NoValidHost, self.select,
                                'dedicated', uuid_of(2))
        self.assertIn('no capacity left', str(exc))

    def test_shared_guest_still_claims_vcpu(self):
        node = self.add('pinned', pcpus=(0, 1))
        self.select('shared', uuid_of(1))
        allocs = self.db.get_allocations(uuid_of(1))['allocations']
        self.assertEqual(2, allocs[node.uuid]['resources']['VCPU'])
        self.assertNotIn('PCPU', allocs[node.uuid]['resources'])


class TestOtherWorkersClaimsInTheView(PinnedStoreTestCase):
    """A worker's view shows the pCPUs, pages and devices other workers
    claimed, from the change feed, before the node reports them."""

    def test_refresh_shows_pcpus_another_worker_claimed(self):
        first, second = self.worker(), self.worker()
        first.select_destinations(self.ctxt, self.spec(), [uuid_of(1)])
        second.host_manager.refresh()
        # Fitted around the claim instead of losing it to the store.
        second.select_destinations(self.ctxt, self.spec(), [uuid_of(2)])
        self.assertEqual({uuid_of(1): {0, 1}, uuid_of(2): {2, 3}},
                         self.pinned())
        state = second.host_manager.state
        row = state.index[self.node.uuid]
        self.assertEqual(frozenset(), state.numa_cells[row][0].free_pcpus)

    def test_refresh_gives_back_pcpus_released_elsewhere(self):
        first, second = self.worker(), self.worker()
        first.select_destinations(self.ctxt, self.spec(),
                                  [uuid_of(1), uuid_of(2)])
        second.host_manager.refresh()
        state = second.host_manager.state
        row = state.index[self.node.uuid]
        self.assertEqual(0, state.numa_free_pcpus[row])
        self.db.delete_allocations(uuid_of(1))
        second.host_manager.refresh()
        self.assertEqual(frozenset({0, 1}),
                         state.numa_cells[row][0].free_pcpus)
        second.select_destinations(self.ctxt, self.spec(), [uuid_of(3)])
        self.assertEqual({uuid_of(2): {2, 3}, uuid_of(3): {0, 1}},
                         self.pinned())
