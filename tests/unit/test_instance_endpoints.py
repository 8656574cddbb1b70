"""The instance calls of the scheduler API: what each refuses, naming what
was wrong, and what reaches the Scheduler."""

import fixtures
import oslo_messaging
import testtools

from gantt import conf as gantt_conf
from gantt import context
from gantt import exception
from gantt import manager
from gantt import objects
from gantt import stored_spec

INSTANCE = '4f2b0a3e-5d7c-4a43-9d5b-0c6e7f1a2b3c'
MIGRATION = '9a1d2c3b-4e5f-4a6b-8c7d-0e1f2a3b4c5d'
OTHER = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e'


class FakeDB:

    def __init__(self, record=None):
        self.record = record

    def get_instance(self, uuid):
        return self.record


class FakeScheduler:

    def __init__(self):
        self.moves = []

    def move(self, ctxt, instance_uuid, stored, where, operation, changes,
             migration_uuid=None, return_alternates=True):
        self.moves.append((instance_uuid, where, operation, changes,
                           migration_uuid))
        return [objects.Selection(service_host='h2', nodename='n2')]


def _record(host='h1', allocations=None, moves=()):
    spec = objects.RequestSpec(project_id='p', user_id='u')
    return {'instance_uuid': INSTANCE, 'host': host, 'node': host,
            'request_spec': stored_spec.per_instance(
                spec, [INSTANCE])[INSTANCE],
            'allocations': allocations or {}, 'groups': [],
            'moves': list(moves)}


def _raised(test, cls, fn, *args, **kwargs):
    """The Gantt exception an endpoint raised (oslo.messaging wraps it as
    expected), checked to be a ``cls``."""
    wrapped = test.assertRaises(oslo_messaging.ExpectedException, fn,
                                *args, **kwargs)
    exc = wrapped.exc_info[1]
    test.assertIsInstance(exc, cls)
    return exc


class TestMoveInstance(testtools.TestCase):

    def setUp(self):
        super().setUp()
        objects.register_all()
        self.useFixture(fixtures.FakeLogger(name='gantt'))
        self.scheduler = FakeScheduler()
        self.db = FakeDB(_record())
        self.manager = manager.SchedulerManager(
            gantt_conf.build_conf(), self.scheduler, self.db)
        self.ctxt = context.RequestContext(user_id='u', project_id='p')

    def move(self, operation='migrate', **kwargs):
        return self.manager.move_instance(self.ctxt, INSTANCE, operation,
                                          **kwargs)

    def test_delegates_with_where_the_instance_is(self):
        sel, = self.move(migration_uuid=MIGRATION, host='h2',
                         ignore_hosts=['h3'])
        self.assertEqual('h2', sel.service_host)
        [(uuid, where, operation, changes, migration)] = self.scheduler.moves
        self.assertEqual((INSTANCE, ('h1', 'h1'), 'migrate', 'h2', ('h3',),
                          MIGRATION),
                         (uuid, where, operation, changes.host,
                          changes.ignore_hosts, migration))

    def test_refuses_bad_arguments_naming_them(self):
        for kwargs, expected in (
                ({'operation': 'teleport'}, 'operation must be one of'),
                ({}, 'migrate needs migration_uuid'),
                ({'operation': 'resize', 'migration_uuid': MIGRATION},
                 'resize needs flavor'),
                ({'migration_uuid': MIGRATION, 'ignore_hosts': 'h1'},
                 'ignore_hosts must be a list')):
            exc = _raised(
                self, exception.InvalidRequest, self.move,
                **kwargs)
            self.assertIn(expected, str(exc))
        exc = _raised(
            self, exception.InvalidRequest, self.manager.move_instance,
            self.ctxt, 'not-a-uuid', 'migrate', migration_uuid=MIGRATION)
        self.assertIn('instance_uuid must be a UUID', str(exc))
        self.assertEqual([], self.scheduler.moves)

    def test_unknown_instance_is_not_found(self):
        self.db.record = None
        exc = _raised(
                self, exception.InstanceNotFound, self.move,
                migration_uuid=MIGRATION)
        self.assertIn('no RequestSpec stored', str(exc))

    def test_one_move_at_a_time(self):
        self.db.record = _record(moves=[{'migration_uuid': OTHER,
                                         'operation': 'resize'}])
        exc = _raised(
                self, exception.MoveInProgress, self.move,
                migration_uuid=MIGRATION)
        self.assertIn(OTHER, str(exc))
        self.assertIn('resize', str(exc))

    def test_shelved_instance_only_unshelves(self):
        self.db.record = _record(host=None)
        exc = _raised(
                self, exception.InvalidRequest, self.move,
                migration_uuid=MIGRATION)
        self.assertIn('only unshelve places it', str(exc))
        self.move('unshelve')
        self.assertEqual([(None, None)],
                         [m[1] for m in self.scheduler.moves])

    def test_unshelve_refused_while_the_instance_holds_a_claim(self):
        self.db.record = _record(allocations={'rp': {'resources': {}}})
        exc = _raised(
                self, exception.InvalidRequest, self.move,
                'unshelve')
        self.assertIn('shelved-offloaded', str(exc))

    def test_confirm_and_revert_check_both_uuids(self):
        for method in (self.manager.confirm_move, self.manager.revert_move):
            exc = _raised(
                self, exception.InvalidRequest, method,
                self.ctxt, INSTANCE, 'nope')
            self.assertIn('migration_uuid must be a UUID', str(exc))
