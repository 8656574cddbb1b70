"""gantt.db.claim_record on the shared stores: on PostgreSQL a claim for
one instance writes its host record, spec and decision in one statement;
MySQL writes each kind with its own."""

from tests.functional.db import base
from tests.unit.db import test_claim_record


class PostgresClaimRecordTest(base.PostgresMixin,
                              test_claim_record.TestClaimRecord):
    pass


class MysqlClaimRecordTest(base.MysqlMixin,
                           test_claim_record.TestClaimRecord):
    pass
