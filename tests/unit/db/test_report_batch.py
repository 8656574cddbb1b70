"""Coalescing and digests of a batch of compute reports."""

import testtools

from gantt.db import compute_node
from gantt.db import report_batch
from gantt.objects import compute_node as node_obj
from tests.unit.db import base


NODE_A = 'aaaaaaaa-0000-4000-8000-000000000001'
NODE_B = 'bbbbbbbb-0000-4000-8000-000000000002'


class _Row:
    def __init__(self, **kw):
        defaults = dict(deleted=False, report_seq=1, report_digest='d',
                        tree_seq=5, change_seq=5)
        defaults.update(kw)
        self.__dict__.update(defaults)


class TestDigest(testtools.TestCase):

    def test_same_facts_new_sequence_same_digest(self):
        node = base.make_node(report_seq=1)
        again = base.make_node(uuid=node.uuid, report_seq=9)
        self.assertEqual(compute_node.digest(node),
                         compute_node.digest(again))

    def test_changed_fact_changes_digest(self):
        node = base.make_node(vcpus=8)
        bigger = base.make_node(uuid=node.uuid, vcpus=16)
        self.assertNotEqual(compute_node.digest(node),
                            compute_node.digest(bigger))

    def test_received_wire_form_gives_the_digest(self):
        from gantt import context
        from gantt import rpc
        serializer = rpc.get_serializer()
        node = base.make_node(report_seq=3)
        primitive = node.obj_to_primitive()
        received = serializer.deserialize_entity(
            context.get_admin_context(), primitive)
        self.assertEqual(node_obj.report_digest(primitive),
                         compute_node.digest(received))
        # Reading the digest leaves the sequence in the wire form.
        self.assertEqual(3, primitive['versioned_object.data']['report_seq'])


class TestCoalescing(testtools.TestCase):

    def test_newest_report_of_each_node_counts(self):
        a1 = base.make_node(uuid=NODE_A, report_seq=1)
        b = base.make_node(uuid=NODE_B, report_seq=1)
        a3 = base.make_node(uuid=NODE_A, report_seq=3)
        a2 = base.make_node(uuid=NODE_A, report_seq=2)
        self.assertEqual([1, 2],
                         report_batch.newest_per_node([a1, b, a3, a2]))

    def test_first_of_equal_reports_counts(self):
        a = base.make_node(uuid=NODE_A, report_seq=4)
        same = base.make_node(uuid=NODE_A, report_seq=4)
        self.assertEqual([0], report_batch.newest_per_node([a, same]))


class TestUnchanged(testtools.TestCase):

    def test_newer_report_with_same_digest_is_unchanged(self):
        self.assertTrue(report_batch.is_unchanged(_Row(), 2, 'd'))

    def test_other_digest_is_a_change(self):
        self.assertFalse(report_batch.is_unchanged(_Row(), 2, 'e'))

    def test_row_without_digest_is_a_change(self):
        self.assertFalse(report_batch.is_unchanged(
            _Row(report_digest=None), 2, 'd'))

    def test_tree_written_since_the_report_is_a_change(self):
        self.assertFalse(report_batch.is_unchanged(
            _Row(tree_seq=7, change_seq=5), 2, 'd'))

    def test_deleted_node_is_a_change(self):
        self.assertFalse(report_batch.is_unchanged(
            _Row(deleted=True), 2, 'd'))

    def test_new_node_is_not_unchanged(self):
        self.assertFalse(report_batch.is_unchanged(None, 2, 'd'))


class TestBatchStore(base.StoreTestCase):

    def test_unchanged_reports_write_no_tree_and_move_the_node(self):
        nodes = [base.make_node(host='h%d' % i) for i in range(3)]
        self.assertEqual([True] * 3, self.db.save_compute_nodes(nodes))
        seq = self.db.current_seq()
        again = [base.make_node(uuid=n.uuid, host=n.host, report_seq=2)
                 for n in nodes]
        self.assertEqual([True] * 3, self.db.save_compute_nodes(again))
        changes = self.db.get_changes(seq)
        self.assertEqual([2, 2, 2],
                         [n['report_seq'] for n in changes.compute_nodes])
        self.assertEqual([], changes.inventories)
        self.assertEqual([], changes.providers)

    def test_duplicate_reports_in_a_batch_store_the_newest(self):
        node = base.make_node(report_seq=1)
        newer = base.make_node(uuid=node.uuid, report_seq=2, vcpus=16)
        self.assertEqual([False, True],
                         self.db.save_compute_nodes([node, newer]))
        self.assertEqual(16, self.inventory(node.uuid, 'VCPU')['total'])

    def test_new_plain_node_matches_the_whole_way(self):
        plain = base.make_node(host='plain')
        self.assertTrue(self.db.save_compute_nodes([plain])[0])
        inv = self.inventory(plain.uuid, 'MEMORY_MB')
        self.assertEqual((4096, 0, 4096), (inv['total'], inv['used'],
                                           inv['capacity']))
        tree = self.db.get_changes(0).providers
        self.assertEqual([(plain.uuid, 1)],
                         [(p['uuid'], p['generation']) for p in tree])


class TestFeedParsesOncePerDigest(base.StoreTestCase):

    def test_unchanged_report_reuses_the_parsed_node(self):
        node = base.make_node(report_seq=1)
        self.db.save_compute_node(node)
        first = self.db.get_changes(0).compute_nodes[0]['node']
        seq = self.db.current_seq()
        self.db.save_compute_node(base.make_node(uuid=node.uuid,
                                                 report_seq=2))
        again = self.db.get_changes(seq).compute_nodes
        self.assertEqual(2, again[0]['report_seq'])
        self.assertIs(first, again[0]['node'])

    def test_changed_report_is_parsed_again(self):
        node = base.make_node(report_seq=1, vcpus=8)
        self.db.save_compute_node(node)
        first = self.db.get_changes(0).compute_nodes[0]['node']
        seq = self.db.current_seq()
        self.db.save_compute_node(base.make_node(uuid=node.uuid,
                                                 report_seq=2, vcpus=16))
        again = self.db.get_changes(seq).compute_nodes[0]['node']
        self.assertIsNot(first, again)
        self.assertEqual(16, again.resources.vcpus)
