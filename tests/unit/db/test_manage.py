"""gantt-manage db and allocations commands on a SQLite file."""

import io
import os
import uuid as uuid_lib

import fixtures
import testtools

from gantt.cmd import manage
from gantt import context
from gantt.db import api
from gantt.db import migration
from tests.unit.db import base


class TestManage(testtools.TestCase):

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
        ctxt = context.get_admin_context()
        node = base.make_node()
        db.save_compute_node(ctxt, node)
        orphan = str(uuid_lib.uuid4())
        db.claim(ctxt, orphan, base.alloc_req(node.uuid, VCPU=2),
                 base.PROJECT, base.USER)
        code, out = self.manage('allocations', 'audit')
        self.assertEqual((0, 'No orphaned allocations.\n'), (code, out))
        code, out = self.manage('allocations', 'audit',
                                '--grace-seconds', '-1')
        self.assertEqual(manage.AUDIT_FOUND, code)
        self.assertIn(orphan, out)
        self.assertIn('| VCPU ', out)
        self.assertEqual(2, db.get_allocations(ctxt, orphan)[
            'allocations'][node.uuid]['resources']['VCPU'])
        code, out = self.manage('allocations', 'audit', '--fix',
                                '--grace-seconds', '-1')
        self.assertEqual(manage.AUDIT_FIXED, code)
        self.assertEqual({'allocations': {}},
                         db.get_allocations(ctxt, orphan))
