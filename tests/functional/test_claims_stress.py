"""Eight conductors hammer a 2-worker gantt-scheduler over scarce capacity.

Each conductor thread asks for hosts (mixed flavors, some requests for two
instances at once) and releases instances it holds beyond a quota, as
deletes would, so the hosts stay nearly full and requests keep losing
races. Every request ends placed or with NoValidHost and nothing else; a
watcher sees no provider over capacity at any time; afterwards each kept
instance holds its allocation exactly once, released and refused ones hold
nothing, and every inventory's ``used`` is the sum of its allocations.
"""

import os
import random
import sys
import threading
import time
import uuid

from gantt import exception
from tests.functional import claims_base

CONDUCTORS = 8
# Requests in total per backend; a server database's commit costs more.
REQUESTS = {'sqlite': 2000, 'postgresql': 800, 'mysql': 800}
HOSTS = 16
SIZE = dict(vcpus=16, memory_mb=32768, local_gb=400)
FLAVORS = [
    claims_base.flavor_resources(vcpus=1, memory_mb=1024, root_gb=10),
    claims_base.flavor_resources(vcpus=2, memory_mb=4096, root_gb=20),
    claims_base.flavor_resources(vcpus=4, memory_mb=8192, root_gb=40),
]
# Instances a conductor keeps before releasing one: 8 x 20 instances of
# ~2.3 vCPU on average want more than the 256 vCPU there are. A conductor
# refused also releases one (instances get deleted), so the hosts churn.
QUOTA = 20
TWO_AT_ONCE = 0.15


class Conductor(threading.Thread):
    """Asks, keeps, releases; records what happened to every instance."""

    def __init__(self, test, seed, requests, start):
        super().__init__()
        self.test = test
        self.rng = random.Random(seed)
        self.requests = requests
        self.start_line = start
        self.kept = {}          # instance -> (provider, resources)
        self.released = []
        self.refused = []
        self.placed = 0
        self.errors = []

    def run(self):
        self.start_line.wait()
        for _ in range(self.requests):
            try:
                self.one()
            except Exception as exc:  # anything else fails the test
                self.errors.append(repr(exc))

    def one(self):
        test = self.test
        flavor = self.rng.choice(FLAVORS)
        count = 2 if self.rng.random() < TWO_AT_ONCE else 1
        spec = test.spec(vcpus=flavor['VCPU'], memory_mb=flavor['MEMORY_MB'],
                         root_gb=flavor['DISK_GB'], num_instances=count)
        uuids = [str(uuid.uuid4()) for _ in range(count)]
        try:
            result = test.scheduler.select_destinations(test.ctxt, spec,
                                                        uuids)
        except exception.NoValidHost:
            self.refused.extend(uuids)
            # Full: some instance of ours is deleted before we try again.
            if self.kept:
                self.release()
            return
        if len(result) != count:
            raise AssertionError('%d selections for %d instances'
                                 % (len(result), count))
        self.placed += 1
        for instance, selections in zip(uuids, result):
            rp_uuid, resources = test.claimed(selections[0])
            if resources != {rc: n for rc, n in flavor.items() if n}:
                raise AssertionError('claimed %r for flavor %r'
                                     % (resources, flavor))
            self.kept[instance] = (rp_uuid, resources, selections[0])
        while len(self.kept) > QUOTA:
            self.release()

    def release(self):
        """Delete one instance we hold, as the conductor would."""
        test = self.test
        instance = self.rng.choice(sorted(self.kept))
        sel = self.kept.pop(instance)[2]
        if not test.scheduler.delete_allocations(test.ctxt, instance):
            raise AssertionError('%s held nothing to release' % instance)
        test.report.delete_instance_info(test.ctxt, sel.service_host,
                                         instance)
        self.released.append(instance)


class TestClaimsUnderLoad(claims_base.ClaimsTestCase):

    def test_conductors_never_overcommit(self):
        names = ['compute-%02d' % i for i in range(HOSTS)]
        self.save_nodes([claims_base.node(h, **SIZE) for h in names])
        self.wait_for_workers()
        total = REQUESTS[self.backend]
        start = threading.Barrier(CONDUCTORS + 1)
        conductors = [Conductor(self, seed, total // CONDUCTORS, start)
                      for seed in range(CONDUCTORS)]
        over, done = [], threading.Event()

        def watcher():
            # What the store holds mid-run is never over capacity.
            start.wait()
            while not done.wait(0.2):
                over.extend(self.db.overcommitted_providers())

        watching = threading.Thread(target=watcher)
        for t in conductors + [watching]:
            t.start()
        began = time.monotonic()
        for t in conductors:
            t.join(300)
        done.set()
        watching.join(30)
        elapsed = time.monotonic() - began
        placed = sum(c.placed for c in conductors)
        refused = sum(len(c.refused) for c in conductors)
        lost = self.daemon.log().count('Claim for ')
        self.addDetailUniqueName('timing', _text(
            '%s: %d requests by %d conductors in %.1f s: %d placed, %d '
            'instances refused, %d claims lost to a race'
            % (self.backend, total, CONDUCTORS, elapsed, placed, refused,
               lost)))
        if os.environ.get('GANTT_TEST_VERBOSE'):
            print(self.getDetails()['timing'].as_text(), file=sys.stderr)

        self.assertEqual([], [e for c in conductors for e in c.errors])
        self.assertEqual([], over)
        self.assertGreater(placed, 0)
        self.assertGreater(refused, 0, 'capacity was never scarce')

        self.assert_books_balance()
        kept = {i: v for c in conductors for i, v in c.kept.items()}
        released = [i for c in conductors for i in c.released]
        refused = [i for c in conductors for i in c.refused]
        # Exactly the kept instances hold allocations: nothing leaked
        # from lost claims, all-or-nothing requests or releases.
        self.assertEqual(set(kept), self.consumer_uuids())
        recorded = self.instance_hosts()
        for instance, (rp_uuid, resources, sel) in kept.items():
            self.assert_holds(instance, rp_uuid, resources)
            self.assertEqual(sel.service_host, recorded.get(instance))
        self.assertEqual(set(), set(refused) & set(recorded))
        for instance in self.rng_sample(released + refused, 50):
            self.assert_holds_nothing(instance)

    def rng_sample(self, items, n):
        return random.Random(0).sample(items, min(n, len(items)))


def _text(value):
    from testtools import content
    return content.text_content(value)
