"""The exact messages SchedulerAPI sends at every version it can be capped
at, and how it reads and refreshes its cap."""

import testscenarios
import testtools

from gantt import conf as gantt_conf
from gantt import context
from gantt import exception
from gantt import objects
from gantt.rpcapi import scheduler as scheduler_rpcapi
from tests.unit.rpcapi import fakes

load_tests = testscenarios.load_tests_apply_scenarios

objects.register_all()

C1 = '11111111-2222-4333-8444-555555555555'
C2 = '66666666-7777-4888-8999-aaaaaaaaaaaa'
G1 = '99999999-2222-4333-8444-555555555555'
ALLOC = {'allocations': {C2: {'resources': {'VCPU': 1}}}}


def _api(cap=None, result=None, db=None):
    conf = gantt_conf.build_conf()
    if cap is not None:
        conf.set_override('scheduler', cap, group='upgrade_levels')
    client = fakes.FakeClient(result=result)
    api = scheduler_rpcapi.SchedulerAPI(conf, None, client=client, db=db)
    return api, client


UNSUPPORTED = 'unsupported'

# method, args, kwargs, {cap: (version sent, arguments sent) or UNSUPPORTED}
# where cap None is an unpinned client. Extend this table with every new
# method or version: each method must say what it sends at every version.
I1 = '11111111-1111-1111-1111-111111111111'
M1 = '22222222-2222-2222-2222-222222222222'

