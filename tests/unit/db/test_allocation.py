"""Allocations (claims, releases, moves) on the embedded SQLite store."""

import testscenarios

from tests.unit.db import allocation_cases
from tests.unit.db import base


class TestClaims(allocation_cases.ClaimCases, base.StoreTestCase):
    pass


class TestInvalidClaims(testscenarios.WithScenarios,
                        allocation_cases.InvalidClaimCases,
                        base.StoreTestCase):
    pass
