"""Instance records: placed in one statement where the dialect has an
upsert, in two (update, then insert) where it has not."""

import uuid as uuid_lib

import testscenarios

from gantt.db import instance
from tests.unit.db import base


class TestInstanceRecords(testscenarios.WithScenarios, base.StoreTestCase):

    scenarios = [('upsert', dict(upsert=True)),
                 ('update_then_insert', dict(upsert=False))]

    def setUp(self):
        super().setUp()
        if not self.upsert:
            self.patch(instance, '_UPSERT', {})

    def test_an_instance_is_recorded_then_moved(self):
        a, b = str(uuid_lib.uuid4()), str(uuid_lib.uuid4())
        self.db.add_instances('h1', 'n1', [a, b])
        self.assertTrue(self.db.delete_instance('h1', b))
        seq = self.db.current_seq()
        self.db.add_instances('h2', 'n2', [a, b])
        changed = sorted((i['instance_uuid'], i['host'], i['node'],
                          i['deleted'])
                         for i in self.db.get_changes(seq).instances)
        self.assertEqual(sorted([(a, 'h2', 'n2', False),
                                 (b, 'h2', 'n2', False)]), changed)
        self.assertEqual(2, self.count('instances'))

    def test_a_claim_records_its_instance(self):
        node = self.add_node()
        consumer = str(uuid_lib.uuid4())
        self.db.add_instances('elsewhere', 'n0', [consumer])
        self.db.claim(consumer, base.alloc_req(node.uuid, VCPU=1),
                      base.PROJECT, base.USER, instance=('host1', 'host1'))
        [row] = [i for i in self.db.get_changes(0).instances
                 if i['instance_uuid'] == consumer]
        self.assertEqual(('host1', 'host1'), (row['host'], row['node']))
