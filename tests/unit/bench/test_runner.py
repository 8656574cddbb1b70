"""What the daemon benchmarks share: where RabbitMQ is, what is printed
of it, and the subcommand's exit code and output."""

import io
import json

import fixtures
import testtools

from gantt.bench import runner


class TestRunnerHelpers(testtools.TestCase):

    def test_password_never_printed(self):
        self.assertEqual(
            'rabbit://guest:***@127.0.0.1:5672/',
            runner.safe_url('rabbit://guest:secret@127.0.0.1:5672/'))
        self.assertEqual('kombu+memory:////',
                         runner.safe_url('kombu+memory:////'))

    def test_transport_from_flag_then_environment_then_default(self):
        class Args(object):
            transport_url = None
        self.useFixture(fixtures.EnvironmentVariable(runner.TRANSPORT_ENV,
                                                     None))
        self.assertEqual(runner.DEFAULT_TRANSPORT_URL,
                         runner.transport_url(Args))
        self.useFixture(fixtures.EnvironmentVariable(
            runner.TRANSPORT_ENV, 'rabbit://x@h:1/v'))
        self.assertEqual('rabbit://x@h:1/v', runner.transport_url(Args))
        Args.transport_url = 'rabbit://y@h:1/'
        self.assertEqual('rabbit://y@h:1/', runner.transport_url(Args))

    def test_cpu_line_names_each_share(self):
        self.assertEqual(
            '  CPU ms per report: client 1.0, floor workers 2.0, broker 0.5, '
            'total 3.5',
            runner.cpu_line('report', 'floor workers',
                            {'client': 1.0, 'workers': 2.0, 'broker': 0.5,
                             'total': 3.5}))


class Args(object):
    json = False


class TestRunCommand(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.out = self.useFixture(fixtures.MonkeyPatch(
            'sys.stdout', io.StringIO())).new_value
        self.err = self.useFixture(fixtures.MonkeyPatch(
            'sys.stderr', io.StringIO())).new_value

    def test_prints_text_and_exits_as_the_figures_say(self):
        code = runner.run_command(
            'e2e', Args(), lambda args: {'errors': 2},
            lambda f: 'errors: %d' % f['errors'],
            lambda f: 2 if f['errors'] else 0)
        self.assertEqual(2, code)
        self.assertEqual('errors: 2\n', self.out.getvalue())

    def test_prints_one_json_object(self):
        args = Args()
        args.json = True
        code = runner.run_command('reports', args,
                                  lambda args: {'reports_per_s': 10.0},
                                  str)
        self.assertEqual(0, code)
        self.assertEqual({'reports_per_s': 10.0},
                         json.loads(self.out.getvalue()))

    def test_a_failed_run_names_the_benchmark_and_returns_1(self):
        def fail(args):
            raise RuntimeError('3 of 10 reports not visible')
        code = runner.run_command('reports', Args(), fail, str)
        self.assertEqual(1, code)
        self.assertEqual('gantt-bench reports: 3 of 10 reports not '
                         'visible\n', self.err.getvalue())
        self.assertEqual('', self.out.getvalue())