MESSAGES = [
    ('select_destinations', ('SPEC', ['u1', 'u2']),
     {'return_alternates': True}, {
         None: ('1.7', {'spec_obj': 'SPEC', 'instance_uuids': ['u1', 'u2'],
                        'return_alternates': True}),
         '1.2': ('1.1', {'spec_obj': 'SPEC', 'instance_uuids': ['u1', 'u2'],
                         'return_alternates': True}),
         '1.1': ('1.1', {'spec_obj': 'SPEC', 'instance_uuids': ['u1', 'u2'],
                         'return_alternates': True}),
         '1.0': ('1.0', {'spec_obj': 'SPEC', 'instance_uuids': ['u1', 'u2'],
                         'return_alternates': True})}),
    ('select_destinations_default', ('SPEC', ['u1']), {}, {
        None: ('1.7', {'spec_obj': 'SPEC', 'instance_uuids': ['u1'],
                       'return_alternates': False}),
        '1.2': ('1.1', {'spec_obj': 'SPEC', 'instance_uuids': ['u1'],
                        'return_alternates': False}),
        '1.1': ('1.1', {'spec_obj': 'SPEC', 'instance_uuids': ['u1'],
                        'return_alternates': False}),
        '1.0': ('1.0', {'spec_obj': 'SPEC', 'instance_uuids': ['u1'],
                        'return_alternates': False})}),
    ('explain', ('SPEC',), {}, {
        None: ('1.1', {'spec_obj': 'SPEC', 'limit': None}),
        '1.1': ('1.1', {'spec_obj': 'SPEC', 'limit': None}),
        '1.0': ('1.0', {'spec_obj': 'SPEC'})}),
    ('explain_limit', ('SPEC',), {'limit': 5}, {
        None: ('1.1', {'spec_obj': 'SPEC', 'limit': 5}),
        '1.1': ('1.1', {'spec_obj': 'SPEC', 'limit': 5}),
        # Dropped: safe, the client trims the answer itself.
        '1.0': ('1.0', {'spec_obj': 'SPEC'})}),
    ('ping', (), {}, {
        None: ('1.1', {}), '1.1': ('1.1', {}), '1.0': ('1.0', {})}),
    ('claim_resources', (C1, ALLOC, 'p', 'u'), {}, {
        None: ('1.1', {'consumer_uuid': C1, 'allocation_request': ALLOC,
                       'project_id': 'p', 'user_id': 'u',
                       'consumer_generation': None}),
        '1.1': ('1.1', {'consumer_uuid': C1, 'allocation_request': ALLOC,
                        'project_id': 'p', 'user_id': 'u',
                        'consumer_generation': None}),
        '1.0': UNSUPPORTED}),
    ('claim_resources_generation', (C1, ALLOC, 'p', 'u'),
     {'consumer_generation': 3}, {
         None: ('1.1', {'consumer_uuid': C1, 'allocation_request': ALLOC,
                        'project_id': 'p', 'user_id': 'u',
                        'consumer_generation': 3}),
         '1.1': ('1.1', {'consumer_uuid': C1, 'allocation_request': ALLOC,
                         'project_id': 'p', 'user_id': 'u',
                         'consumer_generation': 3}),
         '1.0': UNSUPPORTED}),
    ('delete_allocations', (C1,), {}, {
        None: ('1.1', {'consumer_uuid': C1}),
        '1.1': ('1.1', {'consumer_uuid': C1}),
        '1.0': UNSUPPORTED}),
    ('move_allocations', (C1, C2), {}, {
        None: ('1.1', {'source_consumer_uuid': C1,
                       'target_consumer_uuid': C2}),
        '1.1': ('1.1', {'source_consumer_uuid': C1,
                        'target_consumer_uuid': C2}),
        '1.0': UNSUPPORTED}),
    ('get_allocations', (C1,), {}, {
        None: ('1.1', {'consumer_uuid': C1}),
        '1.1': ('1.1', {'consumer_uuid': C1}),
        '1.0': UNSUPPORTED}),
    ('create_server_group', (G1, 'web', 'anti-affinity'),
     {'rules': {'max_server_per_host': 2}}, {
        None: ('1.2', {'uuid': G1, 'name': 'web', 'policy': 'anti-affinity',
                       'rules': {'max_server_per_host': 2},
                       'project_id': None, 'user_id': None}),
        '1.1': UNSUPPORTED, '1.0': UNSUPPORTED}),
    ('update_server_group', (G1,), {'name': 'db'}, {
        None: ('1.2', {'uuid': G1, 'name': 'db', 'rules': None}),
        '1.1': UNSUPPORTED, '1.0': UNSUPPORTED}),
    ('delete_server_group', (G1,), {}, {
        None: ('1.2', {'uuid': G1}),
        '1.1': UNSUPPORTED, '1.0': UNSUPPORTED}),
    ('get_server_group', (G1,), {}, {
        None: ('1.2', {'uuid': G1}),
        '1.1': UNSUPPORTED, '1.0': UNSUPPORTED}),
    ('select_gang', (['S1', 'S2'], [['u1'], ['u2', 'u3']]), {}, {
        None: ('1.5', {'spec_objs': ['S1', 'S2'],
                       'instance_uuids': [['u1'], ['u2', 'u3']],
                       'return_alternates': False}),
        '1.2': ('1.2', {'spec_objs': ['S1', 'S2'],
                        'instance_uuids': [['u1'], ['u2', 'u3']],
                        'return_alternates': False}),
        '1.1': UNSUPPORTED, '1.0': UNSUPPORTED}),
    ('list_server_groups', (), {}, {
        None: ('1.2', {}),
        '1.1': UNSUPPORTED, '1.0': UNSUPPORTED}),
]
# Methods unchanged since 1.2 send at a 1.2 cap what an unpinned client
# sends.
for _name, _args, _kwargs, _by_cap in MESSAGES:
    _by_cap.setdefault('1.2', _by_cap[None])

MESSAGES += [
    ('capacity', ('SPEC',), {}, {
        None: ('1.2', {'spec_obj': 'SPEC', 'limit': None}),
        '1.2': ('1.2', {'spec_obj': 'SPEC', 'limit': None}),
        '1.1': UNSUPPORTED, '1.0': UNSUPPORTED}),
    ('capacity_limit', ('SPEC',), {'limit': 3}, {
        None: ('1.2', {'spec_obj': 'SPEC', 'limit': 3}),
        '1.2': ('1.2', {'spec_obj': 'SPEC', 'limit': 3}),
        '1.1': UNSUPPORTED, '1.0': UNSUPPORTED}),
]
# select_destinations and select_gang send 1.5 (Selection 1.2) only
# unpinned or at a 1.5 cap; at 1.3 and 1.4 what they send at 1.2.
for _name, _args, _kwargs, _by_cap in MESSAGES:
    if _name.startswith('select_'):
        _by_cap['1.3'] = _by_cap['1.4'] = _by_cap['1.2']
