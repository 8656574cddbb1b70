"""The allocation audit finds consumers no compute reports."""

import uuid as uuid_lib

from tests.unit.db import base


class TestAudit(base.StoreTestCase):

    def setUp(self):
        super().setUp()
        self.rp = self.add_node(vcpus=8).uuid
        self.live = str(uuid_lib.uuid4())
        self.orphan = str(uuid_lib.uuid4())
        for consumer in (self.live, self.orphan):
            self.db.claim(consumer,
                          base.alloc_req(self.rp, VCPU=2), base.PROJECT,
                          base.USER)
        self.db.add_instances('host1', 'host1', [self.live])

    def test_recent_consumers_are_left_alone(self):
        self.assertEqual([], self.db.audit_allocations(3600))

    def test_lists_orphans_past_grace_without_fixing(self):
        [orphan] = self.db.audit_allocations(-1)
        self.assertEqual(self.orphan, orphan['consumer_uuid'])
        self.assertEqual({self.rp: {'VCPU': 2}}, orphan['allocations'])
        self.assertEqual(base.PROJECT, orphan['project_id'])
        self.assertEqual(4, self.used(self.rp, 'VCPU'))

    def test_fix_releases_orphans_only(self):
        fixed = self.db.audit_allocations(-1, fix=True)
        self.assertEqual([self.orphan], [o['consumer_uuid'] for o in fixed])
        self.assertEqual(2, self.used(self.rp, 'VCPU'))
        self.assertEqual({'allocations': {}},
                         self.db.get_allocations(self.orphan))
        self.assertEqual([], self.db.audit_allocations(-1))

    def test_deleted_instance_makes_its_consumer_an_orphan(self):
        self.db.delete_instance('host1', self.live)
        self.assertEqual(
            {self.live, self.orphan},
            {o['consumer_uuid']
             for o in self.db.audit_allocations(-1)})
