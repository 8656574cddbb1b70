"""Where a benchmark's CPU went: the client, the scheduler workers, the broker.

On a machine shared by clients, workers and RabbitMQ, decisions per second
are bounded by the CPU all three spend per decision; measuring each makes
that bound visible. Reads ``/proc/<pid>/stat`` (Linux); a process that
cannot be read is left out of the figures.
"""

import os

BROKER_COMMANDS = ('beam.smp',)


def process_cpu_s(pid):
    """User plus system CPU seconds of ``pid``, or None if unreadable."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            stat = f.read()
    except OSError:
        return None
    # Fields after the command name (which may hold spaces) in ")".
    fields = stat.rsplit(')', 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    return ticks / os.sysconf('SC_CLK_TCK')


def find_broker_pid():
    """The pid of a RabbitMQ node running on this machine, or None."""
    try:
        pids = [int(p) for p in os.listdir('/proc') if p.isdigit()]
    except OSError:
        return None
    for pid in sorted(pids):
        try:
            with open('/proc/%d/comm' % pid) as f:
                if f.read().strip() in BROKER_COMMANDS:
                    return pid
        except OSError:
            continue
    return None


class CpuMeter(object):
    """CPU spent by this process, the given workers and the broker.

    ``start()`` takes a snapshot; ``per_decision(n)`` returns milliseconds
    of CPU per decision for ``client`` (this process), ``workers`` (their
    sum), ``broker`` and ``total``, over ``n`` decisions since the start.
    """

    def __init__(self, worker_pids, broker_pid=None):
        self.worker_pids = sorted(worker_pids)
        self.broker_pid = broker_pid
        self._start = None

    def _snapshot(self):
        times = os.times()
        return {'client': times.user + times.system,
                'workers': [process_cpu_s(p) for p in self.worker_pids],
                'broker': (process_cpu_s(self.broker_pid)
                           if self.broker_pid else None)}

    def start(self):
        self._start = self._snapshot()
        return self

    def per_decision(self, decisions):
        end = self._snapshot()
        start = self._start
        n = max(1, decisions)

        def ms(before, after):
            if before is None or after is None:
                return None
            return round((after - before) * 1000.0 / n, 2)

        figures = {'client': ms(start['client'], end['client'])}
        workers = [ms(b, a) for b, a in zip(start['workers'], end['workers'])]
        figures['workers'] = (round(sum(workers), 2)
                              if None not in workers else None)
        figures['broker'] = ms(start['broker'], end['broker'])
        known = [v for v in figures.values() if v is not None]
        figures['total'] = round(sum(known), 2)
        return figures