# Methods unchanged since 1.2 send at a 1.3 cap what an unpinned client
# sends.
for _name, _args, _kwargs, _by_cap in MESSAGES:
    _by_cap.setdefault('1.3', _by_cap[None])

R1 = '8f2b6a4c-1d3e-4f5a-9b7c-0d1e2f3a4b5c'
MESSAGES += [
    ('reserve', ('SPEC', 3), {'seconds': 600}, {
        None: ('1.3', {'spec_obj': 'SPEC', 'instances': 3, 'seconds': 600,
                       'deadline': None, 'uuid': None}),
        '1.2': UNSUPPORTED, '1.1': UNSUPPORTED, '1.0': UNSUPPORTED}),
    ('release_reservation', (R1,), {}, {
        None: ('1.3', {'uuid': R1}),
        '1.2': UNSUPPORTED, '1.1': UNSUPPORTED, '1.0': UNSUPPORTED}),
    ('get_reservation', (R1,), {}, {
        None: ('1.3', {'uuid': R1}),
        '1.2': UNSUPPORTED, '1.1': UNSUPPORTED, '1.0': UNSUPPORTED}),
    ('list_reservations', (), {}, {
        None: ('1.3', {}),
        '1.2': UNSUPPORTED, '1.1': UNSUPPORTED, '1.0': UNSUPPORTED}),
]
# Methods unchanged since 1.3 send at a 1.4 cap what an unpinned client
# sends.
for _name, _args, _kwargs, _by_cap in MESSAGES:
    _by_cap.setdefault('1.4', _by_cap[None])

_MOVE = {'migration_uuid': M1, 'flavor': None, 'host': 'h2', 'node': None,
         'aggregates': None, 'ignore_hosts': None, 'force_hosts': None,
         'force_nodes': None, 'availability_zone': None,
         'allow_cross_cell_move': False, 'return_alternates': False}


def _new_in_1_4(arguments):
    """What a 1.4 call sends unpinned; older caps cannot send it."""
    return {None: ('1.4', arguments), '1.3': UNSUPPORTED,
            '1.2': UNSUPPORTED, '1.1': UNSUPPORTED, '1.0': UNSUPPORTED}


MESSAGES += [
    ('move_instance', (I1, 'migrate'), {'migration_uuid': M1, 'host': 'h2'},
     _new_in_1_4(dict(_MOVE, instance_uuid=I1, operation='migrate'))),
    ('confirm_move', (I1, M1), {},
     _new_in_1_4({'instance_uuid': I1, 'migration_uuid': M1})),
    ('revert_move', (I1, M1), {},
     _new_in_1_4({'instance_uuid': I1, 'migration_uuid': M1})),
    ('delete_instance', (I1,), {}, _new_in_1_4({'instance_uuid': I1})),
    ('get_instance', (I1,), {}, _new_in_1_4({'instance_uuid': I1})),
]

# Every method sends at a 1.5 cap what an unpinned client sends.
for _name, _args, _kwargs, _by_cap in MESSAGES:
    _by_cap['1.5'] = _by_cap[None]

# claim_resources sends an alternate's numa_topology only unpinned or at
# a 1.6 cap; below, the 1.1 message without it.
_CLAIM = {'consumer_uuid': C1, 'allocation_request': ALLOC,
          'project_id': 'p', 'user_id': 'u', 'consumer_generation': None}
