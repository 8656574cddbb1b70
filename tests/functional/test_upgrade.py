"""Rolling upgrades over a real RabbitMQ: old and new schedulers and clients.

An old scheduler (the first release: RPC 1.0, 1.0 objects; see
old_scheduler.py) serves new conductors and computes whose caps are
``auto``; a current scheduler serves clients pinned to 1.0; a scheduler
upgraded in place lifts an auto cap on refresh. Scheduling results are
the same in every combination.
"""

import json
import time
import uuid

import oslo_messaging

from gantt import conf as gantt_conf
from gantt.db import api as db_api
from gantt import exception
from gantt import objects
from gantt import rpc
from gantt.rpcapi import releases
from gantt.rpcapi import report as report_rpcapi
from gantt.rpcapi import scheduler as scheduler_rpcapi
from tests.functional import fixtures as gantt_fixtures

# Different sizes, so every decision has one clear winner.
HOSTS = (('compute-a', 16, 32768), ('compute-b', 24, 65536),
         ('compute-c', 8, 16384))


def _node(host, vcpus, memory_mb, seq=1, tree=True):
    node = gantt_fixtures.compute_node(host, seq=seq, vcpus=vcpus,
                                       memory_mb=memory_mb)
    if tree:
        # What a new compute reports; a 1.0 scheduler never sees it.
        node.provider_tree = [objects.ResourceProvider(
            uuid=node.uuid, name=node.hypervisor_hostname)]
    return node


class Deployment:
    """A scheduler daemon, its database, and clients capped as asked."""

    def __init__(self, test, daemon):
        self.test = test
        self.daemon = daemon
        self.ctxt = test.ctxt
        self.db = db_api.Database(daemon.conf)
        test.addCleanup(self.db.dispose)

    def clients(self, scheduler=None, report=None):
        """(SchedulerAPI, ReportClient) with [upgrade_levels] as given."""
        conf = gantt_conf.build_conf(
            ['--config-file', self.daemon.config_file])
        conf.set_override('scheduler', scheduler, group='upgrade_levels')
        conf.set_override('report', report, group='upgrade_levels')
        return (scheduler_rpcapi.SchedulerAPI(conf, self.daemon.transport),
                report_rpcapi.ReportClient(conf, self.daemon.transport))

    def stored_hosts(self):
        return {c['host'] for c in self.db.get_changes(
            0).compute_nodes if not c.get('deleted')}

    def wait_for_hosts(self, hosts):
        end = time.monotonic() + 15
        while set(hosts) - self.stored_hosts():
            if time.monotonic() > end:
                self.test.fail('reports for %s never stored; daemon log:\n%s'
                               % (sorted(set(hosts) - self.stored_hosts()),
                                  self.daemon.log_tail()))
            time.sleep(0.05)

    def report_all(self, report, seq=1):
        for host, vcpus, memory_mb in HOSTS:
            report.update_resource_stats(
                self.ctxt, _node(host, vcpus, memory_mb, seq=seq))
        self.wait_for_hosts(h for h, _v, _m in HOSTS)

    def wait_until_scheduler_sees(self, scheduler):
        """Until a dry run lists every host.

        A worker's first refresh right after the reports were stored has
        been seen to read an older change sequence (a transient stale read
        in the store, reported to its owner); this keeps that out of the
        comparison of decisions.
        """
        wanted = {h for h, _v, _m in HOSTS}
        end = time.monotonic() + 15
        while True:
            seen = {h['host'] for h in scheduler.explain(
                self.ctxt, gantt_fixtures.request_spec())['hosts']}
            if wanted <= seen:
                return
            if time.monotonic() > end:
                self.test.fail('scheduler never saw %s; log:\n%s' % (
                    sorted(wanted - seen), self.daemon.log_tail()))
            time.sleep(0.1)

    def scenario(self, scheduler, report):
        """Report, then place four instances one by one: who got what."""
        self.report_all(report)
        self.wait_until_scheduler_sees(scheduler)
        placed = []
        for memory_mb in (4096, 8192, 2048, 30000):
            spec = gantt_fixtures.request_spec(vcpus=2, memory_mb=memory_mb)
            result = scheduler.select_destinations(
                self.ctxt, spec, [str(uuid.uuid4())],
                return_alternates=True)
            placed.append([s.service_host for s in result[0]])
        explained = scheduler.explain(
            self.ctxt, gantt_fixtures.request_spec(), limit=2)
        return {'placed': placed,
                'explained': [h['host'] for h in explained['hosts']]}

    def raw_reply(self, version, spec):
        """select_destinations' reply as it crosses the wire."""
        client = rpc.get_client(
            self.daemon.conf, self.daemon.transport,
            serializer=rpc.RequestContextSerializer(
                oslo_messaging.NoOpSerializer()))
        return client.prepare(version=version, timeout=10).call(
            self.ctxt, 'select_destinations',
            spec_obj=spec.obj_to_primitive(target_version='1.0'),
            instance_uuids=[str(uuid.uuid4())], return_alternates=False)


