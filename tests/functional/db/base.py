"""Where the shared-store functional tests find PostgreSQL.

Set GANTT_TEST_POSTGRES_URL to a database the test role owns, e.g.
``postgresql+psycopg2://gantt:gantt@127.0.0.1:5433/gantt``; each test
creates and drops its own schema in it.
"""

import os

ENV = 'GANTT_TEST_POSTGRES_URL'


def postgres_url():
    return os.environ.get(ENV) or None


def skip_without_postgres(test):
    if not postgres_url():
        test.skipTest('%s is not set: PostgreSQL tests need a database '
                      'the test role owns, e.g. postgresql+psycopg2://'
                      'gantt:gantt@127.0.0.1:5433/gantt' % ENV)


class PostgresMixin:
    """Put before base.StoreTestCase: runs the test on PostgreSQL."""

    def setUp(self):
        skip_without_postgres(self)
        self.postgres_url = postgres_url()
        super().setUp()