MESSAGES.append(
    ('claim_resources_numa', (C1, ALLOC, 'p', 'u'),
     {'numa_topology': 'TOPO'}, {
         None: ('1.6', dict(_CLAIM, numa_topology='TOPO')),
         '1.5': ('1.1', _CLAIM), '1.4': ('1.1', _CLAIM),
         '1.3': ('1.1', _CLAIM), '1.2': ('1.1', _CLAIM),
         '1.1': ('1.1', _CLAIM), '1.0': UNSUPPORTED}))
# Every method sends at a 1.7 cap what an unpinned client sends, and at
# a 1.6 cap too but select_destinations: RequestSpec 1.1 (pci_requests)
# goes only at 1.7; at 1.5 and 1.6 it sends its 1.5 message.
for _name, _args, _kwargs, _by_cap in MESSAGES:
    _by_cap['1.6'] = _by_cap['1.7'] = _by_cap[None]
    if _name.startswith('select_destinations'):
        _by_cap['1.5'] = _by_cap['1.6'] = ('1.5', _by_cap[None][1])

CAPS = (None, '1.7', '1.6', '1.5', '1.4', '1.3', '1.2', '1.1', '1.0')


def _scenarios():
    out = []
    for name, args, kwargs, by_cap in MESSAGES:
        method = name
        for suffix in ('_default', '_limit', '_generation', '_numa'):
            method = method.replace(suffix, '')
        for cap in CAPS:
            # Pinned at the newest version, a client sends what an
            # unpinned one does.
            expected = by_cap.get(cap, by_cap[None])
            required = min(v[0] for v in by_cap.values()
                           if v != UNSUPPORTED)
            out.append(('%s@%s' % (name, cap or 'newest'), dict(
                method=method, args=args, kwargs=kwargs, cap=cap,
                expected=expected, required=required)))
    return out


class TestSchedulerAPIMessages(testtools.TestCase):

    scenarios = _scenarios()

    def test_sends_exactly(self):
        api, client = _api(cap=self.cap, result='ANSWER')
        ctxt = context.get_admin_context()
        call = getattr(api, self.method)
        if self.expected == UNSUPPORTED:
            exc = self.assertRaises(exception.UnsupportedVersion, call,
                                    ctxt, *self.args, **self.kwargs)
            self.assertIn(self.method, str(exc))
            self.assertIn(self.required, str(exc))
            self.assertIn('[upgrade_levels] scheduler', str(exc))
            self.assertEqual([], client.sent)
            return
        answer = call(ctxt, *self.args, **self.kwargs)
        self.assertEqual('ANSWER', answer)
        version, arguments = self.expected
        self.assertEqual(
            [('call', {'version': version}, ctxt, self.method, arguments)],
            client.sent)


class TestEveryVersionIsCovered(testtools.TestCase):

    def test_table_covers_every_public_method_and_version(self):
        methods = {n for n, v in vars(scheduler_rpcapi.SchedulerAPI).items()
                   if callable(v) and not n.startswith('_')}
        covered = {name.split('_default')[0].split('_limit')[0]
                   .split('_generation')[0].split('_numa')[0]
                   for name, *_ in MESSAGES}
        self.assertEqual(methods, covered)
        versions = {'1.%d' % m for m in range(int(
            scheduler_rpcapi.SchedulerAPI.VERSION.split('.')[1]) + 1)}
        self.assertEqual(versions | {None}, set(CAPS))