class UpgradeTestCase(gantt_fixtures.DaemonTestCase):

    def setUp(self):
        super().setUp()
        self.deploy = Deployment(self, self.daemon)
        self.db = self.deploy.db


class TestOldSchedulerNewClients(UpgradeTestCase):
    """The first release's scheduler; conductor and computes upgraded."""

    command = gantt_fixtures.OLD_SCHEDULER

    def test_registered_as_the_first_release(self):
        services = self.db.get_services(binary='gantt-scheduler')
        self.assertEqual([('1.0', 1)], [(s['rpc_version'], s['version'])
                                        for s in services])
        self.assertEqual('1.0', self.daemon.ping()['rpc_version'])

    def test_auto_caps_both_clients_at_1_0(self):
        scheduler, report = self.deploy.clients('auto', 'auto')
        self.assertEqual('1.0', scheduler.version_cap)
        self.assertEqual('1.0', report.version_cap)
        self.assertEqual('1.0', scheduler.object_versions['Selection'])
        self.assertEqual('1.0', report.object_versions['ComputeNode'])

    def test_auto_pinned_clients_are_served(self):
        scheduler, report = self.deploy.clients('auto', 'auto')
        result = self.deploy.scenario(scheduler, report)
        self.assertEqual(4, len(result['placed']))
        self.assertEqual(2, len(result['explained']))
        # Capped computes sent 1.0 objects: nothing for it to drop.
        self.assertNotIn('Accepting', self.daemon.log())

    def test_claims_need_a_newer_scheduler(self):
        scheduler, _ = self.deploy.clients('auto', 'auto')
        exc = self.assertRaises(
            exception.UnsupportedVersion, scheduler.claim_resources,
            self.ctxt, str(uuid.uuid4()), {'allocations': {}}, 'p', 'u')
        self.assertIn('claim_resources needs scheduler API 1.1', str(exc))

    def test_unpinned_client_is_refused_by_the_old_scheduler(self):
        scheduler, _ = self.deploy.clients()
        # (The first release answered oslo.messaging's UnsupportedVersion,
        # a RemoteError; a scheduler with this code's dispatcher answers
        # Gantt's own, typed.)
        exc = self.assertRaises(
            exception.UnsupportedVersion, scheduler.select_destinations,
            self.ctxt, gantt_fixtures.request_spec(), [str(uuid.uuid4())])
        self.assertIn('Unsupported version', str(exc))
        self.assertIsNone(self.daemon.process.poll())

    def test_newer_object_at_an_old_version_is_accepted_once_logged(self):
        # A newer compute whose cast says 1.0 but whose ComputeNode is
        # 1.1: the old scheduler drops provider_tree and stores the rest.
        client = rpc.get_client(self.conf, self.daemon.transport,
                                namespace='report')
        for seq in (1, 2):
            primitive = _node('compute-new', 4, 8192, seq=seq)
            client.prepare(version='1.0').cast(
                self.ctxt, 'update_resource_stats',
                compute_node=primitive.obj_to_primitive())
        end = time.monotonic() + 15
        while 'compute-new' not in self.deploy.stored_hosts():
            if time.monotonic() > end:
                self.fail('never stored; log:\n%s' % self.daemon.log_tail())
            time.sleep(0.05)
        log = self.daemon.log()
        self.assertEqual(1, log.count(
            'Accepting ComputeNode %s' % objects.ComputeNode.VERSION))
        self.assertIn('provider_tree', log)

    def test_unknown_major_is_refused_naming_it(self):
        client = rpc.get_client(self.conf, self.daemon.transport)
        spec = gantt_fixtures.request_spec().obj_to_primitive()
        spec['versioned_object.version'] = '2.0'
        exc = self.assertRaises(
            exception.InvalidRequest,
            client.prepare(version='1.0', timeout=10).call, self.ctxt,
            'select_destinations', spec_obj=spec,
            instance_uuids=[str(uuid.uuid4())], return_alternates=False)
        self.assertIn('Version 2.0 of RequestSpec', str(exc))

    def test_upgrade_in_place_then_refresh_lifts_the_cap(self):
        scheduler, report = self.deploy.clients('auto', 'auto')
        self.assertEqual('1.0', scheduler.version_cap)
        self.assertEqual(0, self.daemon.restart(
            command=gantt_fixtures.NEW_SCHEDULER))
        services = self.db.get_services(binary='gantt-scheduler')
        self.assertEqual([(releases.speaks(releases.SERVICE_VERSION,
                                           releases.SCHEDULER),
                           releases.SERVICE_VERSION)],
                         [(s['rpc_version'], s['version'])
                          for s in services])
        # What a conductor does on SIGHUP.
        self.assertIsNone(scheduler.refresh_version_cap())
        self.assertIsNone(report.refresh_version_cap())
        self.deploy.report_all(report, seq=2)
        self.deploy.wait_until_scheduler_sees(scheduler)
        uuids = [str(uuid.uuid4())]
        selection = scheduler.select_destinations(
            self.ctxt, gantt_fixtures.request_spec(), uuids)[0][0]
        allocations = scheduler.get_allocations(self.ctxt, uuids[0])
        self.assertEqual(json.loads(selection.allocation_request)[
            'allocations'][selection.compute_node_uuid]['resources'],
            allocations['allocations'][selection.compute_node_uuid][
                'resources'])


