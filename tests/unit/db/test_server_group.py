"""Server groups in the store, and the policy check inside a claim."""

import uuid as uuid_lib

from gantt import exception
from tests.unit.db import base


def _uuid():
    return str(uuid_lib.uuid4())


class TestServerGroupStore(base.StoreTestCase):

    def setUp(self):
        super().setUp()
        self.nodes = {h: self.add_node(host=h, vcpus=8).uuid
                      for h in ('a', 'b', 'c')}

    def claim(self, group, *hosts):
        claims = [(_uuid(), base.alloc_req(self.nodes[h], VCPU=1),
                   base.PROJECT, base.USER, h, h) for h in hosts]
        self.db.claim_instances(claims, group=group)
        return [c[0] for c in claims]

    def test_create_update_delete(self):
        g = _uuid()
        made = self.db.create_server_group(g, 'web', 'anti-affinity',
                                           {'max_server_per_host': 2})
        self.assertEqual(('web', 'anti-affinity', {'max_server_per_host': 2},
                          {}), (made['name'], made['policy'], made['rules'],
                                made['members']))
        self.assertRaises(exception.ServerGroupExists,
                          self.db.create_server_group, g, 'x', 'affinity')
        self.assertEqual('db', self.db.update_server_group(g, 'db')['name'])
        self.assertEqual([g], [x['uuid']
                               for x in self.db.get_server_groups()])
        self.assertTrue(self.db.delete_server_group(g))
        self.assertIsNone(self.db.get_server_group(g))
        self.assertFalse(self.db.delete_server_group(g))

    def test_bad_policy_or_rule_is_refused_naming_it(self):
        err = self.assertRaises(exception.InvalidRequest,
                                self.db.create_server_group, _uuid(), 'w',
                                'spread')
        self.assertIn("'spread'", str(err))
        err = self.assertRaises(exception.InvalidRequest,
                                self.db.create_server_group, _uuid(), 'w',
                                'anti-affinity', {'max_server_per_host': 0})
        self.assertIn('max_server_per_host', str(err))

    def test_anti_affinity_claim_on_a_member_host_is_refused(self):
        g = _uuid()
        self.db.create_server_group(g, 'web', 'anti-affinity')
        group = {'uuid': g, 'policy': 'anti-affinity'}
        self.claim(group, 'a')
        err = self.assertRaises(exception.ServerGroupPolicyConflict,
                                self.claim, group, 'a')
        self.assertIn('anti-affinity', str(err))
        self.assertIsInstance(err, exception.ClaimConflict)
        self.assertEqual(1, self.used(self.nodes['a'], 'VCPU'))
        self.claim(group, 'b')
        members = self.db.get_server_group(g)['members']
        self.assertEqual(['a', 'b'], sorted(members.values()))

    def test_member_claimed_again_on_its_host_does_not_count_itself(self):
        # A resize in place claims the member on its own host again.
        group = {'uuid': _uuid(), 'policy': 'anti-affinity'}
        member, = self.claim(group, 'a')
        self.claim(group, 'b')
        self.db.claim_instances([(member, base.alloc_req(
            self.nodes['a'], VCPU=2), base.PROJECT, base.USER, 'a', 'a')],
            group=group)
        self.assertEqual({'a', 'b'}, set(self.db.get_server_group(
            group['uuid'])['members'].values()))
        self.assertEqual(member, next(
            m for m, h in self.db.get_server_group(group['uuid'])[
                'members'].items() if h == 'a'))
        # Another instance on that host is still refused.
        self.assertRaises(exception.ServerGroupPolicyConflict,
                          self.claim, group, 'a')

    def test_two_instances_of_one_request_on_one_host_are_refused(self):
        group = {'uuid': _uuid(), 'policy': 'anti-affinity'}
        self.assertRaises(exception.ServerGroupPolicyConflict,
                          self.claim, group, 'c', 'c')
        self.assertEqual(0, self.used(self.nodes['c'], 'VCPU'))

    def test_max_server_per_host_rule(self):
        group = {'uuid': _uuid(), 'policy': 'anti-affinity',
                 'rules': {'max_server_per_host': '2'}}
        self.claim(group, 'a', 'a')
        self.assertRaises(exception.ServerGroupPolicyConflict,
                          self.claim, group, 'a')

    def test_affinity_keeps_members_on_the_first_host(self):
        group = {'uuid': _uuid(), 'policy': 'affinity'}
        self.claim(group, 'b')
        self.assertRaises(exception.ServerGroupPolicyConflict,
                          self.claim, group, 'c')
        self.claim(group, 'b')

    def test_soft_policies_are_not_enforced(self):
        group = {'uuid': _uuid(), 'policy': 'soft-anti-affinity'}
        self.claim(group, 'a', 'a')
        self.assertEqual(2, len(self.db.get_server_group(
            group['uuid'])['members']))

    def test_learned_group_takes_known_members_hosts(self):
        known = self.claim(None, 'a')[0]
        group = {'uuid': _uuid(), 'policy': 'anti-affinity',
                 'members': [known, _uuid()]}
        self.assertRaises(exception.ServerGroupPolicyConflict,
                          self.claim, group, 'a')
        self.claim(group, 'b')
        self.assertEqual({known: 'a'}, {
            k: v for k, v in self.db.get_server_group(
                group['uuid'])['members'].items() if k == known})

    def test_release_removes_the_member(self):
        group = {'uuid': _uuid(), 'policy': 'anti-affinity'}
        member = self.claim(group, 'a')[0]
        self.assertTrue(self.db.delete_allocations(member))
        self.assertEqual({}, self.db.get_server_group(
            group['uuid'])['members'])
        self.claim(group, 'a')

    def test_audit_release_of_an_orphan_removes_the_member(self):
        group = {'uuid': _uuid(), 'policy': 'anti-affinity'}
        member = self.claim(group, 'a')[0]
        self.assertTrue(self.db.delete_instance('a', member))
        orphans = self.db.audit_allocations(0, fix=True)
        self.assertEqual([member], [o['consumer_uuid'] for o in orphans])
        self.assertEqual({}, self.db.get_server_group(
            group['uuid'])['members'])