class TestObjectsFollowTheCap(testtools.TestCase):

    def _sent_spec(self, cap):
        api, client = _api(cap=cap)
        spec = objects.RequestSpec(num_instances=1)
        api.select_destinations(context.get_admin_context(), spec, [C1])
        return client.sent[0][4]['spec_obj']

    def test_spec_goes_as_the_manifest_says(self):
        for cap in CAPS:
            primitive = self._sent_spec(cap)
            self.assertEqual('RequestSpec',
                             primitive['versioned_object.name'])
            # RequestSpec 1.1 (pci_requests) only to 1.7 schedulers.
            self.assertEqual('1.1' if cap in (None, '1.7') else '1.0',
                             primitive['versioned_object.version'], cap)

    def test_pci_requests_are_refused_below_1_7_not_dropped(self):
        spec = objects.RequestSpec(num_instances=1, pci_requests=[
            objects.InstancePCIRequest(count=1, spec=[
                {'physical_network': 'physnet1'}])])
        api, client = _api(cap='1.6')
        err = self.assertRaises(exception.UnsupportedVersion,
                                api.select_destinations,
                                context.get_admin_context(), spec, [C1])
        self.assertIn('pci_requests needs scheduler API 1.7', str(err))
        self.assertEqual([], client.sent)
        # Without devices asked, the pinned client sends as before.
        spec.pci_requests = []
        api.select_destinations(context.get_admin_context(), spec, [C1])
        self.assertEqual('1.5', client.sent[-1][1]['version'])

    def test_manifest_of_the_cap_is_kept(self):
        api, _ = _api(cap='1.0')
        self.assertEqual('1.0', api.object_versions['Selection'])
        api, _ = _api(cap='1.2')
        self.assertEqual('1.1', api.object_versions['Selection'])
        api, _ = _api()
        self.assertEqual('1.2', api.object_versions['Selection'])

    def test_allocation_request_text_is_sent_as_a_dict(self):
        import json
        api, client = _api()
        api.claim_resources(context.get_admin_context(), C1,
                            json.dumps(ALLOC), 'p', 'u')
        self.assertEqual(ALLOC, client.sent[0][4]['allocation_request'])

    def test_allocation_request_garbage_text_is_refused_locally(self):
        api, client = _api()
        exc = self.assertRaises(
            exception.InvalidClaim, api.claim_resources,
            context.get_admin_context(), C1, '{not json', 'p', 'u')
        self.assertIn('{not json', str(exc))
        self.assertEqual([], client.sent)


class TestExplainTrimsForOldServers(testtools.TestCase):

    def test_limit_applied_by_the_client_at_1_0(self):
        answer = {'hosts': [{'host': 'h%d' % i} for i in range(5)]}
        api, _ = _api(cap='1.0', result=answer)
        got = api.explain(context.get_admin_context(), 'SPEC', limit=2)
        self.assertEqual(['h0', 'h1'], [h['host'] for h in got['hosts']])


