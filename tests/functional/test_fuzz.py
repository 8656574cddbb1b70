"""Thousands of random and hostile messages to a real gantt-scheduler.

Seeded (GANTT_FUZZ_SEED, 23 unless set): calls with every argument replaced
by values of the wrong type, size or depth, mutated objects of every kind
the API takes, casts of broken reports, and raw bodies no oslo.messaging
client could send (not JSON, 10,000 deep, 2 MB, odd routing keys). Every
call must be answered with a result or a Gantt exception (never a
RemoteError, never a timeout) in bounded size, every bad cast must cost
one log line, the daemon must keep serving and the stored hosts must not
change.
"""

import collections
import json
import os
import random
import threading
import time
import uuid

import oslo_messaging

from gantt.db import api as db_api
from gantt import exception
from gantt import rpc
from gantt.rpcapi import report as report_rpcapi
from tests.functional import fixtures as gantt_fixtures
from tests.functional import raw_bus

HOSTS = ('fuzz-a', 'fuzz-b', 'fuzz-c')
SEED = int(os.environ.get('GANTT_FUZZ_SEED', '23'))
CALLS = int(os.environ.get('GANTT_FUZZ_CALLS', '1600'))
CASTS = int(os.environ.get('GANTT_FUZZ_CASTS', '600'))
LONG = 'x' * 70000

BAD_BY_TYPE = {
    int: ['16', 16.5, True, 2 ** 70, [], {}, LONG],
    float: ['1.5', True, [], {}, LONG],
    bool: [1, 0, 'true', 'false', 1.0, []],
    str: [16, 1.5, True, ['x'], {'a': 'b'}, LONG],
    list: ['x', 5, {'a': 1}, [2 ** 70], [LONG], [[[[]]]]],
    dict: ['x', 5, [1], {'k': 2 ** 70}, {'k': LONG}],
}
ANYTHING_BAD = [2 ** 70, LONG, {'x': [2 ** 70]}, [[[LONG]]], ['x'] * 20000]
ARBITRARY = [None, True, 0, -1, 7, 2 ** 63, 1.5, '', 'x', '16', LONG, [],
             [1, 'a'], {}, {'a': 1}, ['u'] * 20000, str(uuid.uuid4()),
             {'versioned_object.name': 'RequestSpec'},
             {'versioned_object.name': 'Teapot',
              'versioned_object.namespace': 'gantt',
              'versioned_object.version': '1.0',
              'versioned_object.data': {}},
             {'versioned_object.name': 'RequestSpec',
              'versioned_object.namespace': 'gantt',
              'versioned_object.version': 'one',
              'versioned_object.data': {}}]


def _nested(depth):
    value = []
    for _ in range(depth):
        value = [value]
    return value


def _leaves(primitive, path=()):
    """Every (path, value) of the object fields in a primitive."""
    if isinstance(primitive, dict) and 'versioned_object.data' in primitive:
        data = primitive['versioned_object.data']
        for key, value in data.items():
            here = path + ('versioned_object.data', key)
            yield here, value
            yield from _leaves(value, here)
    elif isinstance(primitive, list):
        for i, value in enumerate(primitive):
            yield from _leaves(value, path + (i,))


def _replace(primitive, path, value):
    copy = json.loads(json.dumps(primitive))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copy


def mutate(rnd, primitive):
    """The primitive with one field made wrong whatever the field is:
    another type, too long, too large or too deep; or the object's own
    name, version or data broken."""
    leaves = list(_leaves(primitive))
    roll = rnd.random()
    if roll < 0.1 or not leaves:
        key = rnd.choice(['versioned_object.name', 'versioned_object.version',
                          'versioned_object.data'])
        return _replace(primitive, (key,), rnd.choice(
            ['Teapot', '9.0', 'x', 5, [], None]))
    path, value = rnd.choice(leaves)
    pool = ANYTHING_BAD
    for kind, bad in BAD_BY_TYPE.items():
        if type(value) is kind:
            pool = bad
            break
    if isinstance(value, dict) and 'versioned_object.name' in value:
        pool = ['x', 5, [1], {'versioned_object.name': 5}, LONG]
    return _replace(primitive, path, rnd.choice(pool))