class TestCurrentSchedulerPinnedClients(UpgradeTestCase):
    """The current scheduler; some clients still pinned to 1.0."""

    def test_auto_means_no_cap(self):
        scheduler, report = self.deploy.clients('auto', 'auto')
        self.assertIsNone(scheduler.version_cap)
        self.assertIsNone(report.version_cap)

    def test_pinned_clients_are_served(self):
        scheduler, report = self.deploy.clients('1.0', '1.0')
        result = self.deploy.scenario(scheduler, report)
        self.assertEqual(4, len(result['placed']))
        self.assertEqual(2, len(result['explained']))
        exc = self.assertRaises(
            exception.UnsupportedVersion, scheduler.delete_allocations,
            self.ctxt, str(uuid.uuid4()))
        self.assertIn('[upgrade_levels] scheduler', str(exc))

    def test_pinned_compute_registers_its_report_version(self):
        _, report = self.deploy.clients(report='1.0')
        report.update_resource_stats(
            self.ctxt, _node('compute-old', 8, 8192, tree=False))
        node = _node('compute-new', 8, 8192)
        node.service.version = releases.SERVICE_VERSION
        self.deploy.clients()[1].update_resource_stats(self.ctxt, node)
        end = time.monotonic() + 15
        while True:
            rows = {s['host']: s for s in self.db.get_services()
                    if s['binary'] == 'gantt-compute'}
            if (len(rows) == 2 and
                    all(r['rpc_version'] for r in rows.values())):
                break
            if time.monotonic() > end:
                self.fail('computes not registered: %s' % rows)
            time.sleep(0.05)
        self.assertEqual(
            releases.speaks(releases.SERVICE_VERSION, releases.REPORT),
            rows['compute-new']['rpc_version'])

    def test_reply_follows_the_callers_version(self):
        scheduler, report = self.deploy.clients()
        self.deploy.report_all(report)
        self.deploy.wait_until_scheduler_sees(scheduler)
        spec = gantt_fixtures.request_spec()
        old = self.deploy.raw_reply('1.0', spec)[0][0]
        new = self.deploy.raw_reply('1.1', spec)[0][0]
        self.assertEqual('1.0', old['versioned_object.version'])
        self.assertNotIn('weight', old['versioned_object.data'])
        self.assertEqual('1.1', new['versioned_object.version'])
        self.assertIn('weight', new['versioned_object.data'])

    def test_claim_calls(self):
        scheduler, report = self.deploy.clients()
        self.deploy.report_all(report)
        node = gantt_fixtures.compute_node('compute-a')
        consumer, moved = str(uuid.uuid4()), str(uuid.uuid4())
        request = {'allocations': {node.uuid: {'resources': {
            'VCPU': 2, 'MEMORY_MB': 1024}}}}
        self.assertIs(True, scheduler.claim_resources(
            self.ctxt, consumer, request, 'project-1', 'user-1'))
        got = scheduler.get_allocations(self.ctxt, consumer)
        self.assertEqual({'VCPU': 2, 'MEMORY_MB': 1024},
                         got['allocations'][node.uuid]['resources'])
        # 32 GiB at RAM ratio 1.5 leaves room for one more 32 GiB claim.
        big = {'allocations': {node.uuid: {'resources': {
            'MEMORY_MB': 32768}}}}
        self.assertIs(True, scheduler.claim_resources(
            self.ctxt, str(uuid.uuid4()), big, 'project-1', 'user-1'))
        self.assertIs(False, scheduler.claim_resources(
            self.ctxt, str(uuid.uuid4()), big, 'project-1', 'user-1'))
        self.assertRaises(
            exception.InvalidClaim, scheduler.claim_resources, self.ctxt,
            str(uuid.uuid4()), {'allocations': {str(uuid.uuid4()): {
                'resources': {'VCPU': 1}}}}, 'project-1', 'user-1')
        self.assertRaises(
            exception.InvalidRequest, scheduler.claim_resources, self.ctxt,
            'not-a-uuid', request, 'project-1', 'user-1')
        self.assertIs(True, scheduler.move_allocations(
            self.ctxt, consumer, moved))
        self.assertEqual({}, scheduler.get_allocations(
            self.ctxt, consumer)['allocations'])
        self.assertIs(True, scheduler.delete_allocations(self.ctxt, moved))
        self.assertIs(False, scheduler.delete_allocations(self.ctxt, moved))


