"""Racing claims never over-commit, on SQLite and on PostgreSQL.

Eight threads sharing one Database, and separately two processes each
with its own, claim and release on a small inventory. Afterwards ``used``
equals the sum of the allocations, never exceeds capacity, and every
claim that succeeded (and was not released) holds exactly one allocation.
"""

import multiprocessing
import random
import threading
import uuid as uuid_lib

import sqlalchemy as sa
import testscenarios

from gantt.db import api
from gantt.db import models
from gantt import exception
from tests.functional.db import base as pg
from tests.unit.db import base

CAPACITY = 10
ATTEMPTS = 30


def race(db, rp_uuid, attempts, seed):
    """Claim 1-3 VCPU ``attempts`` times, releasing some; the kept ones."""
    rng = random.Random(seed)
    kept, conflicts = [], 0
    for _ in range(attempts):
        consumer = str(uuid_lib.uuid4())
        amount = rng.randint(1, 3)
        try:
            db.claim(consumer, base.alloc_req(rp_uuid, VCPU=amount),
                     base.PROJECT, base.USER)
        except exception.ClaimConflict:
            conflicts += 1
            continue
        if rng.random() < 0.3:
            db.delete_allocations(consumer)
        else:
            kept.append((consumer, amount))
    return kept, conflicts


def _process_main(args):
    state_path, url, rp_uuid, attempts, seed = args
    conf = base.make_conf(state_path, None if url.startswith('sqlite')
                          else url)
    db = api.Database(conf)
    try:
        return race(db, rp_uuid, attempts, seed)
    finally:
        db.dispose()


class TestConcurrentClaims(testscenarios.WithScenarios, base.StoreTestCase):

    scenarios = [('sqlite', dict(backend='sqlite')),
                 ('postgresql', dict(backend='postgresql'))]

    def setUp(self):
        if self.backend == 'postgresql':
            pg.skip_without_postgres(self)
            self.postgres_url = pg.postgres_url()
        super().setUp()
        self.rp = self.add_node(vcpus=CAPACITY).uuid

    def _check(self, kept, conflicts):
        self.assertGreater(conflicts, 0, 'the race never contended')
        self.assertEqual(len(kept), len({c for c, _n in kept}))
        alloc = models.Allocation.__table__
        consumers = models.Consumer.__table__
        with self.db.reader() as session:
            rows = session.execute(
                sa.select(consumers.c.uuid, alloc.c.resource_class,
                          alloc.c.used)
                .join(consumers, consumers.c.id == alloc.c.consumer_id)
            ).all()
        self.assertEqual(sorted((c, 'VCPU', n) for c, n in kept),
                         sorted(tuple(r) for r in rows))
        used = self.used(self.rp, 'VCPU')
        self.assertEqual(sum(n for _c, n in kept), used)
        self.assertLessEqual(used, CAPACITY)
        self.assertEqual([], self.db.overcommitted_providers())

    def test_eight_threads_never_overcommit(self):
        results, seen_used = [], []
        start = threading.Barrier(9)
        done = threading.Event()

        def worker(seed):
            start.wait()
            results.append(race(self.db, self.rp, ATTEMPTS, seed))

        def observer():
            # What any reader sees mid-race is never over capacity.
            start.wait()
            while not done.is_set():
                seen_used.append(self.used(self.rp, 'VCPU'))

        threads = [threading.Thread(target=worker, args=(i,))
                   for i in range(8)]
        watcher = threading.Thread(target=observer)
        for t in threads + [watcher]:
            t.start()
        for t in threads:
            t.join(120)
        done.set()
        watcher.join(30)
        self.assertEqual(8, len(results))
        self.assertTrue(seen_used)
        self.assertLessEqual(max(seen_used), CAPACITY)
        self._check([k for kept, _c in results for k in kept],
                    sum(c for _k, c in results))

    def test_two_processes_never_overcommit(self):
        self.db.dispose()
        args = [(self.conf.state_path, self.db.url, self.rp, ATTEMPTS * 2,
                 seed)
                for seed in (1, 2)]
        with multiprocessing.get_context('fork').Pool(2) as pool:
            results = pool.map(_process_main, args)
        self._check([k for kept, _c in results for k in kept],
                    sum(c for _k, c in results))
