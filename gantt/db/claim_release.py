"""Giving back what one consumer's claim holds, in the caller's
transaction: the decision that gave it, its server group membership, its
NUMA claims (pCPUs, pages, devices) and its allocations. Deleting a
consumer's allocations, releasing a reservation slot and deleting an
instance all release through :func:`release`."""

import collections

from gantt.db import allocation
from gantt.db import decision
from gantt.db import numa_claim
from gantt.db import server_group

# What a release found: whether allocations were deleted, how many NUMA
# claim rows went.
Released = collections.namedtuple('Released', 'allocations numa_claims')


def release(conn, seq, consumer_uuid):
    """Release everything ``consumer_uuid``'s claim holds, stamped
    ``seq``; a Released. Idempotent: releasing nothing is no error."""
    decision.forget(conn, consumer_uuid)
    server_group.leave(conn, consumer_uuid)
    numa = numa_claim.release(conn, seq, consumer_uuid)
    return Released(allocation.delete_allocations(conn, seq, consumer_uuid),
                    numa)
