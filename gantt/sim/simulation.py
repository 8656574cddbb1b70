"""One simulation run against a scheduler reachable on a transport.

Load the fleet (report casts, then wait until the database or the scheduler
knows every host), run the conductor, and build the report. ``gantt-sim``
and ``gantt-bench e2e`` differ only in how the scheduler is started.
"""

import time

from gantt import context as gantt_context
from gantt.rpcapi import report as report_api
from gantt.rpcapi import scheduler as scheduler_api
from gantt.sim import computes
from gantt.sim import conductor
from gantt.sim import numa_audit
from gantt.sim import progress as progress_bar
from gantt.sim import report as sim_report
from gantt.sim import sampler as sim_sampler
from gantt.sim import scenario

# Reports left unstored at most while loading (when a database is known).
REPORT_WINDOW = 256


class Simulation(object):
    """Drive `hosts` computes and `requests` builds through `transport`.

    ``db`` (a gantt.db.api.Database on the scheduler's database) is
    optional: with it, loading waits on stored rows and the report holds
    utilisation and overcommit figures; without it, loading waits until
    the scheduler's explain sees every host. With ``numa``, the hosts
    have NUMA topologies and PCI devices and the requests include pinned,
    huge page and PCI flavors (gantt.sim.scenario; the scheduler must be
    configured with scenario.conf_text()), and the report checks their
    claims in the database.
    """

    def __init__(self, conf, transport, hosts, requests, concurrency=4,
                 seed=0, db=None, show_progress=True, load_timeout=None,
                 report_interval=0, report_window=REPORT_WINDOW,
                 sample_interval=None, numa=False):
        self.conf = conf
        self.transport = transport
        self.hosts = hosts
        self.requests = requests
        self.concurrency = concurrency
        self.seed = seed
        self.numa = numa
        self.db = db
        # Stores here take a few ms each; allow for a slow machine.
        self.load_timeout = load_timeout or max(300.0, hosts / 20.0)
        self.report_interval = report_interval
        self.report_window = report_window
        self.resent = 0
        self.heartbeat = None
        self.progress_cls = (progress_bar.Progress if show_progress
                             else progress_bar.Quiet)
        self.reports = report_api.ReportClient(conf, transport)
        self.scheduler = scheduler_api.SchedulerAPI(conf, transport)
        self.fleet = None
        self.load_s = None
        self.results = None
        self.maker = None
        # With a database and sample_interval, per-host use and report
        # age are sampled while requests run (for gantt.sim.plot).
        self.sample_interval = sample_interval
        self.sampler = None

    def load(self):
        """Report every compute and wait until the scheduler can see it.

        With a database, reports are sent at the pace it stores them and
        any the scheduler dropped are sent again.
        """
        start = time.monotonic()
        self.fleet = computes.Fleet(self.hosts, seed=self.seed,
                                    numa=self.numa)
        ctxt = gantt_context.get_admin_context()
        bar = self.progress_cls('report', self.hosts)
        computes.report(self.fleet, self.reports, ctxt, progress=bar.update,
                        stored=self._known_count if self.db else None,
                        window=self.report_window)
        bar.finish('casts sent')
        resent = [0]

        def resend():
            resent[0] += computes.resend_missing(
                self.fleet, self.reports, ctxt,
                computes.stored_uuids(self.db, self.fleet))

        bar = self.progress_cls('stored' if self.db is not None else 'known',
                                self.hosts)
        computes.wait_until_known(
            self._known_count, self.hosts, timeout=self.load_timeout,
            progress=bar.update,
            # An explain answer lists every host: poll it gently.
            interval=0.1 if self.db is not None else 1.0,
            on_stall=resend if self.db is not None else None)
        bar.finish('%d sent again' % resent[0] if resent[0] else '')
        self.resent = resent[0]
        self.load_s = time.monotonic() - start
        return self.load_s

    def _known_count(self):
        if self.db is not None:
            return computes.stored_count(self.db, self.fleet)
        return self.scheduler_host_count()

    def scheduler_host_count(self):
        """How many hosts the scheduler's explain considered."""
        maker = conductor.RequestMaker(seed=self.seed)
        ctxt, spec, _uuids = maker.make_probe()
        answer = self.scheduler.explain(ctxt, spec)
        return explain_host_count(answer)

    def schedule(self):
        maker = conductor.RequestMaker(seed=self.seed + 1,
                                       azs=self.fleet.az_names,
                                       numa=self.numa)
        self.maker = maker
        runner = conductor.Conductor(self.scheduler, maker,
                                     concurrency=self.concurrency)
        bar = self.progress_cls('schedule', self.requests)
        self.results = runner.run(self.requests, progress=bar.update)
        bar.finish()
        return self.results

    def report(self):
        spread = overcommitted = claims = None
        if self.db is not None:
            spread, overcommitted = sim_report.database_figures(self.db)
            if self.numa:
                claims = numa_audit.store_figures(
                    self.db, self.fleet, self.results, self.maker.flavors,
                    scenario.ALIASES)
        return sim_report.Report(self.hosts, self.requests, self.results,
                                 utilisation_spread=spread,
                                 overcommitted_hosts=overcommitted,
                                 load_s=self.load_s, numa_claims=claims)

    def run(self):
        """Load, schedule (re-reporting every report_interval s), report."""
        self.load()
        self.heartbeat = computes.Heartbeat(
            self.fleet, self.reports, gantt_context.get_admin_context(),
            self.report_interval).start()
        if self.sample_interval and self.db is not None:
            self.sampler = sim_sampler.Sampler(
                self.db, self.sample_interval).start()
        try:
            self.schedule()
        finally:
            self.heartbeat.stop()
            if self.sampler is not None:
                self.sampler.stop()
        return self.report()


def explain_host_count(answer):
    """How many live hosts an explain answer says the scheduler considered."""
    if not isinstance(answer, dict):
        return 0
    considered = answer.get('considered')
    if isinstance(considered, int):
        return considered
    return len(answer.get('hosts') or ())
