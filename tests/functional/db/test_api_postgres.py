"""gantt-api's routes on PostgreSQL: the unit tests of providers,
inventories, allocations, the reshaper and allocation candidates, run on a
schema of their own in the shared server."""

from tests.functional.db import base
from tests.unit.api import test_allocation
from tests.unit.api import test_allocation_candidate
from tests.unit.api import test_inventory
from tests.unit.api import test_reshaper
from tests.unit.api import test_resource_provider


class ResourceProviderTest(base.PostgresMixin,
                           test_resource_provider.ResourceProviderTest):
    pass


class InventoryTest(base.PostgresMixin, test_inventory.InventoryTest):
    pass


class AllocationTest(base.PostgresMixin, test_allocation.AllocationTest):
    pass


class ReshaperTest(base.PostgresMixin, test_reshaper.ReshaperTest):
    pass


class AllocationCandidateTest(
        base.PostgresMixin, test_allocation_candidate.AllocationCandidateTest):
    pass
