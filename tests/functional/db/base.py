"""Where the shared-store functional tests find PostgreSQL and MySQL.

Set GANTT_TEST_POSTGRES_URL to a database the test role owns, e.g.
``postgresql+psycopg2://gantt:gantt@127.0.0.1:5433/gantt``; each test
creates and drops its own schema in it. Set GANTT_TEST_MYSQL_URL to a
MySQL or MariaDB server whose user may create ``gantt%`` databases, e.g.
``mysql+pymysql://gantt:gantt@127.0.0.1:3306/gantt?charset=utf8mb4``;
each test creates and drops its own database there.
"""

import os

ENV = 'GANTT_TEST_POSTGRES_URL'
ENV_MYSQL = 'GANTT_TEST_MYSQL_URL'


def postgres_url():
    return os.environ.get(ENV) or None


def mysql_url():
    return os.environ.get(ENV_MYSQL) or None


def _skip_without(test, env, reason):
    """Skip when ``env`` is unset; fail instead when
    GANTT_TEST_REQUIRE_SERVICES is set (CI starts the services, so a
    missing one is a failure)."""
    if not os.environ.get(env):
        required = os.environ.get('GANTT_TEST_REQUIRE_SERVICES', '')
        if required.strip().lower() not in ('', '0', 'false', 'no'):
            test.fail('%s is not set and GANTT_TEST_REQUIRE_SERVICES is'
                      % env)
        test.skipTest('%s is not set: %s' % (env, reason))


def skip_without_postgres(test):
    _skip_without(test, ENV, 'PostgreSQL tests need a database the test '
                  'role owns, e.g. postgresql+psycopg2://'
                  'gantt:gantt@127.0.0.1:5433/gantt')


def skip_without_mysql(test):
    _skip_without(test, ENV_MYSQL, 'MySQL tests need a server whose user '
                  'may create gantt% databases, e.g. mysql+pymysql://'
                  'gantt:gantt@127.0.0.1:3306/gantt?charset=utf8mb4')


class PostgresMixin:
    """Put before base.StoreTestCase: runs the test on PostgreSQL."""

    def setUp(self):
        skip_without_postgres(self)
        self.postgres_url = postgres_url()
        super().setUp()


class MysqlMixin:
    """Put before base.StoreTestCase: runs the test on MySQL/MariaDB."""

    def setUp(self):
        skip_without_mysql(self)
        self.mysql_url = mysql_url()
        super().setUp()
