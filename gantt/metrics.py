"""Prometheus metrics of gantt-scheduler, summed over its worker processes.

Workers write their samples to files in a directory under state_path
(prometheus_client's multiprocess mode); the parent process cleans the
directory at start and serves the aggregate at /metrics when
``[prometheus] enabled``. Without a directory the metrics live in the
process (unit tests, the simulator).
"""

import os
import shutil

from oslo_log import log as logging

LOG = logging.getLogger(__name__)

MULTIPROC_ENV = 'PROMETHEUS_MULTIPROC_DIR'

#: Seconds; decisions take from tens of microseconds to seconds.
STAGE_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

#: Host states counted by gantt_hosts.
HOST_STATES = ('up', 'down', 'disabled')


def multiproc_dir(conf):
    return os.path.join(conf.state_path, 'prometheus')


def prepare_multiproc_dir(conf):
    """Empty (or create) the samples directory and point this process and
    the workers it forks at it; returns its path. Call before forking."""
    path = multiproc_dir(conf)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, exist_ok=True)
    os.environ[MULTIPROC_ENV] = path
    # prometheus_client picks its value class when first imported; pick
    # again now the directory is known.
    from prometheus_client import values
    values.ValueClass = values.get_value_class()
    return path


class Metrics(object):
    """Every Gantt metric. ``registry`` None: not registered anywhere
    (multiprocess mode collects from files); tests pass their own."""

    def __init__(self, registry=None):
        from prometheus_client import Counter, Gauge, Histogram
        kw = {'registry': registry}
        self.decisions = Counter(
            'gantt_decisions', 'select_destinations calls answered, by '
            'outcome (placed, no_valid_host, error).', ['outcome'], **kw)
        self.refusals = Counter(
            'gantt_refusals', 'Requests no host took, by what emptied the '
            'host list: a filter or stage name, "claim" (every claim '
            'lost), "capacity" or "no_hosts".', ['reason'], **kw)
        self.stage_seconds = Histogram(
            'gantt_decision_stage_seconds', 'Seconds a decision spent per '
            'stage (refresh, filter, weigh, claim).', ['stage'],
            buckets=STAGE_BUCKETS, **kw)
        self.decision_seconds = Histogram(
            'gantt_decision_seconds', 'Seconds per select_destinations '
            'decision, end to end in the worker.', buckets=STAGE_BUCKETS,
            **kw)
        self.claim_conflicts = Counter(
            'gantt_claim_conflicts', 'Claims lost to a concurrent request '
            '(capacity gone when the transaction ran).', **kw)
        self.claim_retries = Counter(
            'gantt_claim_retries', 'Claims tried on another host after a '
            'lost one.', **kw)
        self.reports = Counter(
            'gantt_reports', 'Compute resource reports received, by '
            'outcome (stored, stale: an older sequence, ignored: invalid).',
            ['outcome'], **kw)
        self.report_age = Gauge(
            'gantt_report_age_max_seconds', 'Age of the oldest last report '
            'among known compute nodes, at the last check.',
            multiprocess_mode='mostrecent', **kw)
        self.stale_reports = Counter(
            'gantt_report_stale', 'Compute nodes found to have stopped '
            'reporting (once per node and transition).', **kw)
        self.hosts = Gauge(
            'gantt_hosts', 'Compute nodes by state at the last check: up, '
            'down (last report older than service_down_time or forced '
            'down) and disabled.', ['state'],
            multiprocess_mode='mostrecent', **kw)

    def decision(self, outcome, trace, refusal=None):
        """Record one answered decision and what its trace holds."""
        self.decisions.labels(outcome).inc()
        if refusal:
            self.refusals.labels(refusal).inc()
        if trace is None:
            return
        for stage, seconds in trace.seconds.items():
            self.stage_seconds.labels(stage).observe(seconds)
        self.decision_seconds.observe(trace.elapsed())
        if trace.claim_conflicts:
            self.claim_conflicts.inc(trace.claim_conflicts)
        if trace.claim_retries:
            self.claim_retries.inc(trace.claim_retries)

    def report(self, outcome):
        self.reports.labels(outcome).inc()

    def host_states(self, counts, oldest_age):
        for state in HOST_STATES:
            self.hosts.labels(state).set(counts.get(state, 0))
        self.report_age.set(oldest_age)


def serve(conf, path):
    """Serve the samples under ``path`` at /metrics in a thread of this
    process; returns the HTTP server (its port is server_port)."""
    import prometheus_client
    from prometheus_client import multiprocess
    registry = prometheus_client.CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=path)
    server, _ = prometheus_client.start_http_server(
        conf.prometheus.port, addr=conf.prometheus.host, registry=registry)
    LOG.info('Prometheus metrics at http://%s:%d/metrics',
             conf.prometheus.host, server.server_port)
    return server
