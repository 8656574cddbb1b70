"""Reshaping: inventories and allocations moved in one transaction (a
driver moving VGPU from the root to a child provider, say), so that no
moment exists where the allocations sit on inventories that are gone or
above what the providers offer."""

from gantt.db import allocation
from gantt.db import generation
from gantt.db import provider


def reshape(session, inventories, entries):
    """Replace providers' inventories and consumers' allocations at once.

    ``inventories`` is {provider uuid: (generation, {rc: partial record})},
    ``entries`` as gantt.db.allocation.replace_all takes them (consumer
    generations checked). In three steps, as placement does:

    1. every provider given inventories offers the union of what it
       offers and what it is given (a given class replaces the one it
       had), even below what is allocated for now: allocations can then
       land on a new class before an old one goes;
    2. the consumers give back what they hold and claim their new
       allocations, each amount checked by the claim's fit rule against
       those interim inventories (ClaimConflict, InventoryUnavailable);
    3. the providers offer exactly what they were given; a class that
       goes or shrinks below what is still allocated raises
       InventoryInUse.

    Any refusal rolls the whole transaction back. Each provider's
    generation moves on once per step that touched it, as placement's
    does. Raises ResourceProviderNotFound for a provider in
    ``inventories`` that does not exist, ProviderGenerationConflict for a
    stale generation (checked as the caller saw them, before anything is
    written).
    """
    conn = session.connection()
    rows = {uuid: provider.check_generation(session, uuid, gen)
            for uuid, (gen, _records) in sorted(inventories.items())}
    held = allocation.providers_held_by(conn, [e[0] for e in entries])
    for _consumer, request, _p, _u, _g in entries:
        held |= set(request.get('allocations') or ())
    before = generation.of_providers(conn, held | set(rows))
    before.update((uuid, row.generation) for uuid, row in rows.items())
    steps = dict.fromkeys(before, 0)
    for uuid, (_gen, records) in sorted(inventories.items()):
        if records:
            provider.edit(session, uuid, None, lambda row, seq, r=records:
                          provider.set_live_inventories(session, row, seq,
                                                        r, interim=True))
            steps[uuid] += 1
    seq = session.info['change_seq']
    allocation.replace_all(conn, seq, entries)
    for uuid in held:
        if uuid in steps:
            steps[uuid] += 1
    for uuid, (_gen, records) in sorted(inventories.items()):
        provider.edit(session, uuid, None, lambda row, seq, r=records:
                      provider.set_live_inventories(session, row, seq, r))
        steps[uuid] += 1
    generation.providers(conn, seq, {uuid: before[uuid] + steps[uuid]
                                     for uuid in before})
