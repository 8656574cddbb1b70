"""Reshaping: inventories and allocations moved in one transaction (a
driver moving VGPU from the root to a child provider, say), so that no
moment exists where the allocations sit on inventories that are gone."""

from gantt.db import allocation
from gantt.db import provider


def reshape(session, inventories, entries):
    """Replace providers' inventories and consumers' allocations at once.

    ``inventories`` is {provider uuid: (generation, {rc: partial record})},
    ``entries`` as gantt.db.allocation.replace_all takes them. The listed
    consumers give back what they hold first, then the inventories change
    (each checked against its provider's generation and refused below what
    remains allocated), then the consumers claim their new allocations.
    """
    conn = session.connection()
    seq = session.info['change_seq']
    # Generations are checked as the caller saw them, before the releases
    # move them on.
    for uuid, (generation, _records) in sorted(inventories.items()):
        provider.check_generation(session, uuid, generation)
    allocation.release_all(conn, seq, entries)
    for uuid, (_generation, records) in sorted(inventories.items()):
        provider.edit(session, uuid, None, lambda row, seq, r=records:
                      provider.set_live_inventories(session, row, seq, r))
    allocation.claim_entries(conn, seq, entries)