class TestFuzz(gantt_fixtures.DaemonTestCase):

    def setUp(self):
        super().setUp()
        self.rnd = random.Random(SEED)
        self.db = db_api.Database(self.conf)
        self.addCleanup(self.db.dispose)
        report = report_rpcapi.ReportClient(self.conf, self.daemon.transport)
        self.nodes = {h: gantt_fixtures.compute_node(h, seq=1)
                      for h in HOSTS}
        for node in self.nodes.values():
            report.update_resource_stats(self.ctxt, node)
        end = time.monotonic() + 30
        while set(HOSTS) - set(self._stored()):
            self.assertLess(time.monotonic(), end, self.daemon.log_tail())
            time.sleep(0.05)
        self.client = rpc.get_client(self.conf, self.daemon.transport)
        self.reports = rpc.get_client(self.conf, self.daemon.transport,
                                      namespace='report')

    def _stored(self):
        changes = self.db.get_changes(0)
        nodes = {c['host']: c for c in changes.compute_nodes
                 if not c.get('deleted')}
        inventories = sorted(
            (i['provider_uuid'], i['resource_class'], i['total'],
             i['reserved'], i['allocation_ratio'])
            for i in changes.inventories)
        return {host: (row['uuid'], row['hypervisor_hostname'],
                       row.get('report_seq'), repr(sorted(
                           (k, repr(v)) for k, v in row.items()
                           if k not in ('updated_at', 'last_seen_up',
                                        'change_seq', 'created_at'))))
                for host, row in nodes.items()} | {
                    '(inventories)': repr(inventories)}

    # What each call's arguments may be.

    def _spec(self):
        spec = gantt_fixtures.request_spec()
        return spec.obj_to_primitive()

    def _node(self):
        node = self.nodes[self.rnd.choice(HOSTS)].obj_clone()
        node.report_seq = 1000 + self.rnd.randrange(10 ** 6)
        return node.obj_to_primitive()

    def _value(self, good):
        """A wrong value: arbitrary, or ``good`` mutated when it is an
        object primitive."""
        if isinstance(good, dict) and 'versioned_object.name' in good and (
                self.rnd.random() < 0.7):
            return mutate(self.rnd, good)
        return self.rnd.choice(ARBITRARY + [_nested(40)])

    def _call_args(self):
        method = self.rnd.choice([
            'select_destinations', 'select_destinations', 'explain',
            'claim_resources', 'delete_allocations', 'move_allocations',
            'get_allocations', 'no_such_method'])
        good = {
            'select_destinations': {'spec_obj': self._spec(),
                                    'instance_uuids': [str(uuid.uuid4())],
                                    'return_alternates': False},
            'explain': {'spec_obj': self._spec(), 'limit': 3},
            'claim_resources': {
                'consumer_uuid': str(uuid.uuid4()),
                'allocation_request': {'allocations': {
                    self.nodes['fuzz-a'].uuid: {'resources': {'VCPU': 1}}}},
                'project_id': 'p', 'user_id': 'u'},
            'delete_allocations': {'consumer_uuid': str(uuid.uuid4())},
            'move_allocations': {'source_consumer_uuid': str(uuid.uuid4()),
                                 'target_consumer_uuid': str(uuid.uuid4())},
            'get_allocations': {'consumer_uuid': str(uuid.uuid4())},
            'no_such_method': {},
        }[method]
        args = dict(good)
        if args:
            # One or two arguments wrong, sometimes an extra or a missing.
            for name in self.rnd.sample(sorted(args),
                                        min(len(args),
                                            self.rnd.choice([1, 1, 2]))):
                args[name] = self._value(args[name])
            if self.rnd.random() < 0.05:
                args['surprise'] = 1
            if self.rnd.random() < 0.05:
                args.pop(self.rnd.choice(sorted(args)))
        return method, args

    def _cast_args(self):
        """A cast that is wrong by construction."""
        host = self.rnd.choice(HOSTS)
        method = self.rnd.choice([
            'update_resource_stats', 'update_resource_stats',
            'update_resource_stats', 'update_aggregates',
            'update_instance_info', 'sync_instance_info',
            'delete_instance_info'])
        if method == 'update_resource_stats':
            node = self._node()
            return method, {'compute_node': mutate(self.rnd, node)}
        if method == 'update_aggregates':
            return method, {'aggregates': self.rnd.choice(
                [LONG, 5, [5], {'a': 1}, [{'versioned_object.name': 5}]])}
        bad_host = self.rnd.choice([5, '', None, 'h' * 300, ['x']])
        if method == 'update_instance_info':
            return method, {'host': bad_host, 'instance_info': []}
        if method == 'sync_instance_info':
            return method, self.rnd.choice([
                {'host': bad_host, 'instance_uuids': []},
                {'host': host, 'instance_uuids': ['not-a-uuid']},
                {'host': host, 'instance_uuids': 'x'}])
        return method, {'host': host, 'instance_uuid': self.rnd.choice(
            [5, 'x', LONG, None])}

    # The test.

    def _send_calls(self, calls, outcomes):
        ctxt = self.ctxt
        for method, args in calls:
            try:
                self.client.prepare(version='1.1', timeout=30).call(
                    ctxt, method, **args)
                outcomes.append(('result', None, 0))
            except exception.GanttException as exc:
                outcomes.append(('typed', type(exc).__name__,
                                 len(str(exc))))
            except oslo_messaging.MessagingTimeout:
                outcomes.append(('timeout', method, 0))
            except Exception as exc:
                outcomes.append(('untyped', '%s: %s in %s(%s)' % (
                    type(exc).__name__, str(exc)[:300], method,
                    sorted(args)), 0))

    def _raw_cases(self, bus):
        """(message id or None, body) of hand-made hostile messages."""
        cases = []

        def call(method, args, **extra):
            msg_id = uuid.uuid4().hex
            return msg_id, raw_bus.call_message(method, args, msg_id,
                                                bus.reply_q, **extra)

        for _ in range(5):
            msg_id, message = call('select_destinations',
                                   {'spec_obj': 'x' * (2 * 1024 * 1024)})
            cases.append((msg_id, raw_bus.envelope(json.dumps(message))))
        for depth in (900, 10000):
            for _ in range(5):
                msg_id, message = call('select_destinations',
                                       {'spec_obj': None})
                text = json.dumps(message).replace(
                    '"spec_obj": null', '"spec_obj": %s%s' % (
                        '[' * depth, ']' * depth))
                cases.append((msg_id, raw_bus.envelope(text)))
        for change in ({'method': 5}, {'method': '_refuse'},
                       {'method': 'no_such'}, {'version': '9.0'},
                       {'version': 'one'}, {'namespace': 5},
                       {'namespace': 'nope'}, {'args': [1]},
                       {'_timeout': 'soon'}, {'_context_roles': {'a': 1}},
                       {'args': {'consumer_uuid': 2 ** 70}},
                       {'args': {'spec_obj': ['u'] * 20000}}):
            msg_id, message = call('get_allocations',
                                   {'consumer_uuid': str(uuid.uuid4())})
            message.update(change)
            cases.append((msg_id, raw_bus.envelope(json.dumps(message))))
        # Not JSON, but the reply address is readable.
        msg_id, message = call('ping', {})
        text = json.dumps(message)
        cases.append((msg_id, raw_bus.envelope(text)[:-3] + ' garbage'))
        msg_id, message = call('ping', {})
        cases.append((msg_id, json.dumps({'oslo.version': '7.0',
                                          'oslo.message': json.dumps(
                                              message)})))
        # Casts no one can answer: not JSON, not an object, binary.
        for body in ('\x00\xff garbage', '[1, 2, 3]', '"just text"',
                     '{"oslo.version": "2.0"}', '{' * 5000):
            cases.append((None, body))
        return cases

    def test_random_and_hostile_messages_get_typed_errors_and_change_nothing(
            self):
        before = self._stored()
        log_before = len(self.daemon.log())
        calls = [self._call_args() for _ in range(CALLS)]
        casts = [self._cast_args() for _ in range(CASTS)]
        for method, args in casts:
            self.reports.prepare(version='1.1').cast(self.ctxt, method,
                                                     **args)
        outcomes = []
        threads = [threading.Thread(target=self._send_calls,
                                    args=(calls[i::4], outcomes))
                   for i in range(4)]
        for thread in threads:
            thread.start()
        bus = raw_bus.RawBus(self.daemon.transport_url, self.daemon.topic)
        self.addCleanup(bus.close)
        raw = self._raw_cases(bus)
        for msg_id, body in raw:
            bus.publish(body)
        for thread in threads:
            thread.join(120)
        expected = {m for m, _ in raw if m is not None}
        missing = bus.wait_for(expected)

        seed = 'seed %d' % SEED
        self.assertEqual(set(), missing, 'raw calls never answered (%s): %s'
                         '\nlog:\n%s' % (seed, [
                             body[:300] for m, body in raw if m in missing],
                             self.daemon.log_tail(6000)))
        untyped = sorted({o[1][:400] for o in outcomes
                          if o[0] in ('untyped', 'timeout')})
        self.assertEqual([], untyped, seed)
        self.assertEqual(CALLS, len(outcomes))
        for msg_id in expected:
            kind, module, cls, message = bus.replies[msg_id]
            self.assertEqual(('failure', 'gantt.exception'), (kind, module),
                             '%s: %s' % (seed, bus.replies[msg_id]))
        # Error replies stay small whatever was sent (2 MB, 70 KB strings):
        # the message is cut at 2 KB; the text also holds the scheduler's
        # traceback, a few frames.
        self.assertLess(max(o[2] for o in outcomes), 8192)
        self.assertLess(max(bus.reply_sizes.values()), 16 * 1024)
        typed = sum(1 for o in outcomes if o[0] == 'typed')
        self.assertGreater(typed, CALLS * 0.9, seed)

        # One log line per bad cast (raw ones included), no tracebacks.
        casts_refused = CASTS + sum(1 for m, _ in raw if m is None)
        end = time.monotonic() + 60
        while True:
            log = self.daemon.log()[log_before:]
            lines = [line for line in log.splitlines()
                     if ('Refused cast' in line or 'Ignored ' in line)]
            if len(lines) >= casts_refused or time.monotonic() > end:
                break
            time.sleep(0.2)
        sent = collections.Counter(m for m, _ in casts)
        seen = collections.Counter(
            line.split('Ignored ')[-1].split(' ')[0] if 'Ignored ' in line
            else 'raw' for line in lines)
        self.assertEqual(casts_refused, len(lines), '%s: sent %s, logged %s'
                         '\n%s' % (seed, dict(sent), dict(seen), '\n'.join(
                             line[:300] for line in log.splitlines()
                             if 'gantt.rpc' in line or 'ERROR' in line)[
                                 -5000:]))
        self.assertNotIn('Traceback', log)
        self.assertLess(max(len(line) for line in log.splitlines()), 3000)

        # Still serving, and every stored host is as it was.
        self.assertIsNone(self.daemon.process.poll())
        self.daemon.ping(timeout=10)
        self.assertEqual(before, self._stored(), seed)
        self.addDetail('fuzz', _text(
            '%s: %d calls (%d typed errors, %d results), %d casts, %d raw '
            'messages' % (seed, CALLS, typed, CALLS - typed, CASTS,
                          len(raw))))


def _text(value):
    from tests.functional import test_flood
    return test_flood._text(value)
