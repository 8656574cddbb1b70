"""The manager's 1.1 additions: claim endpoints, explain's limit, and
replies backported to the version of the message they answer."""

import fixtures
import oslo_messaging
import testscenarios
import testtools

from gantt import conf as gantt_conf
from gantt import context
from gantt import exception
from gantt import manager
from gantt import objects
from gantt import rpc

load_tests = testscenarios.load_tests_apply_scenarios

objects.register_all()

C1 = '11111111-2222-4333-8444-555555555555'
C2 = '66666666-7777-4888-8999-aaaaaaaaaaaa'
ALLOC = {'allocations': {C2: {'resources': {'VCPU': 1}}}}


class ClaimsDB:
    """Answers the Database's claim methods; records what was asked."""

    def __init__(self, claim_error=None):
        self.asked = []
        self.claim_error = claim_error

    def claim(self, consumer_uuid, allocation_request, project_id,
              user_id, consumer_generation=None):
        self.asked.append(('claim', consumer_uuid, allocation_request,
                           project_id, user_id, consumer_generation))
        if self.claim_error:
            raise self.claim_error

    def delete_allocations(self, consumer_uuid):
        self.asked.append(('delete_allocations', consumer_uuid))
        return False

    def move_allocations(self, source, target):
        self.asked.append(('move_allocations', source, target))
        return True

    def get_allocations(self, consumer_uuid):
        self.asked.append(('get_allocations', consumer_uuid))
        return {'allocations': {}}


class Scheduler:

    def __init__(self):
        self.db = None
        self.limits = []

    def clock(self):
        return 0.0

    def select_destinations(self, ctxt, spec, instance_uuids,
                            return_alternates=True, specs=None):
        return [[objects.Selection(service_host='h1', nodename='n1',
                                   weight=2.5)]]

    def explain(self, ctxt, spec, limit=None):
        self.limits.append(limit)
        return {'hosts': []}


def _ctxt():
    return context.RequestContext(request_id='req-v', user_id='u',
                                  project_id='p')


def _unwrap(test, call, *args, **kwargs):
    exc = test.assertRaises(oslo_messaging.ExpectedException, call, *args,
                            **kwargs)
    return exc.exc_info[1]


class TestClaimEndpoints(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.FakeLogger(name='gantt.manager'))
        self.db = ClaimsDB()
        self.manager = manager.SchedulerManager(
            gantt_conf.build_conf(), Scheduler(), self.db)

    def test_claim_true_on_success(self):
        self.assertIs(True, self.manager.claim_resources(
            _ctxt(), C1, ALLOC, 'p', 'u', consumer_generation=2))
        self.assertEqual([('claim', C1, ALLOC, 'p', 'u', 2)], self.db.asked)

    def test_claim_false_when_capacity_is_gone(self):
        self.db.claim_error = exception.ClaimConflict(
            provider=C2, resource_class='VCPU')
        self.assertIs(False, self.manager.claim_resources(
            _ctxt(), C1, ALLOC, 'p', 'u'))

    def test_invalid_claim_reaches_the_caller(self):
        self.db.claim_error = exception.InvalidClaim(reason='no such rp')
        error = _unwrap(self, self.manager.claim_resources, _ctxt(), C1,
                        ALLOC, 'p', 'u')
        self.assertIsInstance(error, exception.InvalidClaim)

    def test_generation_conflict_reaches_the_caller(self):
        self.db.claim_error = exception.ConsumerGenerationConflict(
            consumer=C1, expected=1, actual=2)
        error = _unwrap(self, self.manager.claim_resources, _ctxt(), C1,
                        ALLOC, 'p', 'u', 1)
        self.assertIsInstance(error, exception.ConsumerGenerationConflict)

    def test_other_claim_calls_delegate(self):
        self.assertIs(False, self.manager.delete_allocations(_ctxt(), C1))
        self.assertIs(True, self.manager.move_allocations(_ctxt(), C1, C2))
        self.assertEqual({'allocations': {}},
                         self.manager.get_allocations(_ctxt(), C1))
        self.assertEqual([('delete_allocations', C1),
                          ('move_allocations', C1, C2),
                          ('get_allocations', C1)], self.db.asked)

    def test_move_refuses_same_or_bad_consumers(self):
        for args in ((C1, C1), (C1, 'x'), ('x', C2)):
            error = _unwrap(self, self.manager.move_allocations, _ctxt(),
                            *args)
            self.assertIsInstance(error, exception.InvalidRequest)
        self.assertEqual([], self.db.asked)

    def test_explain_passes_limit_only_when_given(self):
        spec = objects.RequestSpec()
        self.manager.explain(_ctxt(), spec)
        self.manager.explain(_ctxt(), spec, limit=3)
        self.assertEqual([None, 3], self.manager.scheduler.limits)
        error = _unwrap(self, self.manager.explain, _ctxt(), spec, -1)
        self.assertIn('limit', str(error))


