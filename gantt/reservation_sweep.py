"""Removes reservations past their deadline from the store, in each
scheduler process: once at start (a restart frees what expired while it
was down) and every [reservation] sweep_interval seconds.

The sweep only tidies: an expired reservation's rows are free from the
deadline on for every fit check (gantt.db.held), swept or not.
"""

import threading

from oslo_log import log as logging

LOG = logging.getLogger(__name__)


class Sweeper:

    def __init__(self, conf, db):
        self.interval = conf.reservation.sweep_interval
        self.db = db
        self._stop = threading.Event()
        self._thread = None

    def sweep(self):
        """One sweep; the uuids of the reservations released."""
        try:
            done = self.db.sweep_reservations()
        except Exception:
            # The next sweep tries again; nothing is held meanwhile.
            LOG.exception('Sweeping expired reservations failed')
            return []
        if done:
            LOG.info('Released %d expired reservations: %s', len(done),
                     ', '.join(done))
        return done

    def start(self):
        self.sweep()
        if self.interval:
            self._thread = threading.Thread(
                target=self._run, name='reservation-sweep', daemon=True)
            self._thread.start()

    def _run(self):
        while not self._stop.wait(self.interval):
            self.sweep()

    def stop(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
