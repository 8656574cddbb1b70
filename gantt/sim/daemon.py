"""A real gantt-scheduler process for benchmarks and functional tests.

Writes a configuration file into a work directory (its own SQLite file
unless a database URL is given, a topic of its own so runs sharing a broker
never share a queue), migrates the database, starts the daemon, waits until
every worker answers ping, and stops it with SIGTERM.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid

from gantt import context as gantt_context

CONFIG_TEMPLATE = """\
[DEFAULT]
transport_url = %(transport_url)s
state_path = %(workdir)s
host = %(host)s
log_file = %(log_file)s
debug = false
service_down_time = %(service_down_time)d

[database]
connection = %(connection)s

[scheduler]
workers = %(workers)d
topic = %(topic)s
"""


def scheduler_command():
    """argv that runs gantt-scheduler from this Python environment."""
    script = os.path.join(os.path.dirname(sys.executable), 'gantt-scheduler')
    if os.access(script, os.X_OK):
        return [script]
    found = shutil.which('gantt-scheduler')
    if found:
        return [found]
    return [sys.executable, '-m', 'gantt.cmd.scheduler']


class SchedulerDaemon(object):
    """One gantt-scheduler daemon with `workers` worker processes."""

    #: What error messages call the processes.
    name = 'gantt-scheduler'

    def __init__(self, workdir, transport_url, workers=1, connection=None,
                 topic=None, service_down_time=3600):
        self.workdir = workdir
        self.transport_url = transport_url
        self.workers = workers
        self.connection = connection or 'sqlite:///%s' % os.path.join(
            workdir, 'gantt.sqlite')
        self.topic = topic or 'gantt-sim-%s' % uuid.uuid4().hex[:12]
        self.host = 'gantt-sim-%s' % uuid.uuid4().hex[:8]
        self.config_file = os.path.join(workdir, 'gantt.conf')
        self.log_file = os.path.join(workdir, 'gantt-scheduler.log')
        # Simulated hosts report once; a long down time keeps them up for
        # the whole run however long loading takes.
        self.service_down_time = service_down_time
        self.process = None

    def write_config(self):
        with open(self.config_file, 'w') as f:
            f.write(CONFIG_TEMPLATE % {
                'transport_url': self.transport_url, 'workdir': self.workdir,
                'host': self.host, 'log_file': self.log_file,
                'connection': self.connection, 'workers': self.workers,
                'topic': self.topic,
                'service_down_time': self.service_down_time})
        return self.config_file

    def conf(self):
        """A client-side conf read from the daemon's own config file."""
        from gantt import conf as gantt_conf
        return gantt_conf.build_conf(['--config-file', self.config_file])

    def migrate(self):
        from gantt.db import migration
        migration.upgrade(self.conf(), 'head')

    def start(self):
        self.process = subprocess.Popen(
            scheduler_command() + ['--config-file', self.config_file],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(self.workdir, 'stderr.log'), 'w'),
            start_new_session=True)
        return self.process

    def log_tail(self, lines=20):
        text = ''
        for name in (self.log_file, os.path.join(self.workdir, 'stderr.log')):
            try:
                with open(name) as f:
                    text += ''.join(f.readlines()[-lines:])
            except OSError:
                pass
        return text

    def wait_ready(self, scheduler_api, timeout=60.0):
        """Ping until every worker has answered; the pids that did."""
        ctxt = gantt_context.get_admin_context()
        deadline = time.monotonic() + timeout
        pids = set()
        while len(pids) < self.workers:
            code = self.exited()
            if code is not None:
                raise RuntimeError(
                    '%s exited with %s before answering:\n%s'
                    % (self.name, code, self.log_tail()))
            if time.monotonic() > deadline:
                raise RuntimeError(
                    '%d of %d %s workers answered ping within %.0f s:\n%s'
                    % (len(pids), self.workers, self.name, timeout,
                       self.log_tail()))
            try:
                answer = scheduler_api.client.prepare(timeout=2).call(
                    ctxt, 'ping')
                pids.add(answer.get('pid'))
            except Exception:
                time.sleep(0.2)
        return pids

    def exited(self):
        """The exit code of a process that has ended, or None."""
        if self.process is None:
            return None
        return self.process.poll()

    def stop(self, timeout=30.0):
        """SIGTERM, wait, and SIGKILL only if it would not end; exit code."""
        proc = self.process
        if proc is None or proc.poll() is not None:
            return None if proc is None else proc.returncode
        proc.send_signal(signal.SIGTERM)
        return self._reap(proc, timeout)

    @staticmethod
    def _reap(proc, timeout):
        """Wait for a signalled process; SIGKILL its group if it would
        not end. Its exit code."""
        try:
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            return proc.wait()

    def delete_queues(self):
        """Best effort: drop the topic's queues left on the broker."""
        try:
            import kombu
        except ImportError:
            return
        url = self.transport_url.split(',')[0]
        if url.startswith('rabbit://'):
            url = 'amqp://' + url[len('rabbit://'):]
        try:
            with kombu.Connection(url, connect_timeout=5) as conn:
                channel = conn.channel()
                for name in (self.topic, '%s.%s' % (self.topic, self.host)):
                    try:
                        channel.queue_delete(name)
                    except Exception:
                        channel = conn.channel()
        except Exception:
            pass
