"""Insert-or-update by uuid: a new uuid is inserted, a known one updated,
in the dialect's one statement and in the update-then-insert fallback."""

import sqlalchemy as sa

from gantt.db import models
from gantt.db import row_upsert
from tests.unit.db import base

_specs = models.RequestSpec.__table__
_UPSERT = row_upsert.Upsert(_specs, 'instance_uuid', {
    'spec': sa.bindparam('spec'), 'updated_at': sa.func.now()})


class _OtherDialect(object):
    """A connection whose dialect has no upsert statement."""

    class dialect(object):
        name = 'other'

    def __init__(self, conn):
        self.conn = conn

    def execute(self, *args):
        return self.conn.execute(*args)


class TestRowUpsert(base.StoreTestCase):

    def stored(self, conn):
        return dict(conn.execute(sa.select(
            _specs.c.instance_uuid, _specs.c.spec)).all())

    def check(self, wrap):
        with self.db.claim_writer() as (conn, _seq):
            target = wrap(conn)
            _UPSERT.execute(target, [])
            _UPSERT.execute(target, [{'uuid': 'a', 'spec': '1'},
                                     {'uuid': 'b', 'spec': '2'}])
            _UPSERT.execute(target, [{'uuid': 'a', 'spec': '3'},
                                     {'uuid': 'c', 'spec': '4'}])
            self.assertEqual({'a': '3', 'b': '2', 'c': '4'},
                             self.stored(conn))

    def test_inserts_new_and_updates_known_rows(self):
        self.check(lambda conn: conn)

    def test_fallback_without_an_upsert_statement(self):
        self.check(_OtherDialect)
