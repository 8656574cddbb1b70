"""gantt-manage import-nova over a placement database and a nova API
database that placement's and nova's own code built (in nova's
virtualenv): the store then holds the cloud's providers, inventories,
traits, aggregates, allocations, host aggregates, server groups and
request specs, and a second run changes nothing."""

import contextlib
import io
import os
import subprocess
import uuid

import fixtures
import sqlalchemy as sa
import testtools

from gantt.cmd import manage
from gantt.db import aggregate as aggregate_db
from gantt.db import request_spec as request_spec_db
from tests.functional import fixtures as gantt_fixtures
from tests.functional import test_nova_report_client
from tests.unit.db import base

BUILDER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       'nova_import_sources.py')


class NovaImportTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.python = test_nova_report_client.nova_python()
        if not self.python:
            gantt_fixtures.skip_or_fail(
                self, 'no nova virtualenv: the sources are built by '
                'placement and nova themselves')
        self.tmp = self.useFixture(fixtures.TempDir()).path
        (self.root1, self.child, self.root2, self.instance1, self.instance2,
         self.agg, self.group) = (str(uuid.uuid4()) for _ in range(7))
        self.placement = 'sqlite:///%s/placement.db' % self.tmp
        self.nova_api = 'sqlite:///%s/nova_api.db' % self.tmp

    def build_sources(self):
        """Fill the placement and nova API databases with their own
        code."""
        proc = subprocess.run(
            [self.python, '-W', 'ignore', BUILDER, self.placement,
             self.nova_api, self.root1, self.child, self.root2,
             self.instance1, self.instance2, self.agg, self.group, 'proj',
             'user'], capture_output=True, text=True, timeout=180)
        self.assertEqual(0, proc.returncode, proc.stderr[-3000:])

    def manage(self, store, *args):
        conf = os.path.join(self.tmp, 'gantt.conf')
        with open(conf, 'w') as f:
            f.write('[database]\nconnection = %s\n' % store.url)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = manage.main(['--config-file', conf, 'import-nova',
                                '--placement-connection', self.placement,
                                '--nova-api-connection', self.nova_api] +
                               list(args))
        return code, out.getvalue()

    def check_import(self, store):
        self.build_sources()
        db = store.db
        code, out = self.manage(store, '--dry-run')
        self.assertEqual(0, code, out)
        self.assertIn('would create provider %s (cn1)' % self.root1, out)
        self.assertIn('Dry run: 16 changes', out)
        self.assertEqual({'allocations': {}},
                         db.get_allocations(self.instance1))

        code, out = self.manage(store)
        self.assertEqual(0, code, out)
        self.assertIn('Imported: 16 changes', out)

        cn1 = db.get_provider(self.root1)
        self.assertEqual('cn1', cn1['name'])
        self.assertEqual(['CUSTOM_GOLD', 'HW_CPU_X86_AVX2'], cn1['traits'])
        self.assertEqual([self.agg], cn1['aggregates'])
        inv = cn1['inventories']
        self.assertEqual((16, 4.0, 64, 2), (
            inv['VCPU']['total'], inv['VCPU']['allocation_ratio'],
            inv['VCPU']['capacity'], inv['VCPU']['used']))
        self.assertEqual((32768, 512, 1.5, 2048), (
            inv['MEMORY_MB']['total'], inv['MEMORY_MB']['reserved'],
            inv['MEMORY_MB']['allocation_ratio'], inv['MEMORY_MB']['used']))
        fpga = db.get_provider(self.child)
        self.assertEqual((self.root1, self.root1, 1, 1), (
            fpga['parent_provider_uuid'], fpga['root_provider_uuid'],
            fpga['inventories']['CUSTOM_FPGA']['max_unit'],
            fpga['inventories']['CUSTOM_FPGA']['used']))
        held = db.get_allocations(self.instance1)
        self.assertEqual(
            {self.root1: {'VCPU': 2, 'MEMORY_MB': 2048},
             self.child: {'CUSTOM_FPGA': 1}},
            {rp: a['resources'] for rp, a in held['allocations'].items()})
        self.assertEqual(('proj', 'user'),
                         (held['project_id'], held['user_id']))
        self.assertEqual({self.root2: {'VCPU': 1, 'MEMORY_MB': 512}}, {
            rp: a['resources'] for rp, a in db.get_allocations(
                self.instance2)['allocations'].items()})

        group = db.get_server_group(self.group)
        self.assertEqual(('web', 'anti-affinity', {'max_server_per_host': 1},
                          'proj'), (group['name'], group['policy'],
                                    group['rules'], group['project_id']))
        self.assertEqual({self.instance1: 'cn1', self.instance2: 'cn2'},
                         group['members'])
        spec = db.read(request_spec_db.get,
                       self.instance1)['versioned_object.data']
        self.assertEqual(('az1', 2048, {'resources:CUSTOM_FPGA': '1'}), (
            spec['availability_zone'],
            spec['flavor']['versioned_object.data']['memory_mb'],
            spec['flavor']['versioned_object.data']['extra_specs']))
        aggs = db.read(aggregate_db.changed_since, 0)
        self.assertEqual([(self.agg, 'rack1', ['cn1'],
                           {'availability_zone': 'az1'})],
                         [(a['uuid'], a['name'], a['hosts'], a['metadata'])
                          for a in aggs])

        generation = db.get_provider(self.root1)['generation']
        # The generations nova's computes hold are placement's.
        engine = sa.create_engine(self.placement)
        try:
            with engine.connect() as conn:
                placement_generation = conn.execute(sa.text(
                    'SELECT generation FROM resource_providers WHERE '
                    'uuid = :uuid'), {'uuid': self.root1}).scalar_one()
                consumer_generation = conn.execute(sa.text(
                    'SELECT generation FROM consumers WHERE uuid = :uuid'),
                    {'uuid': self.instance1}).scalar_one()
        finally:
            engine.dispose()
        self.assertEqual((placement_generation, consumer_generation),
                         (generation, held['consumer_generation']))
        code, out = self.manage(store)
        self.assertEqual(0, code, out)
        self.assertEqual('Nothing to change: Gantt already holds what '
                         'placement and the nova API database hold.',
                         out.strip())
        self.assertEqual(generation,
                         db.get_provider(self.root1)['generation'])

    def test_imports_cloud_into_sqlite_store_once(self):
        self.check_import(self.useFixture(base.DatabaseFixture()))

    def test_imports_cloud_into_postgresql_store_once(self):
        url = os.environ.get('GANTT_TEST_POSTGRES_URL')
        if not url:
            gantt_fixtures.skip_or_fail(self, 'GANTT_TEST_POSTGRES_URL is '
                                        'not set')
        self.check_import(self.useFixture(base.DatabaseFixture(
            postgres_url=url)))

    def test_refuses_a_database_that_is_not_placement(self):
        store = self.useFixture(base.DatabaseFixture())
        self.placement = 'sqlite:///%s/empty.db' % self.tmp
        code, out = self.manage(store)
        self.assertEqual(1, code)
        self.assertIn('has no table resource_providers', out)
        self.assertIn('is it a placement database?', out)