class TestSameResultsEverywhere(gantt_fixtures.DaemonTestCase):
    """One scenario, every combination of old/new scheduler and client."""

    command = gantt_fixtures.OLD_SCHEDULER

    def _run(self, daemon, scheduler_cap, report_cap):
        deploy = Deployment(self, daemon)
        self.logs.append(daemon)
        return deploy.scenario(*deploy.clients(scheduler_cap, report_cap))

    def _new_daemon(self):
        return self.useFixture(gantt_fixtures.SchedulerProcess(
            gantt_fixtures.transport_url_or_skip(self)))

    def test_same_hosts_in_every_combination(self):
        self.logs = []
        results = {
            'old scheduler, auto clients': self._run(self.daemon, 'auto',
                                                     'auto'),
            'new scheduler, 1.0 clients': self._run(self._new_daemon(),
                                                    '1.0', '1.0'),
            'new scheduler, auto clients': self._run(self._new_daemon(),
                                                     'auto', 'auto'),
            'new scheduler, new clients': self._run(self._new_daemon(),
                                                    None, None),
        }
        first = results['old scheduler, auto clients']
        self.assertEqual(4, len(first['placed']))
        for name, result in results.items():
            self.assertEqual(first, result, '%s; daemon logs:\n%s' % (
                name, '\n'.join(d.log_tail(3000) for d in self.logs)))
