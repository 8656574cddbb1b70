"""Gang scheduling through a real daemon: several RequestSpecs at once.

A 2-worker gantt-scheduler on RabbitMQ, on SQLite and PostgreSQL, four
hosts. A gang of three RequestSpecs of different flavors in one
anti-affinity group is placed on four different hosts and every instance
holds its flavor's claim; a gang one instance too big for the group is
refused naming the request that did not fit, and claims nothing.
"""

import uuid

from gantt import exception
from gantt import objects
from tests.functional import claims_base

HOSTS = ['compute-%d' % i for i in range(4)]


class TestGang(claims_base.ClaimsTestCase):

    def setUp(self):
        super().setUp()
        self.save_nodes([claims_base.node(h, vcpus=16, memory_mb=32768,
                                          local_gb=400) for h in HOSTS])
        self.wait_for_workers()

    def gang(self, group, *flavors):
        specs = []
        for vcpus, memory_mb in flavors:
            spec = self.spec(vcpus=vcpus, memory_mb=memory_mb, root_gb=10)
            spec.instance_group = group
            specs.append(spec)
        return specs

    def test_gang_all_or_nothing(self):
        group = objects.InstanceGroup(uuid=str(uuid.uuid4()),
                                      policy='anti-affinity')
        specs = self.gang(group, (1, 1024), (2, 4096), (4, 8192))
        uuids = [[str(uuid.uuid4())], [str(uuid.uuid4()), str(uuid.uuid4())],
                 [str(uuid.uuid4())]]
        specs[1].num_instances = 2
        result = self.scheduler.select_gang(self.ctxt, specs, uuids,
                                            return_alternates=True)
        self.assertEqual([1, 2, 1], [len(r) for r in result])
        hosts = set()
        for spec, instances, answer in zip(specs, uuids, result):
            for instance, selections in zip(instances, answer):
                rp_uuid, resources = self.claimed(selections[0])
                self.assertEqual(spec.flavor.memory_mb,
                                 resources['MEMORY_MB'])
                self.assert_holds(instance, rp_uuid, resources)
                hosts.add(selections[0].service_host)
        self.assertEqual(set(HOSTS), hosts)
        self.assert_books_balance()
        ledger = self.ledger()

        # One more member of the group has no host left: nothing claimed.
        more = self.gang(group, (1, 1024), (1, 1024))
        fresh = [[str(uuid.uuid4())], [str(uuid.uuid4())]]
        err = self.assertRaises(exception.NoValidHost,
                                self.scheduler.select_gang, self.ctxt, more,
                                fresh)
        self.assertIn('request 1 of 2 (instances %s)' % fresh[0][0],
                      str(err))
        self.assertIn('anti-affinity', str(err))
        self.assertEqual(ledger, self.ledger())
        for instance in (fresh[0][0], fresh[1][0]):
            self.assert_holds_nothing(instance)
