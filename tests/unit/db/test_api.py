"""The Database's transactions: oslo.db's errors, and whole retries.

Statements run on the engine facade's connections, so a driver error
reaches the caller as oslo.db's exception; a deadlock (or a lost
connection) makes a write entry point run its whole transaction again,
never half of it.
"""

import uuid as uuid_lib

import fixtures
from oslo_db import exception as db_exc
import sqlalchemy as sa

from gantt.db import api
from gantt import exception
from tests.unit.db import base


class _FailsAfter:
    """Runs the real function, then raises DBDeadlock, ``times`` times:
    the transaction has done that much work when it is told to go."""

    def __init__(self, real, times):
        self.real = real
        self.left = times
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        result = self.real(*args, **kwargs)
        if self.left:
            self.left -= 1
            raise db_exc.DBDeadlock()
        return result


class TestRetries(base.StoreTestCase):

    def setUp(self):
        super().setUp()
        self.conf.set_override('db_retry_interval', 0, group='database')
        self.conf.set_override('db_max_retries', 2, group='database')
        # The retry reads its options when the Database is made.
        self.db = api.Database(self.conf)
        self.addCleanup(self.db.dispose)
        self.node = self.add_node(vcpus=4)

    def fail_after(self, target, times):
        module, name = target.rsplit('.', 1)
        real = getattr(__import__(module, fromlist=[name]), name)
        failing = _FailsAfter(real, times)
        self.useFixture(fixtures.MonkeyPatch(target, failing))
        return failing

    def test_deadlocked_claim_is_claimed_once(self):
        seq = self.db.current_seq()
        take = self.fail_after('gantt.db.allocation._take', 1)
        consumer = str(uuid_lib.uuid4())
        self.db.claim(consumer, base.alloc_req(self.node.uuid, VCPU=3),
                      base.PROJECT, base.USER, instance=('host1', 'host1'))
        self.assertEqual(2, take.calls)
        self.assertEqual(3, self.used(self.node.uuid, 'VCPU'))
        allocs = self.db.get_allocations(consumer)
        self.assertEqual({'VCPU': 3},
                         allocs['allocations'][self.node.uuid]['resources'])
        self.assertEqual(1, allocs['consumer_generation'])
        self.assertEqual(1, self.count('consumers'))
        self.assertEqual(seq + 1, self.db.current_seq())

    def test_deadlocked_release_is_released_once(self):
        consumer = str(uuid_lib.uuid4())
        self.db.claim(consumer, base.alloc_req(self.node.uuid, VCPU=3),
                      base.PROJECT, base.USER)
        release = self.fail_after('gantt.db.allocation._release', 1)
        self.assertTrue(self.db.delete_allocations(consumer))
        self.assertEqual(2, release.calls)
        self.assertEqual(0, self.used(self.node.uuid, 'VCPU'))

    def test_deadlocked_report_is_stored(self):
        touch = self.fail_after('gantt.db.report_batch._touch_services', 1)
        node = self.add_node(host='host2')
        self.assertEqual(2, touch.calls)
        self.assertEqual(3, len(
            [i for i in self.db.get_changes(0).inventories
             if i['provider_uuid'] == node.uuid]))

    def test_gives_up_after_the_configured_retries(self):
        seq = self.db.current_seq()
        take = self.fail_after('gantt.db.allocation._take', 10)
        self.assertRaises(
            db_exc.DBDeadlock, self.db.claim, str(uuid_lib.uuid4()),
            base.alloc_req(self.node.uuid, VCPU=1), base.PROJECT, base.USER)
        self.assertEqual(3, take.calls)
        self.assertEqual(0, self.used(self.node.uuid, 'VCPU'))
        self.assertEqual(0, self.count('consumers'))
        self.assertFalse(self.db.get_changes(seq))

    def test_a_lost_claim_is_not_retried(self):
        self.db.claim(str(uuid_lib.uuid4()),
                      base.alloc_req(self.node.uuid, VCPU=3),
                      base.PROJECT, base.USER)
        take = self.fail_after('gantt.db.allocation._take', 0)
        self.assertRaises(
            exception.ClaimConflict, self.db.claim, str(uuid_lib.uuid4()),
            base.alloc_req(self.node.uuid, VCPU=2), base.PROJECT, base.USER)
        self.assertEqual(1, take.calls)


class TestErrors(base.StoreTestCase):

    def test_claim_statements_raise_oslo_db_errors_and_roll_back(self):
        seq = self.db.current_seq()

        def bad_claim():
            with self.db.claim_writer() as (conn, _seq):
                conn.execute(sa.text('SELECT id FROM no_such_table'))
        self.assertRaises(db_exc.DBNonExistentTable, bad_claim)
        self.assertFalse(self.db.get_changes(seq))

    def test_feed_statements_raise_oslo_db_errors(self):
        with self.db.engine.connect() as conn:
            self.assertRaises(db_exc.DBNonExistentTable, conn.execute,
                              sa.text('SELECT id FROM no_such_table'))
