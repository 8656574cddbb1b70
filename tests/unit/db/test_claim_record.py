"""What a claim records beside its allocations (gantt.db.claim_record):
the instance on its host, its RequestSpec and its decision, written and
rewritten with the claim, on every store."""

import datetime

from gantt.db import timestamps
from tests.unit.db import base

INSTANCE = '22222222-2222-4222-8222-222222222222'


class TestClaimRecord(base.StoreTestCase):

    def setUp(self):
        super().setUp()
        self.node = self.add_node(host='host1', vcpus=8)

    def claim(self, node_name, spec, selections, uuids=(INSTANCE,)):
        since = timestamps.utcnow() - datetime.timedelta(seconds=60)
        self.db.claim_instances(
            [(uuid, base.alloc_req(self.node.uuid, VCPU=1), 'p', 'u',
              'host1', node_name) for uuid in uuids],
            digest='d-' + spec,
            decided={uuid: selections for uuid in uuids},
            specs={uuid: {'spec': spec} for uuid in uuids})
        return since

    def hosted(self, uuid=INSTANCE):
        return {(i['host'], i['node']) for i in
                self.db.get_changes(0).instances
                if i['instance_uuid'] == uuid and not i.get('deleted')}

    def test_claim_records_instance_spec_and_decision(self):
        since = self.claim('host1', 'first', '[1]')
        self.assertEqual({('host1', 'host1')}, self.hosted())
        self.assertEqual({'spec': 'first'},
                         self.db.get_request_spec(INSTANCE))
        found = self.db.find_decisions([INSTANCE], 'd-first', since)
        self.assertEqual('[1]', found[INSTANCE][0])

    def test_claim_again_rewrites_all_three(self):
        self.claim('host1', 'first', '[1]')
        since = self.claim('node-b', 'second', '[2]')
        self.assertEqual({('host1', 'node-b')}, self.hosted())
        self.assertEqual({'spec': 'second'},
                         self.db.get_request_spec(INSTANCE))
        self.assertEqual(
            {}, self.db.find_decisions([INSTANCE], 'd-first', since))
        found = self.db.find_decisions([INSTANCE], 'd-second', since)
        self.assertEqual('[2]', found[INSTANCE][0])

    def test_several_instances_are_each_recorded(self):
        other = '33333333-3333-4333-8333-333333333333'
        since = self.claim('host1', 'both', '[3]', uuids=(INSTANCE, other))
        for uuid in (INSTANCE, other):
            self.assertEqual({('host1', 'host1')}, self.hosted(uuid))
            self.assertEqual({'spec': 'both'},
                             self.db.get_request_spec(uuid))
        self.assertEqual({INSTANCE, other}, set(self.db.find_decisions(
            [INSTANCE, other], 'd-both', since)))
