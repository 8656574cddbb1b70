"""The benchmark's CPU meter, on this process and its children."""

import os
import subprocess
import sys
import time

import fixtures
import testtools

from gantt.bench import cpu


def burn(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


class TestCpuMeter(testtools.TestCase):

    def test_reads_the_cpu_a_process_spent(self):
        before = cpu.process_cpu_s(os.getpid())
        burn(0.1)
        after = cpu.process_cpu_s(os.getpid())
        self.assertGreaterEqual(after - before, 0.05)

    def test_a_process_that_is_gone_reads_as_none(self):
        child = subprocess.Popen([sys.executable, '-c', 'pass'])
        child.wait()
        self.assertIsNone(cpu.process_cpu_s(child.pid))

    def test_per_decision_splits_client_workers_and_broker(self):
        # The worker burns its CPU between the meter's start and the
        # reading, told when to start and saying when it is done, so a
        # loaded machine only makes the test slower.
        worker = subprocess.Popen(
            [sys.executable, '-c',
             'import sys, time\nsys.stdin.readline()\n'
             'end = time.process_time() + 0.3\n'
             'while time.process_time() < end: pass\n'
             'print("done", flush=True)\ntime.sleep(30)'],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.addCleanup(worker.kill)
        meter = cpu.CpuMeter([worker.pid], broker_pid=None).start()
        worker.stdin.write('go\n')
        worker.stdin.flush()
        burn(0.1)
        self.assertEqual('done', worker.stdout.readline().strip())
        figures = meter.per_decision(10)
        # 0.1 s of client CPU over 10 decisions is ~10 ms each.
        self.assertGreaterEqual(figures['client'], 5)
        self.assertGreaterEqual(figures['workers'], 15)
        self.assertIsNone(figures['broker'])
        self.assertEqual(round(figures['client'] + figures['workers'], 2),
                         figures['total'])

    def test_finds_a_broker_by_its_command_name(self):
        with open('/proc/%d/comm' % os.getpid()) as f:
            me = f.read().strip()
        self.useFixture(fixtures.MonkeyPatch(
            'gantt.bench.cpu.BROKER_COMMANDS', (me,)))
        pid = cpu.find_broker_pid()
        self.assertIsNotNone(pid)
        with open('/proc/%d/comm' % pid) as f:
            self.assertEqual(me, f.read().strip())
        self.useFixture(fixtures.MonkeyPatch(
            'gantt.bench.cpu.BROKER_COMMANDS', ('no-such-broker',)))
        self.assertIsNone(cpu.find_broker_pid())
