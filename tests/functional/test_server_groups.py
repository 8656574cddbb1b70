"""Server group policies hold under concurrent claims on any worker.

A 2-worker gantt-scheduler on RabbitMQ, on SQLite and PostgreSQL, with
few hosts. Each round, 32 conductor threads at once ask for one instance
each of one anti-affinity group: exactly as many are placed as the policy
allows (one per host, or max_server_per_host), every other request is
refused with NoValidHost naming the policy, and the group's stored members
sit on the hosts their claims hold. The rounds run once with the server
group filters and once without them, when only the claim transaction
(gantt.db.server_group) stands between two workers and a broken policy.
Releasing a member's claim removes it from the group.
"""

import collections
import threading
import uuid

from gantt import exception
from gantt import objects
from tests.functional import claims_base

HOSTS = ['compute-%d' % i for i in range(4)]
REQUESTS = 32


class ServerGroupCases:

    def setUp(self):
        super().setUp()
        self.save_nodes([claims_base.node(h, vcpus=64, memory_mb=131072,
                                          local_gb=2000) for h in HOSTS])
        self.wait_for_workers()

    def spec(self, group_uuid, policy='anti-affinity', rules=None):
        spec = super().spec(vcpus=1, memory_mb=512, root_gb=1)
        spec.instance_group = objects.InstanceGroup(
            uuid=group_uuid, policy=policy, rules=rules or {},
            members=[], hosts=[])
        return spec

    def race(self, group_uuid, policy='anti-affinity', rules=None):
        """32 requests at once; ({instance: host}, [refusal messages],
        [other errors])."""
        placed, refused, errors = {}, [], []
        start = threading.Barrier(REQUESTS)

        def one():
            instance = str(uuid.uuid4())
            start.wait()
            try:
                result = self.scheduler.select_destinations(
                    self.ctxt, self.spec(group_uuid, policy, rules),
                    [instance])
                placed[instance] = result[0][0].service_host
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

    def assert_round(self, group_uuid, per_host, placed, refused, errors,
                     policy_name='anti-affinity'):
        self.assertEqual([], errors)
        per = collections.Counter(placed.values())
        self.assertEqual({}, {h: n for h, n in per.items() if n > per_host},
                         'hosts holding too many members')
        self.assertEqual(len(HOSTS) * per_host, len(placed))
        self.assertEqual(REQUESTS - len(placed), len(refused))
        self.assertEqual([], [m for m in refused if policy_name not in m])
        group = self.scheduler.get_server_group(self.ctxt, group_uuid)
        self.assertEqual(placed, group['members'])
        recorded = self.instance_hosts()
        self.assertEqual(placed, {i: recorded.get(i) for i in placed})
        self.assert_books_balance()

    def test_policies_never_broken_by_concurrent_claims(self):
        # A group created over RPC, one with a rule, one learned from the
        # RequestSpec alone.
        created = str(uuid.uuid4())
        self.scheduler.create_server_group(self.ctxt, created, 'web',
                                           'anti-affinity')
        ruled = str(uuid.uuid4())
        self.scheduler.create_server_group(
            self.ctxt, ruled, 'db', 'anti-affinity',
            rules={'max_server_per_host': 2})
        learned = str(uuid.uuid4())
        for group_uuid, per_host, rules in ((created, 1, None),
                                            (ruled, 2, None),
                                            (learned, 1, None)):
            self.assert_round(group_uuid, per_host,
                              *self.race(group_uuid, rules=rules))

        # Releasing a member frees its place in the group.
        group = self.scheduler.get_server_group(self.ctxt, created)
        gone, host = sorted(group['members'].items())[0]
        self.assertTrue(self.scheduler.delete_allocations(self.ctxt, gone))
        group = self.scheduler.get_server_group(self.ctxt, created)
        self.assertNotIn(gone, group['members'])
        placed, refused, errors = self.race(created)
        self.assertEqual([], errors)
        self.assertEqual([host], list(placed.values()))

        # Affinity: every member that is placed lands on one host.
        group_uuid = str(uuid.uuid4())
        self.scheduler.create_server_group(self.ctxt, group_uuid, 'app',
                                           'affinity')
        placed, refused, errors = self.race(group_uuid, policy='affinity')
        self.assertEqual([], errors)
        self.assertEqual(1, len(set(placed.values())), placed)
        self.assertEqual(REQUESTS, len(placed) + len(refused))
        self.assertEqual([], [m for m in refused if 'affinity' not in m])
        self.assertGreater(len(placed), 0)


class TestServerGroups(ServerGroupCases, claims_base.ClaimsTestCase):
    pass


class TestServerGroupsClaimAlone(ServerGroupCases,
                                 claims_base.ClaimsTestCase):
    """Without the server group filters: the claim alone keeps policies."""

    default_conf = (claims_base.ClaimsTestCase.default_conf +
                    '[filter_scheduler]\n'
                    'enabled_filters = ComputeFilter\n')
