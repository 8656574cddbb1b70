"""A pooled server connection is pinged at checkout only after idling."""

import os
import sqlite3
from unittest import mock

import fixtures
import sqlalchemy as sa
import testtools

from gantt.db import api


class TestPingWhenIdle(testtools.TestCase):

    def setUp(self):
        super().setUp()
        path = os.path.join(self.useFixture(fixtures.TempDir()).path, 'db')
        # A file database on a QueuePool with oslo.db's pre-ping, standing
        # in for a server's pool: the listeners only see the pool.
        self.engine = sa.create_engine('sqlite:///%s' % path,
                                       poolclass=sa.pool.QueuePool,
                                       pool_pre_ping=True)
        self.addCleanup(self.engine.dispose)
        api._ping_when_idle(self.engine)
        self.pings = []
        real = self.engine.dialect.do_ping

        def ping(dbapi_con):
            self.pings.append(dbapi_con)
            return real(dbapi_con)
        self.useFixture(fixtures.MockPatchObject(
            self.engine.dialect, 'do_ping', side_effect=ping))

    def use(self):
        with self.engine.connect() as conn:
            return conn.exec_driver_sql('SELECT 1').scalar_one()

    def test_a_connection_in_steady_use_is_not_pinged(self):
        for _ in range(5):
            self.use()
        self.assertEqual([], self.pings)

    def test_a_connection_idle_past_the_limit_is_pinged(self):
        self.use()
        with mock.patch.object(api, 'PING_AFTER_IDLE_S', 0.0):
            self.use()
        self.assertEqual(1, len(self.pings))

    def test_a_dead_idle_connection_is_replaced(self):
        self.use()
        with self.engine.connect() as conn:
            first = conn.connection.dbapi_connection
        dead = sqlite3.OperationalError('the server closed the connection')
        self.engine.dialect.do_ping.side_effect = [dead, True]
        with mock.patch.object(api, 'PING_AFTER_IDLE_S', 0.0), \
                mock.patch.object(self.engine.dialect, 'is_disconnect',
                                  return_value=True):
            with self.engine.connect() as conn:
                self.assertIsNot(first, conn.connection.dbapi_connection)
                self.assertEqual(
                    1, conn.exec_driver_sql('SELECT 1').scalar_one())
