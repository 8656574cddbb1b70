"""Claims on the embedded SQLite store."""

import testscenarios

from tests.unit.db import base
from tests.unit.db import claim_cases


class TestClaims(claim_cases.ClaimCases, base.StoreTestCase):
    pass


class TestInvalidClaims(testscenarios.WithScenarios,
                        claim_cases.InvalidClaimCases, base.StoreTestCase):
    pass