class TestSchedulerAPIVersionCap(testtools.TestCase):

    def test_unset_means_newest(self):
        api, _ = _api()
        self.assertIsNone(api.version_cap)

    def test_version_is_used_as_cap(self):
        api, client = _api(cap='1.0')
        self.assertEqual('1.0', api.version_cap)
        self.assertEqual('1.0', client.version_cap)

    def test_release_alias(self):
        self.assertEqual('1.0', _api(cap='alpha')[0].version_cap)
        self.assertEqual('1.1', _api(cap='beta')[0].version_cap)

    def test_auto_takes_the_lowest_registered_scheduler(self):
        db = fakes.FakeServicesDB([fakes.scheduler_row('s1', '1.1', 2),
                                   fakes.scheduler_row('s2', '1.0', 1)])
        api, _ = _api(cap='auto', db=db)
        self.assertEqual('1.0', api.version_cap)
        self.assertEqual(['gantt-scheduler'], db.asked)

    def test_auto_with_a_scheduler_before_numa_selections_caps_at_1_4(self):
        db = fakes.FakeServicesDB([fakes.scheduler_row('s1', '1.5', 7),
                                   fakes.scheduler_row('s2', '1.4', 6)])
        api, _ = _api(cap='auto', db=db)
        self.assertEqual('1.4', api.version_cap)
        self.assertEqual('1.1', api.object_versions['Selection'])

    def test_auto_with_a_scheduler_before_numa_claims_caps_at_1_5(self):
        db = fakes.FakeServicesDB([fakes.scheduler_row('s1', '1.6', 8),
                                   fakes.scheduler_row('s2', '1.5', 7)])
        api, client = _api(cap='auto', db=db)
        self.assertEqual('1.5', api.version_cap)
        api.claim_resources(context.get_admin_context(), C1, ALLOC, 'p',
                            'u', numa_topology='TOPO')
        self.assertEqual('1.1', client.sent[-1][1]['version'])
        self.assertNotIn('numa_topology', client.sent[-1][4])

    def test_auto_with_every_scheduler_current_is_uncapped(self):
        db = fakes.FakeServicesDB([fakes.scheduler_row('s1', '1.7', 9)])
        self.assertIsNone(_api(cap='auto', db=db)[0].version_cap)

    def test_auto_without_services_is_newest_with_a_warning(self):
        import fixtures
        log = self.useFixture(fixtures.FakeLogger(name='gantt'))
        api, _ = _api(cap='auto', db=fakes.FakeServicesDB())
        self.assertIsNone(api.version_cap)
        self.assertIn('no gantt-scheduler is registered', log.output)

    def test_auto_when_database_down_caps_at_oldest_with_a_warning(self):
        import fixtures
        from oslo_db import exception as db_exc
        log = self.useFixture(fixtures.FakeLogger(name='gantt'))
        db = fakes.FakeServicesDB(error=db_exc.DBConnectionError('db down'))
        api, client = _api(cap='auto', db=db)
        self.assertEqual('1.0', api.version_cap)
        self.assertEqual('1.0', client.version_cap)
        self.assertEqual('1.0', api.object_versions['Selection'])
        self.assertIn('db down', log.output)
        self.assertIn('oldest supported release', log.output)

    def test_refresh_after_the_database_returns_lifts_the_fallback(self):
        db = fakes.FakeServicesDB(error=RuntimeError('db down'))
        api, _ = _api(cap='auto', db=db)
        self.assertEqual('1.0', api.version_cap)
        db.error = None
        db.services = [fakes.scheduler_row('s1', '1.7', 9)]
        self.assertIsNone(api.refresh_version_cap())

    def test_refresh_reads_the_services_again(self):
        db = fakes.FakeServicesDB([fakes.scheduler_row('s1', '1.0', 1)])
        api, client = _api(cap='auto', db=db)
        self.assertEqual('1.0', api.version_cap)
        self.assertRaises(exception.UnsupportedVersion,
                          api.get_allocations, context.get_admin_context(),
                          C1)
        db.services = [fakes.scheduler_row('s1', '1.7', 9)]
        self.assertIsNone(api.refresh_version_cap())
        api.get_allocations(context.get_admin_context(), C1)
        self.assertEqual('1.1', client.sent[-1][1]['version'])
        self.assertEqual('1.2', api.object_versions['Selection'])

    def test_refresh_rereads_the_option(self):
        api, _ = _api(cap='1.0')
        api.conf.set_override('scheduler', None, group='upgrade_levels')
        self.assertIsNone(api.refresh_version_cap())
        self.assertIsNone(api.version_cap)

    def test_real_client_carries_the_cap(self):
        conf = gantt_conf.build_conf()
        conf.set_override('scheduler', '1.0', group='upgrade_levels')
        conf.set_override('transport_url', 'fake://')
        from gantt import rpc
        transport = rpc.get_transport(conf)
        self.addCleanup(transport.cleanup)
        api = scheduler_rpcapi.SchedulerAPI(conf, transport)
        self.assertEqual('1.0', api.client.version_cap)
        self.assertEqual('gantt', api.client.target.exchange)
        self.assertEqual('scheduler', api.client.target.topic)
        self.assertIsNone(api.client.target.namespace)
        self.assertTrue(api.client.can_send_version('1.0'))
        self.assertFalse(api.client.can_send_version('1.1'))
        sel = objects.Selection(service_host='h', weight=1.5)
        wire = api.client.serializer.serialize_entity(None, sel)
        self.assertEqual('1.0', wire['versioned_object.version'])
        self.assertNotIn('weight', wire['versioned_object.data'])
