"""Allocations (claims, releases, moves) on the embedded SQLite store."""

import testscenarios

from gantt import exception
from tests.unit.db import allocation_cases
from tests.unit.db import base


class TestClaims(allocation_cases.ClaimCases, base.StoreTestCase):
    pass


class TestInstanceClaims(allocation_cases.InstanceClaimCases,
                         base.StoreTestCase):
    pass


class TestInvalidClaims(testscenarios.WithScenarios,
                        allocation_cases.InvalidClaimCases,
                        base.StoreTestCase):
    pass


class TestClaimConflictWithoutReturning(base.StoreTestCase):
    """Dialects without UPDATE ... RETURNING (MySQL) find the lost item by
    reading the rows again."""

    def test_lost_claim_names_the_class_without_room(self):
        node = self.add_node(vcpus=4, memory_mb=2048, local_gb=10)
        self.patch(self.db.engine.dialect, 'update_returning', False)
        self.db.claim('c1', base.alloc_req(node.uuid, MEMORY_MB=2000),
                      base.PROJECT, base.USER)
        err = self.assertRaises(
            exception.ClaimConflict, self.db.claim, 'c2',
            base.alloc_req(node.uuid, DISK_GB=5, MEMORY_MB=100, VCPU=1),
            base.PROJECT, base.USER)
        self.assertIn('MEMORY_MB', str(err))
        self.assertEqual(0, self.used(node.uuid, 'VCPU'))
        self.assertEqual(0, self.used(node.uuid, 'DISK_GB'))
