"""gantt-bench engine: synthetic clouds and the decision timing."""

import io
import json
import os
from unittest import mock

import testtools

from gantt.bench import engine
from gantt.bench import synthetic
from gantt.cmd import bench
from gantt import conf as gantt_conf


class TestSynthetic(testtools.TestCase):

    def test_same_seed_same_cloud(self):
        self.assertEqual(synthetic.generate(50, 5, seed=3),
                         synthetic.generate(50, 5, seed=3))

    def test_cloud_has_the_spread_the_bench_needs(self):
        data = synthetic.generate(2000, 50, seed=1)
        hosts = data['hosts']
        self.assertTrue(any(h['disabled'] for h in hosts))
        self.assertTrue(any(h['age'] >= synthetic.DOWN_AGE for h in hosts))
        self.assertTrue(any(a['metadata'].get('availability_zone')
                            for a in data['aggregates']))
        self.assertTrue(any(h['instances'] for h in hosts))
        self.assertTrue(any(r['group'] is not None for r in data['requests']))
        json.dumps(data)


class TestEngineBench(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = gantt_conf.build_conf([])

    def test_run_reports_percentiles(self):
        report = engine.run(self.conf, hosts=200, requests=12)
        self.assertEqual(200, report['hosts'])
        self.assertGreater(report['p50_ms'], 0)
        self.assertGreaterEqual(report['p99_ms'], report['p50_ms'])
        self.assertNotIn('nova_p50_ms', report)

    def test_times_every_request_after_warmup(self):
        data = synthetic.generate(300, 20, seed=5)
        result = engine.run_gantt(self.conf, data, warmup=0)
        self.assertEqual(20, len(result['times_ms']))
        self.assertLess(result['failures'], 5)

    def test_compare_without_nova_says_how_to_install_it(self):
        with mock.patch.dict(os.environ, {engine.NOVA_PYTHON_ENV: ''}):
            with mock.patch('importlib.util.find_spec', return_value=None):
                err = self.assertRaises(RuntimeError, engine.run_nova,
                                        {'requests': []},
                                        engine.nova_python(), 1)
        self.assertIn('pip install nova', str(err))
        self.assertIn(engine.NOVA_PYTHON_ENV, str(err))

    def test_command_prints_json(self):
        out = io.StringIO()
        with mock.patch('sys.stdout', out):
            self.assertEqual(0, bench.main(['engine', '--hosts', '100',
                                            '--requests', '8', '--json']))
        report = json.loads(out.getvalue())
        self.assertEqual(100, report['hosts'])
        self.assertIn('p50_ms', report)
        self.assertIn('p99_ms', report)

    @testtools.skipUnless(os.environ.get(engine.NOVA_PYTHON_ENV),
                          'set %s to a python with nova installed'
                          % engine.NOVA_PYTHON_ENV)
    def test_compare_with_nova(self):
        report = engine.run(self.conf, hosts=100, requests=6,
                            compare_nova=True, nova_requests=3)
        self.assertEqual(3, report['nova_requests'])
        self.assertGreater(report['speedup'], 1)
