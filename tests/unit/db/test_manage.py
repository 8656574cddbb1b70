"""gantt-manage db, allocations and service commands on a SQLite file."""

import datetime
import io
import os
import uuid as uuid_lib

import fixtures
import sqlalchemy as sa
import testtools

from gantt.cmd import manage
from gantt.cmd import manage_service
from gantt.db import api
from gantt.db import migration
from gantt.db import models
from gantt.db import timestamps
from gantt.rpcapi import releases
from gantt.rpcapi import version_cap
from tests.unit.db import base


class ManageCase(testtools.TestCase):
    """gantt-manage run in process against a SQLite file's config."""

    def setUp(self):
        super().setUp()
        self.path = self.useFixture(fixtures.TempDir()).path
        self.config_file = os.path.join(self.path, 'gantt.conf')
        with open(self.config_file, 'w') as f:
            f.write('[DEFAULT]\nstate_path = %s\n' % self.path)
        self.conf = base.make_conf(self.path)

    def manage(self, *args):
        out = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', out))
        code = manage.main(['--config-file', self.config_file] + list(args))
        return code, out.getvalue()


class TestManage(ManageCase):

    def test_db_sync_and_version(self):
        code, out = self.manage('db', 'version')
        self.assertEqual(0, code)
        self.assertIn('current: none', out)
        code, out = self.manage('db', 'sync')
        self.assertEqual(0, code)
        self.assertIn(migration.head(), out)
        self.assertEqual(migration.head(), migration.current(self.conf))
        code, out = self.manage('db', 'version')
        self.assertIn('current: %s' % migration.head(), out)

    def test_allocations_audit_lists_then_fixes(self):
        migration.upgrade(self.conf)
        db = api.Database(self.conf)
        self.addCleanup(db.dispose)
        node = base.make_node()
        db.save_compute_node(node)
        orphan = str(uuid_lib.uuid4())
        db.claim(orphan, base.alloc_req(node.uuid, VCPU=2),
                 base.PROJECT, base.USER)
        code, out = self.manage('allocations', 'audit')
        self.assertEqual((0, 'No orphaned allocations.\n'), (code, out))
        code, out = self.manage('allocations', 'audit',
                                '--grace-seconds', '-1')
        self.assertEqual(manage.AUDIT_FOUND, code)
        self.assertIn(orphan, out)
        self.assertIn('| VCPU ', out)
        self.assertEqual(2, db.get_allocations(orphan)[
            'allocations'][node.uuid]['resources']['VCPU'])
        code, out = self.manage('allocations', 'audit', '--fix',
                                '--grace-seconds', '-1')
        self.assertEqual(manage.AUDIT_FIXED, code)
        self.assertEqual({'allocations': {}},
                         db.get_allocations(orphan))


class TestManageService(ManageCase):
    """gantt-manage service list | delete."""

    def setUp(self):
        super().setUp()
        migration.upgrade(self.conf)
        self.db = api.Database(self.conf)
        self.addCleanup(self.db.dispose)
        # Two schedulers, the old one gone for a day, and a compute that
        # reported just now.
        self.db.register_service('gantt-scheduler', 'old-host',
                                 version=1, rpc_version='1.0')
        self.db.register_service('gantt-scheduler', 'new-host',
                                 version=2, rpc_version='1.1')
        self.db.save_compute_node(base.make_node(host='cn1'))
        with self.db.engine.begin() as conn:
            conn.execute(sa.update(models.Service.__table__)
                         .where(models.Service.__table__.c.host ==
                                'old-host')
                         .values(last_seen_up=timestamps.utcnow() -
                                 datetime.timedelta(days=1)))

    def recorded(self, binary=None):
        return [(s['binary'], s['host'])
                for s in self.db.get_services(binary=binary)]

    def test_list_shows_every_service(self):
        code, out = self.manage('service', 'list')
        self.assertEqual(0, code)
        lines = out.splitlines()
        self.assertEqual(['binary', 'host', 'service', 'version', 'RPC'],
                         lines[0].split()[:5])
        rows = [line.split() for line in lines[1:]]
        self.assertEqual(
            [['gantt-compute', 'cn1'], ['gantt-scheduler', 'new-host'],
             ['gantt-scheduler', 'old-host']], [r[:2] for r in rows])
        self.assertEqual(['1', '1.0'], rows[2][2:4])

    def test_list_of_one_binary(self):
        code, out = self.manage('service', 'list', '--binary',
                                'gantt-compute')
        self.assertEqual(0, code)
        self.assertEqual(2, len(out.splitlines()))
        self.assertIn('cn1', out)

    def test_delete_a_gone_scheduler_lifts_the_auto_cap(self):
        schedulers = lambda: self.db.get_services(  # noqa: E731
            binary=version_cap.SERVER_BINARY)
        self.assertEqual('1.0', version_cap.lowest_registered(
            releases.SCHEDULER, schedulers(), '1.1'))
        code, out = self.manage('service', 'delete', 'gantt-scheduler',
                                'old-host')
        self.assertEqual(0, code, out)
        self.assertIn('Deleted the record of gantt-scheduler on old-host',
                      out)
        self.assertEqual([('gantt-compute', 'cn1'),
                          ('gantt-scheduler', 'new-host')], self.recorded())
        self.assertEqual('1.1', version_cap.lowest_registered(
            releases.SCHEDULER, schedulers(), '1.1'))

    def test_a_service_seen_lately_is_kept_without_force(self):
        code, out = self.manage('service', 'delete', 'gantt-compute', 'cn1')
        self.assertEqual(manage_service.REFUSED, code)
        self.assertIn('--force', out)
        self.assertIn(('gantt-compute', 'cn1'), self.recorded())
        code, out = self.manage('service', 'delete', 'gantt-compute', 'cn1',
                                '--force')
        self.assertEqual(0, code, out)
        self.assertNotIn(('gantt-compute', 'cn1'), self.recorded())

    def live_nodes(self):
        return {c['host'] for c in self.db.get_changes(0)
                .compute_nodes if not c['deleted']}

    def test_deleting_a_compute_takes_its_nodes_out_of_scheduling(self):
        self.db.save_compute_node(base.make_node(host='cn2'))
        self.assertEqual({'cn1', 'cn2'}, self.live_nodes())
        code, out = self.manage('service', 'delete', 'gantt-compute', 'cn1',
                                '--force')
        self.assertEqual(0, code, out)
        self.assertIn('and its 1 compute node(s)', out)
        self.assertEqual({'cn2'}, self.live_nodes())
        # A report from it brings it back.
        self.db.save_compute_node(base.make_node(
            host='cn1', report_seq=2))
        self.assertEqual({'cn1', 'cn2'}, self.live_nodes())

    def test_deleting_a_scheduler_leaves_the_nodes(self):
        code, out = self.manage('service', 'delete', 'gantt-scheduler',
                                'old-host')
        self.assertEqual(0, code, out)
        self.assertNotIn('compute node', out)
        self.assertEqual({'cn1'}, self.live_nodes())

    def test_an_unknown_service_is_named(self):
        code, out = self.manage('service', 'delete', 'gantt-scheduler',
                                'nowhere')
        self.assertEqual(manage_service.NOT_FOUND, code)
        self.assertIn('No gantt-scheduler service is recorded on host '
                      'nowhere', out)
        self.assertEqual(3, len(self.recorded()))
