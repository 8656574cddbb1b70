"""What one decision spent and met: time per stage, lost claims, refusal.

The caller that owns a decision (the RPC endpoint) opens a Trace with
``begin()``; the scheduler reports into whatever trace is current through
the module functions, which do nothing when none is open (the simulator,
explain, unit tests). Metrics and notifications read the trace afterwards.
"""

import contextlib
import contextvars
import time

#: Stages whose time is recorded, in pipeline order.
STAGES = ('refresh', 'filter', 'weigh', 'claim')

_CURRENT = contextvars.ContextVar('gantt_decision_trace', default=None)


class Trace(object):
    """Seconds per stage, claim conflicts and retries, and the refusal."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.started = clock()
        self.seconds = dict.fromkeys(STAGES, 0.0)
        self.claim_conflicts = 0
        self.claim_retries = 0
        # Set by refused(): the stages of the instance no host took.
        self.stages = None
        self.emptied_by = None
        self._retry_next = False

    def elapsed(self):
        return self.clock() - self.started

    def add(self, name, seconds):
        if name not in self.seconds:
            raise ValueError('unknown decision stage %r; expected one of %s'
                             % (name, ', '.join(STAGES)))
        self.seconds[name] += seconds
        if name == 'claim':
            if self._retry_next:
                self.claim_retries += 1
            self._retry_next = False


def emptied_by(considered, stages, unfit=0, lost=0):
    """Name of what left no host: the first stage after which none
    remained, else 'claim' (every claim lost), 'capacity' (no allocation
    fitted) or 'no_hosts' (none known)."""
    if not considered:
        return 'no_hosts'
    for stage in stages:
        if stage.before - stage.removed <= 0:
            return stage.name
    if lost:
        return 'claim'
    if unfit:
        return 'capacity'
    return 'unknown'


@contextlib.contextmanager
def begin(clock=time.monotonic):
    """Make a new Trace current for the block; yields it."""
    trace = Trace(clock)
    token = _CURRENT.set(trace)
    try:
        yield trace
    finally:
        _CURRENT.reset(token)


def current():
    """The open Trace, or None."""
    return _CURRENT.get()


def mark():
    """A start time for stage(); cheap even when nothing is traced."""
    trace = _CURRENT.get()
    return trace.clock() if trace is not None else 0.0


def stage(name, started):
    """Add the time since ``started`` (from mark()) to stage ``name``."""
    trace = _CURRENT.get()
    if trace is not None:
        trace.add(name, trace.clock() - started)


def claim_lost(started):
    """A claim begun at ``started`` lost to another request."""
    trace = _CURRENT.get()
    if trace is not None:
        trace.add('claim', trace.clock() - started)
        trace.claim_conflicts += 1
        trace._retry_next = True


def refused(ranking, unfit=0, lost=0):
    """No host took an instance: keep the stages that narrowed the hosts."""
    trace = _CURRENT.get()
    if trace is not None:
        trace.stages = list(ranking.stages)
        trace.emptied_by = emptied_by(ranking.considered, ranking.stages,
                                      unfit, lost)
