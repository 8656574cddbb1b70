"""What the RPC endpoints tell operators about: one object for both the
notifier and the metrics, so the manager makes one call per event."""

import contextlib

from gantt import decision_trace
from gantt import exception


class Outcome(object):
    """Filled by the caller inside Telemetry.decision(): the answer."""

    selections = None


class Telemetry(object):
    """Notifications and metrics for decisions, reports and stale hosts.

    Either part may be None (off).
    """

    def __init__(self, notifier=None, metrics=None):
        self.notifier = notifier
        self.metrics = metrics

    @contextlib.contextmanager
    def decision(self, ctxt, spec, instance_uuids):
        """Around one select_destinations; yields an Outcome to fill."""
        if self.notifier is not None:
            self.notifier.select_start(ctxt, spec, instance_uuids)
        outcome = Outcome()
        with decision_trace.begin() as trace:
            try:
                yield outcome
            except exception.NoValidHost as exc:
                refusal = trace.emptied_by or 'unknown'
                if self.metrics is not None:
                    self.metrics.decision('no_valid_host', trace, refusal)
                if self.notifier is not None:
                    self.notifier.select_error(
                        ctxt, spec, instance_uuids, str(exc), trace,
                        trace.elapsed())
                raise
            except Exception:
                if self.metrics is not None:
                    self.metrics.decision('error', trace)
                raise
            if self.metrics is not None:
                self.metrics.decision('placed', trace)
            if self.notifier is not None:
                self.notifier.select_end(ctxt, spec, instance_uuids,
                                         outcome.selections or [],
                                         trace.elapsed())

    def report(self, outcome):
        """A compute report was stored, stale or ignored."""
        if self.metrics is not None:
            self.metrics.report(outcome)

    def report_stale(self, uuid, host, nodename, last_seen, age):
        if self.metrics is not None:
            self.metrics.stale_reports.inc()
        if self.notifier is not None:
            self.notifier.report_stale(uuid, host, nodename, last_seen, age)

    def host_states(self, counts, oldest_age):
        if self.metrics is not None:
            self.metrics.host_states(counts, oldest_age)


#: Nothing recorded, nothing sent.
NONE = Telemetry()
