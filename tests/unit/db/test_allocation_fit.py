"""The claim's SQL condition and the engine's fit rule accept the same rows.

Random inventories (seeded: totals, reserved, awkward ratios such as 0.29
and 0.57, used, min/max unit, step) are written through the store's own
path into a database the migrations built; random amounts are then asked
of every inventory twice: by gantt.fit.fits over numpy columns built as the
engine builds them, and by the claim's real conditional UPDATE
(gantt.db.allocation.take_statement), one row at a time and in batches.
The rows that accept must be the same. tests/functional/db/test_servers.py
runs the same cases on PostgreSQL and MySQL.
"""

import random

import numpy as np
import sqlalchemy as sa

from gantt.db import allocation
from gantt.db import models
from gantt import fit
from tests.unit.db import base

RATIOS = (1.0, 0.29, 0.57, 0.1, 0.3, 0.7, 1.1, 1.5, 2.5, 16.0)
CLASSES = ['CUSTOM_R%d' % i for i in range(8)]
PROVIDERS = 25
BATCH = 40

_inventories = models.Inventory.__table__


def _inventory(rng):
    total = rng.choice((0, 1, 2, 7, 10, 64, 100, 1000, rng.randint(0, 5000)))
    reserved = rng.choice((0, 0, 1, rng.randint(0, total + 2)))
    ratio = rng.choice(RATIOS + (round(rng.uniform(0.05, 4.0), 2),))
    min_unit = rng.choice((1, 1, 2, rng.randint(1, 16)))
    max_unit = rng.choice((total, min_unit, rng.randint(1, total + 8)))
    step = rng.choice((1, 1, 2, 3, 8, 256))
    return {'total': total, 'reserved': reserved, 'allocation_ratio': ratio,
            'min_unit': min_unit, 'max_unit': max_unit, 'step_size': step}


def _amounts(rng, row):
    """Amounts near every edge of one inventory row."""
    free = row['capacity'] - row['used']
    edges = [free, free + 1, free - 1, row['min_unit'], row['min_unit'] - 1,
             row['max_unit'], row['max_unit'] + 1, row['step_size'],
             row['step_size'] * rng.randint(1, 4), rng.randint(1, 300)]
    return [a for a in edges if a > 0]


class FitAgreementCases:
    """Needs a base.StoreTestCase."""

    seed = 1717

    def setUp(self):
        super().setUp()
        self.rng = random.Random(self.seed)
        self.rows = self._write_inventories()

    def _write_inventories(self):
        """Inventory rows of fresh providers, written as operators write
        them, with random ``used`` (over capacity now and then)."""
        for i in range(PROVIDERS):
            uuid = '00000000-0000-4000-8000-%012d' % i
            self.db.create_provider(uuid, 'p%d' % i)
            self.db.set_provider_inventory(uuid, {
                rc: _inventory(self.rng) for rc in CLASSES})
        with self.db.writer() as session:
            rows = [dict(row._mapping) for row in session.execute(
                sa.select(_inventories).order_by(_inventories.c.id))]
            for row in rows:
                row['used'] = self.rng.randint(0, row['capacity'] + 3)
                session.execute(sa.update(_inventories)
                                .where(_inventories.c.id == row['id'])
                                .values(used=row['used']))
        return rows

    def _asks(self):
        """(row index, amount) pairs: every row, many amounts."""
        asks = [(i, amount) for i, row in enumerate(self.rows)
                for amount in _amounts(self.rng, row)]
        self.rng.shuffle(asks)
        return asks

    def engine_accepts(self, asks):
        """Indexes into ``asks`` that gantt.fit.fits accepts, over float
        columns with capacity from fit.capacity, as the engine holds them."""
        rows = [self.rows[i] for i, _amount in asks]

        def column(values):
            return np.array(values, dtype=np.float64)
        cap = column([fit.capacity(r['total'], r['reserved'],
                                   r['allocation_ratio']) for r in rows])
        ok = fit.fits(cap, column([r['used'] for r in rows]),
                      column([r['min_unit'] for r in rows]),
                      column([r['max_unit'] for r in rows]),
                      column([r['step_size'] for r in rows]),
                      column([amount for _i, amount in asks]))
        return set(np.flatnonzero(ok).tolist())

    def sql_accepts(self, asks, batch):
        """Indexes into ``asks`` whose inventory row the claim's UPDATE
        changes, ``batch`` asks per statement (each row once per batch);
        every statement is rolled back so each ask sees the rows as
        written."""
        accepted = set()
        pending = list(enumerate(asks))
        while pending:
            chunk, seen, rest = [], set(), []
            for entry in pending:
                row_id = self.rows[entry[1][0]]['id']
                if len(chunk) < batch and row_id not in seen:
                    chunk.append(entry)
                    seen.add(row_id)
                else:
                    rest.append(entry)
            pending = rest
            by_row = {self.rows[i]['id']: n for n, (i, _a) in chunk}
            params = {'seq': 1}
            for k, (_n, (i, amount)) in enumerate(chunk):
                params['id_%d' % k] = self.rows[i]['id']
                params['amount_%d' % k] = amount
                params['times_%d' % k] = 1
            with self.db.engine.connect() as conn:
                returning = conn.dialect.update_returning
                with conn.begin() as transaction:
                    result = conn.execute(
                        allocation.take_statement(len(chunk), returning),
                        params)
                    taken = (set(result.scalars()) if returning
                             else self._changed(conn, chunk))
                    transaction.rollback()
            accepted |= {by_row[row_id] for row_id in taken}
        return accepted

    def _changed(self, conn, chunk):
        ids = [self.rows[i]['id'] for _n, (i, _a) in chunk]
        return {row.id for row in conn.execute(
            sa.select(_inventories.c.id, _inventories.c.used)
            .where(_inventories.c.id.in_(ids)))
            if row.used != self.rows[self._index(row.id)]['used']}

    def _index(self, row_id):
        return next(i for i, r in enumerate(self.rows) if r['id'] == row_id)

    def test_the_store_keeps_the_capacity_the_engine_computes(self):
        for row in self.rows:
            self.assertEqual(
                fit.capacity(row['total'], row['reserved'],
                             row['allocation_ratio']), row['capacity'], row)

    def test_one_row_per_statement_accepts_what_the_engine_accepts(self):
        asks = self._asks()
        engine = self.engine_accepts(asks)
        self.assertNotIn(len(engine), (0, len(asks)))
        self.assertEqual(engine, self.sql_accepts(asks, batch=1))

    def test_batched_statements_accept_what_the_engine_accepts(self):
        asks = self._asks()
        self.assertEqual(self.engine_accepts(asks),
                         self.sql_accepts(asks, batch=BATCH))


class TestFitAgreement(FitAgreementCases, base.StoreTestCase):
    pass
