"""The change feed: watermarks, stale reports, deletions, restarts."""

import uuid as uuid_lib

from gantt.db import api
from gantt import exception
from gantt import objects
from tests.unit.db import base


def plain(obj):
    """An object's primitive without its change list (a set's order)."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items()
                    if k != 'versioned_object.changes'}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return strip(obj.obj_to_primitive())


class TestChangeFeed(base.StoreTestCase):

    def test_empty_store_starts_at_zero(self):
        self.assertEqual(0, self.db.current_seq())
        changes = self.db.get_changes(0)
        self.assertEqual(0, changes.seq)
        self.assertFalse(changes)

    def test_report_shows_node_and_inventories_past_watermark(self):
        node = self.add_node(vcpus=8, memory_mb=4096, local_gb=100,
                             reserved_memory_mb=512,
                             ram_allocation_ratio=1.5)
        changes = self.db.get_changes(0)
        self.assertEqual(1, changes.seq)
        self.assertEqual(changes.seq, self.db.current_seq())
        [row] = changes.compute_nodes
        self.assertEqual((node.uuid, 'host1', 'host1', False),
                         (row['uuid'], row['host'],
                          row['hypervisor_hostname'], row['deleted']))
        self.assertIsInstance(row['last_seen_up'], float)
        self.assertEqual(plain(node), plain(row['node']))
        inv = {i['resource_class']: i for i in changes.inventories}
        self.assertEqual({'VCPU', 'MEMORY_MB', 'DISK_GB'}, set(inv))
        mem = inv['MEMORY_MB']
        self.assertEqual(
            dict(provider_uuid=node.uuid, root_provider_uuid=node.uuid,
                 resource_class='MEMORY_MB', total=4096, reserved=512,
                 min_unit=1, max_unit=4096, step_size=1,
                 allocation_ratio=1.5, capacity=5376, used=0), mem)

    def test_nothing_new_past_the_current_seq(self):
        self.add_node()
        seq = self.db.current_seq()
        changes = self.db.get_changes(seq)
        self.assertEqual(seq, changes.seq)
        self.assertFalse(changes)

    def test_only_rows_written_after_the_watermark_come_back(self):
        self.add_node(host='a')
        seq = self.db.current_seq()
        second = self.add_node(host='b')
        changes = self.db.get_changes(seq)
        self.assertEqual([second.uuid],
                         [n['uuid'] for n in changes.compute_nodes])
        self.assertEqual({second.uuid},
                         {i['provider_uuid'] for i in changes.inventories})
        self.assertGreater(changes.seq, seq)

    def test_unchanged_inventories_are_not_resent(self):
        node = self.add_node(report_seq=1)
        seq = self.db.current_seq()
        node.report_seq = 2
        self.assertTrue(self.db.save_compute_node(node))
        changes = self.db.get_changes(seq)
        self.assertEqual(1, len(changes.compute_nodes))
        self.assertEqual([], changes.inventories)

    def test_stale_report_is_ignored(self):
        node = self.add_node(report_seq=5, vcpus=8)
        seq = self.db.current_seq()
        for stale_seq in (5, 4):
            stale = base.make_node(uuid=node.uuid, report_seq=stale_seq,
                                   vcpus=2)
            self.assertFalse(self.db.save_compute_node(stale))
        self.assertFalse(self.db.get_changes(seq))
        [row] = self.db.get_changes(0).compute_nodes
        self.assertEqual(5, row['report_seq'])
        self.assertEqual(8, row['node'].resources.vcpus)
        self.assertEqual(8, self.inventory(node.uuid, 'VCPU')['total'])

    def test_restarted_scheduler_rebuilds_every_host(self):
        nodes = [self.add_node(host='host%d' % i, vcpus=i + 1)
                 for i in range(5)]
        fresh = api.Database(self.conf)
        self.addCleanup(fresh.dispose)
        changes = fresh.get_changes(0)
        self.assertEqual(
            {n.uuid: plain(n) for n in nodes},
            {r['uuid']: plain(r['node']) for r in changes.compute_nodes})
        self.assertEqual(15, len(changes.inventories))

    def test_deleted_node_is_reported_as_deleted(self):
        node = self.add_node()
        seq = self.db.current_seq()
        self.assertTrue(self.db.delete_compute_node(node.uuid))
        self.assertFalse(self.db.delete_compute_node(node.uuid))
        [row] = self.db.get_changes(seq).compute_nodes
        self.assertTrue(row['deleted'])
        # A deleted node that reports again comes back, whatever its seq.
        self.assertTrue(self.db.save_compute_node(
            base.make_node(uuid=node.uuid, report_seq=1)))
        [row] = self.db.get_changes(0).compute_nodes
        self.assertFalse(row['deleted'])

    def test_report_registers_the_compute_service(self):
        self.add_node(host='c1')
        [svc] = self.db.get_services('gantt-compute')
        self.assertEqual(('gantt-compute', 'c1', 1),
                         (svc['binary'], svc['host'], svc['version']))

    def test_register_service_upserts(self):
        self.db.register_service('gantt-scheduler', 's1', 1, '1.0')
        self.db.register_service('gantt-scheduler', 's1', 2, '1.1')
        [svc] = self.db.get_services()
        self.assertEqual((2, '1.1'), (svc['version'], svc['rpc_version']))


class TestAggregatesAndInstances(base.StoreTestCase):

    def _agg(self, hosts, metadata=None, name='agg1', uuid=None):
        objects.register_all()
        from gantt.objects import aggregate
        return aggregate.Aggregate(
            id=1, uuid=uuid or str(uuid_lib.uuid4()), name=name,
            hosts=hosts, metadata=metadata or {})

    def test_aggregate_saved_changed_and_deleted(self):
        agg = self._agg(['h1', 'h2'], {'availability_zone': 'az1'})
        self.db.save_aggregate(agg)
        [row] = self.db.get_changes(0).aggregates
        self.assertEqual(dict(uuid=agg.uuid, name='agg1', hosts=['h1', 'h2'],
                              metadata={'availability_zone': 'az1'},
                              deleted=False), row)
        seq = self.db.current_seq()
        agg.hosts = ['h2', 'h3']
        self.db.save_aggregate(agg)
        [row] = self.db.get_changes(seq).aggregates
        self.assertEqual(['h2', 'h3'], row['hosts'])
        seq = self.db.current_seq()
        self.assertTrue(self.db.delete_aggregate(agg))
        self.assertFalse(self.db.delete_aggregate(agg.uuid))
        [row] = self.db.get_changes(seq).aggregates
        self.assertEqual((True, []), (row['deleted'], row['hosts']))

    def test_only_changed_aggregates_come_back(self):
        first = self._agg(['h1'])
        self.db.save_aggregate(first)
        seq = self.db.current_seq()
        second = self._agg(['h2'], name='agg2')
        self.db.save_aggregate(second)
        self.assertEqual(
            [(second.uuid, ['h2'])],
            [(a['uuid'], a['hosts'])
             for a in self.db.get_changes(seq).aggregates])

    def test_instances_added_deleted_and_synced(self):
        a, b, c = (str(uuid_lib.uuid4()) for _ in range(3))
        self.db.add_instances('h1', 'n1', [a, b])
        seq = self.db.current_seq()
        self.assertTrue(self.db.delete_instance('h1', a))
        self.assertFalse(self.db.delete_instance('h2', b))
        self.assertEqual(
            [dict(instance_uuid=a, host='h1', node='n1', deleted=True)],
            self.db.get_changes(seq).instances)
        seq = self.db.current_seq()
        self.db.sync_instances('h1', [c])
        changed = {i['instance_uuid']: i for i in
                   self.db.get_changes(seq).instances}
        self.assertEqual({b, c}, set(changed))
        self.assertTrue(changed[b]['deleted'])
        self.assertEqual(('h1', False), (changed[c]['host'],
                                         changed[c]['deleted']))

    def test_instance_moves_with_its_latest_host(self):
        a = str(uuid_lib.uuid4())
        self.db.add_instances('h1', 'n1', [a])
        self.db.add_instances('h2', 'n2', [a])
        # A late delete from the old host leaves the new record alone.
        self.assertFalse(self.db.delete_instance('h1', a))
        [row] = self.db.get_changes(0).instances
        self.assertEqual(('h2', 'n2', False),
                         (row['host'], row['node'], row['deleted']))

    def test_request_spec_round_trip(self):
        uuid = str(uuid_lib.uuid4())
        self.assertIsNone(self.db.get_request_spec(uuid))
        self.db.save_request_spec(uuid, {'a': 1})
        self.db.save_request_spec(uuid, {'a': 2})
        self.assertEqual({'a': 2}, self.db.get_request_spec(uuid))
        self.assertTrue(self.db.delete_request_spec(uuid))
        self.assertIsNone(self.db.get_request_spec(uuid))


class TestBatchReports(base.StoreTestCase):

    def test_batch_saves_each_node_on_its_own_merits(self):
        stale = self.add_node(host='stale', report_seq=5)
        busy = self.add_node(host='busy', vcpus=4)
        self.db.claim(str(uuid_lib.uuid4()),
                      base.alloc_req(busy.uuid, VCPU=3), base.PROJECT,
                      base.USER)
        seq = self.db.current_seq()
        fresh = base.make_node(host='fresh')
        results = self.db.save_compute_nodes([
            base.make_node(uuid=stale.uuid, host='stale', report_seq=4),
            base.make_node(uuid=busy.uuid, host='busy', vcpus=2,
                           report_seq=2),
            fresh])
        self.assertEqual([False, True], [results[0], results[2]])
        self.assertIsInstance(results[1], exception.InvalidInventory)
        self.assertEqual(seq + 1, self.db.current_seq())
        changes = self.db.get_changes(seq)
        self.assertEqual([fresh.uuid],
                         [n['uuid'] for n in changes.compute_nodes])
        self.assertEqual(4, self.inventory(busy.uuid, 'VCPU')['total'])

    def _service(self, host):
        return self.db.get_service('gantt-compute', host)

    def test_batch_marks_each_service_alive_and_records_new_versions(self):
        first = [self.add_node(host='c%d' % i) for i in range(3)]
        before = {n.host: self._service(n.host) for n in first}
        seq = self.db.current_seq()
        again = [base.make_node(uuid=n.uuid, host=n.host, report_seq=2)
                 for n in first]
        again[1].service.version = 2
        self.assertEqual([True] * 3, self.db.save_compute_nodes(
            again, rpc_versions=[None, '1.2', None]))
        after = {n.host: self._service(n.host) for n in first}
        self.assertEqual({'c0': (1, None), 'c1': (2, '1.2'), 'c2': (1, None)},
                         {h: (s['version'], s['rpc_version'])
                          for h, s in after.items()})
        for host in after:
            self.assertGreaterEqual(after[host]['last_seen_up'],
                                    before[host]['last_seen_up'])
        # Each service row is stamped with the batch's change sequence.
        import sqlalchemy as sa
        from gantt.db import models
        services = models.Service.__table__
        with self.db.engine.connect() as conn:
            stamped = conn.execute(
                sa.select(services.c.host)
                .where(services.c.change_seq > seq)).scalars().all()
        self.assertEqual(['c0', 'c1', 'c2'], sorted(stamped))

    def test_batch_brings_back_a_forgotten_service(self):
        node = self.add_node(host='gone')
        self.db.delete_service('gantt-compute', 'gone')
        self.assertIsNone(self._service('gone'))
        self.assertEqual([True], self.db.save_compute_nodes(
            [base.make_node(uuid=node.uuid, host='gone', report_seq=2)]))
        self.assertEqual(1, self._service('gone')['version'])


class TestFeedQueryPlans(base.StoreTestCase):
    """The feed's range reads use the change_seq indexes on SQLite.

    A plan that scans the table costs in proportion to every row stored
    (2.5 ms per refresh at 10,000 hosts) instead of to what changed.
    """

    def plan(self, statement):
        compiled = statement.compile(
            self.db.engine, compile_kwargs={'literal_binds': True})
        with self.db.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                'EXPLAIN QUERY PLAN %s' % compiled).all()
        return ' | '.join(row[-1] for row in rows)

    def test_each_range_read_searches_its_change_seq_index(self):
        from gantt.db import changes
        from gantt.db import instance
        for node in range(3):
            self.add_node(host='host%d' % node)
        since = {'since': 1}
        for statement, index in (
                (changes.NODES_SINCE, 'compute_nodes_change_seq_idx'),
                (changes.INVENTORIES_SINCE, 'inventories_change_seq_idx'),
                (instance.CHANGED_SINCE, 'instances_change_seq_idx')):
            plan = self.plan(statement.params(since))
            self.assertIn(index, plan)
            self.assertNotIn('USE TEMP B-TREE FOR ORDER BY', plan)

    def test_report_batch_finds_its_services_by_the_unique_index(self):
        from gantt.db import report_batch
        plan = self.plan(report_batch._SERVICES.params(
            binaries=['gantt-compute'], hosts=['host0', 'host1']))
        self.assertIn('(binary=? AND host=?)', plan)
        self.assertNotIn('SCAN services', plan)


class TestUnchangedReports(base.StoreTestCase):
    """A report that says what the stored one says moves only the node."""

    def statements(self, fn):
        import sqlalchemy as sa
        seen = []

        def count(conn, cursor, statement, *args):
            seen.append(statement)
        sa.event.listen(self.db.engine, 'before_cursor_execute', count)
        try:
            fn()
        finally:
            sa.event.remove(self.db.engine, 'before_cursor_execute', count)
        return seen

    def test_unchanged_report_leaves_the_tree_alone(self):
        node = self.add_node()
        seq = self.db.current_seq()
        again = base.make_node(uuid=node.uuid, report_seq=2)
        written = self.statements(
            lambda: self.assertTrue(
                self.db.save_compute_node(again)))
        # The counter, the stored report, the node row, the service.
        self.assertLessEqual(len(written), 6, written)
        changes = self.db.get_changes(seq)
        self.assertEqual([2], [n['report_seq']
                               for n in changes.compute_nodes])
        self.assertEqual([], changes.inventories)
        self.assertEqual([], changes.providers)

    def test_batch_of_unchanged_reports_moves_its_nodes_in_one_statement(self):
        nodes = [self.add_node(host='h%d' % i) for i in range(5)]
        seq = self.db.current_seq()
        again = [base.make_node(uuid=n.uuid, host=n.host, report_seq=7)
                 for n in nodes]
        written = self.statements(
            lambda: self.assertEqual([True] * 5,
                                     self.db.save_compute_nodes(again)))
        moves = [s for s in written
                 if s.lstrip().upper().startswith('UPDATE COMPUTE_NODES')]
        self.assertEqual(1, len(moves), written)
        self.assertLessEqual(len(written), 6, written)
        self.assertEqual({n.uuid: 7 for n in nodes}, {
            n['uuid']: n['report_seq']
            for n in self.db.get_changes(seq).compute_nodes})

    def test_a_changed_report_rewrites_the_tree(self):
        node = self.add_node(memory_mb=4096)
        seq = self.db.current_seq()
        self.assertTrue(self.db.save_compute_node(base.make_node(
            uuid=node.uuid, report_seq=2, memory_mb=8192)))
        changes = self.db.get_changes(seq)
        self.assertEqual({'MEMORY_MB': 8192},
                         {i['resource_class']: i['total']
                          for i in changes.inventories})

    def test_an_operator_edit_is_still_overwritten_by_the_report(self):
        # Reports own their tree; an unchanged report must not let an
        # edit made since the last one stand.
        node = self.add_node()
        self.db.set_provider_traits(node.uuid, ['CUSTOM_EDITED'])
        self.db.set_provider_inventory(node.uuid, {
            'VCPU': {'total': 2}, 'MEMORY_MB': {'total': 4096},
            'DISK_GB': {'total': 100}})
        self.assertTrue(self.db.save_compute_node(
            base.make_node(uuid=node.uuid, report_seq=2)))
        shown = self.db.get_provider(node.uuid)
        self.assertEqual([], shown['traits'])
        self.assertEqual(8, shown['inventories']['VCPU']['total'])
        # And the next unchanged report takes the short way again.
        written = self.statements(
            lambda: self.db.save_compute_node(
                base.make_node(uuid=node.uuid, report_seq=3)))
        self.assertLessEqual(len(written), 6, written)