class TestBadClaimInput(testtools.TestCase):

    scenarios = [
        ('bad_consumer', dict(args=('nope', ALLOC, 'p', 'u'),
                              words=('consumer_uuid', 'nope'))),
        ('request_not_dict', dict(args=(C1, ['x'], 'p', 'u'),
                                  words=('allocation_request', 'list'))),
        ('bad_generation', dict(args=(C1, ALLOC, 'p', 'u', 'two'),
                                words=('consumer_generation', 'two'))),
    ]

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.FakeLogger(name='gantt.manager'))
        self.db = ClaimsDB()
        self.manager = manager.SchedulerManager(
            gantt_conf.build_conf(), Scheduler(), self.db)

    def test_bad_input_is_an_invalid_request(self):
        error = _unwrap(self, self.manager.claim_resources, _ctxt(),
                        *self.args)
        self.assertIsInstance(error, exception.InvalidRequest)
        for word in self.words:
            self.assertIn(word, str(error))
        self.assertEqual([], self.db.asked)


class TestRepliesFollowTheCallersVersion(testtools.TestCase):
    """Through Gantt's dispatcher and serializer, as the server runs."""

    scenarios = [
        ('1.0', dict(version='1.0', selection='1.0', weight=False)),
        ('1.1', dict(version='1.1', selection='1.1', weight=True)),
        ('1.2', dict(version='1.2', selection='1.1', weight=True)),
        ('1.3', dict(version='1.3', selection='1.1', weight=True)),
        ('1.4', dict(version='1.4', selection='1.1', weight=True)),
        ('1.5', dict(version='1.5', selection='1.2', weight=True)),
        ('1.6', dict(version='1.6', selection='1.2', weight=True)),
        ('1.7', dict(version='1.7', selection='1.2', weight=True)),
    ]

    def _dispatch(self, method, args, version, namespace=None):
        conf = gantt_conf.build_conf()
        endpoints = [manager.SchedulerManager(conf, Scheduler(), ClaimsDB())]
        serializer = rpc.get_serializer(version_manifest=rpc._reply_manifest)
        dispatcher = rpc.VersionedDispatcher(endpoints, serializer, None)
        message = {'method': method, 'args': args, 'namespace': namespace,
                   'version': version}
        incoming = type('Incoming', (), {
            'message': message, 'ctxt': _ctxt().to_dict(),
            'client_timeout': None})()
        return dispatcher.dispatch(incoming)

    def test_selection_backported_to_the_callers_version(self):
        spec = objects.RequestSpec().obj_to_primitive()
        reply = self._dispatch('select_destinations', {
            'spec_obj': spec, 'instance_uuids': [C1]}, self.version)
        primitive = reply[0][0]
        self.assertEqual(self.selection,
                         primitive['versioned_object.version'])
        self.assertEqual(self.weight,
                         'weight' in primitive['versioned_object.data'])
        self.assertIsNone(rpc.incoming_version())

    def test_every_1_x_minor_accepted(self):
        self.assertEqual('1.7', self._dispatch('ping', {},
                                               self.version)['rpc_version'])

    def test_other_major_refused(self):
        # A typed refusal the caller can re-raise (gantt.exception).
        exc = self.assertRaises(
            oslo_messaging.rpc.dispatcher.ExpectedException,
            self._dispatch, 'ping', {}, '2.0')
        self.assertIsInstance(exc.exc_info[1], exception.UnsupportedVersion)
        self.assertIn("'2.0'", str(exc.exc_info[1]))
