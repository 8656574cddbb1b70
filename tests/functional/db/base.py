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
    """Skip without PostgreSQL; fail instead when GANTT_TEST_REQUIRE_SERVICES
    is set (CI starts the services, so a missing one is a failure)."""
    if not postgres_url():
        required = os.environ.get('GANTT_TEST_REQUIRE_SERVICES', '')
        if required.strip().lower() not in ('', '0', 'false', 'no'):
            test.fail('%s is not set and GANTT_TEST_REQUIRE_SERVICES is'
                      % ENV)
        test.skipTest('%s is not set: PostgreSQL tests need a database '
                      'the test role owns, e.g. postgresql+psycopg2://'
                      'gantt:gantt@127.0.0.1:5433/gantt' % ENV)


class PostgresMixin:
    """Put before base.StoreTestCase: runs the test on PostgreSQL."""

    def setUp(self):
        skip_without_postgres(self)
        self.postgres_url = postgres_url()
        super().setUp()
