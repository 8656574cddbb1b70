"""Fifty racing requests for the last forty-nine places among 1,000 hosts.

A 2-worker gantt-scheduler on SQLite, then on PostgreSQL: 1,000 hosts
are written into its store, almost all of them full (each in its own way:
out of vCPU, of RAM, of disk), so that exactly 49 more instances of the
flavor fit. Fifty conductor threads ask at once, each for its own
instance: 49 are placed, one gets NoValidHost, nothing is over capacity and
every placed instance holds its allocation exactly once.
"""

import threading
import uuid

from gantt import exception
from tests.functional import claims_base

HOSTS = 1000
FLAVOR = claims_base.flavor_resources(vcpus=2, memory_mb=2048, root_gb=20)
REQUESTS = 50
FITS = 49
# Every host: 4 vCPU, 8 GiB, 80 GB; an empty one takes two instances.
SIZE = dict(vcpus=4, memory_mb=8192, local_gb=80)
# What pre-claimed consumers hold on the full hosts, in rotation: each
# leaves room for no instance of FLAVOR, for a different reason.
FULL = [
    {'VCPU': 4},                                    # no vCPU left
    {'VCPU': 3, 'MEMORY_MB': 1024},                 # 1 vCPU left
    {'VCPU': 1, 'MEMORY_MB': 7000},                 # 1192 MB left
    {'VCPU': 1, 'MEMORY_MB': 1024, 'DISK_GB': 70},  # 10 GB left
]
EMPTY = 24              # 2 places each: 48
HALF = 1                # 1 place: 49


class TestLastPlaces(claims_base.ClaimsTestCase):

    def _preload(self):
        names = ['compute-%04d' % i for i in range(HOSTS)]
        rps = self.save_nodes([claims_base.node(h, **SIZE) for h in names])
        full = names[EMPTY + HALF:]
        claims = [(rps[h], FLAVOR) for h in names[EMPTY:EMPTY + HALF]]
        claims += [(rps[h], FULL[i % len(FULL)]) for i, h in enumerate(full)]
        self.preclaim(claims)
        self.assert_books_balance()
        return rps

    def test_fifty_requests_for_forty_nine_places(self):
        rps = self._preload()
        self.wait_for_workers()
        uuids = [str(uuid.uuid4()) for _ in range(REQUESTS)]
        placed, refused, errors = {}, [], []
        start = threading.Barrier(REQUESTS)

        def conductor(instance):
            start.wait()
            try:
                result = self.scheduler.select_destinations(
                    self.ctxt, self.spec(), [instance])
            except exception.NoValidHost as exc:
                refused.append((instance, str(exc)))
            except Exception as exc:  # anything else fails the test
                errors.append((instance, repr(exc)))
            else:
                placed[instance] = result[0][0]

        threads = [threading.Thread(target=conductor, args=(u,))
                   for u in uuids]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual([], errors)
        self.assertEqual(FITS, len(placed), refused)
        self.assertEqual(REQUESTS - FITS, len(refused))

        self.assert_books_balance()
        # Every placed instance holds what it was told, once, where it
        # was told; the refused one holds nothing.
        open_hosts = set(list(rps)[:EMPTY + HALF])
        per_host = {}
        for instance, sel in placed.items():
            self.assertIn(sel.service_host, open_hosts)
            rp_uuid, resources = self.claimed(sel)
            self.assertEqual(rps[sel.service_host], rp_uuid)
            self.assertEqual(FLAVOR, resources)
            self.assert_holds(instance, rp_uuid, FLAVOR)
            per_host[sel.service_host] = per_host.get(sel.service_host,
                                                      0) + 1
        self.assertLessEqual(max(per_host.values()), 2)
        self.assert_holds_nothing(refused[0][0])
        recorded = self.instance_hosts()
        self.assertEqual({i: sel.service_host for i, sel in placed.items()},
                         {i: h for i, h in recorded.items() if i in uuids})
        self.assertEqual(set(placed), self.consumer_uuids() & set(uuids))
        # Every host is full now: the next request finds none.
        self.assertRaises(exception.NoValidHost,
                          self.scheduler.select_destinations, self.ctxt,
                          self.spec(), [str(uuid.uuid4())])
