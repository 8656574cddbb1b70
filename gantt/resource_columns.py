"""Inventory and usage of one resource class over every provider slot.

One numpy array per inventory field, indexed like the provider store
(gantt.host_state): a compute node's root provider at its host row, child
and sharing providers at slots of their own. Whether an amount fits is
gantt.fit's rule, applied here to whole columns at once.
"""

import numpy as np

from gantt import fit


class ResourceColumns(object):
    """Inventory and usage of one resource class across all slots.

    ``cap`` is each slot's capacity (gantt.fit.capacity), kept by set() so
    that filters and weighers, which read it for every slot of every
    decision, do not recompute it from total, reserved and ratio each time.
    Write an inventory through set(); ``used`` alone may change in place.
    """

    FIELDS = ('total', 'reserved', 'ratio', 'used',
              'min_unit', 'max_unit', 'step', 'cap')

    def __init__(self, capacity):
        for name in self.FIELDS:
            setattr(self, name, np.zeros(capacity, dtype=np.float64))
        # An empty slot steps by 1, so the fit rule's modulo is defined.
        self.step[:] = 1
        # A slot that lacks the class has no capacity at all.
        self.present = np.zeros(capacity, dtype=bool)
        # Slots whose step_size is not 1; while there are none the step
        # term of the rule is the same for every amount.
        self._stepped = set()
        # (amount, n) -> bool per slot: present and gantt.fit.unit_ok.
        # Units change only with an inventory, not with usage, and the
        # same flavors come back again and again.
        self._units = {}

    def relocate(self, old_rows, rows, length):
        """Grow to ``length`` slots, the slots from ``old_rows`` on moving
        to start at ``rows`` (the provider store's two regions)."""
        old_len = len(self.present)
        for name in self.FIELDS + ('present',):
            old = getattr(self, name)
            new = np.zeros(length, dtype=old.dtype)
            if name == 'step':
                new[:] = 1
            new[:old_rows] = old[:old_rows]
            new[rows:rows + old_len - old_rows] = old[old_rows:]
            setattr(self, name, new)
        shift = rows - old_rows
        self._stepped = {s + shift if s >= old_rows else s
                         for s in self._stepped}
        self._units.clear()

    def set(self, slot, total, reserved, ratio, used, min_unit=1,
            max_unit=None, step=1):
        """Slot ``slot`` holds this inventory (max_unit None: the total)."""
        self.total[slot] = total
        self.reserved[slot] = reserved
        self.ratio[slot] = ratio
        self.used[slot] = used
        self.min_unit[slot] = min_unit
        self.max_unit[slot] = total if max_unit is None else max_unit
        self.step[slot] = step or 1
        if self.step[slot] != 1:
            self._stepped.add(slot)
        else:
            self._stepped.discard(slot)
        self.cap[slot] = fit.capacity(total, reserved, ratio)
        self.present[slot] = True
        self._units.clear()

    def clear(self, slot):
        for name in self.FIELDS:
            getattr(self, name)[slot] = 0
        self.step[slot] = 1
        self._stepped.discard(slot)
        self.present[slot] = False
        self._units.clear()

    def free(self, n=None):
        """What a claim may still take on each of the first ``n`` slots
        (every slot when None); 0 where the class is absent."""
        return np.where(self.present[:n], self.cap[:n] - self.used[:n], 0.0)

    def fits(self, amount, n=None):
        """Bool per slot < ``n``: a claim of ``amount`` passes gantt.fit.

        gantt.fit.fits is has_room & unit_ok; the unit half is kept per
        amount until an inventory changes, so a decision computes only the
        room left.
        """
        units = self._units.get((amount, n))
        if units is None:
            if len(self._units) > 256:
                self._units.clear()
            step = self.step[:n] if self._stepped else 1
            units = self.present[:n] & fit.unit_ok(
                self.min_unit[:n], self.max_unit[:n], step, amount)
            self._units[(amount, n)] = units
        return units & fit.has_room(self.cap[:n], self.used[:n], amount)

    def instances(self, amount, slots):
        """Per slot of ``slots`` (an int array): how many claims of
        ``amount`` (> 0) pass one after another (gantt.fit.instances);
        0 where the class is absent."""
        got = fit.instances(self.cap[slots], self.used[slots],
                            self.min_unit[slots], self.max_unit[slots],
                            self.step[slots], amount)
        return np.where(self.present[slots], got, 0).astype(np.int64)

    def fits_at(self, slot, amount):
        """Whether a claim of ``amount`` on ``slot`` passes gantt.fit."""
        return bool(self.present[slot]) and fit.fits(
            self.cap.item(slot), self.used.item(slot),
            self.min_unit.item(slot), self.max_unit.item(slot),
            self.step.item(slot), amount)

    def inventory(self, slot):
        """[capacity, used, min_unit, max_unit, step] of ``slot``, or None
        when the class is absent there."""
        if not self.present[slot]:
            return None
        return [int(self.cap[slot]), float(self.used[slot]),
                self.min_unit[slot], self.max_unit[slot], self.step[slot]]
