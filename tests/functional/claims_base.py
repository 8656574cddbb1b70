"""What the claims tests share: a 2-worker daemon on either database, hosts
written straight into its store, and the checks that claims kept their word.

The checks read the store directly: nothing over capacity, ``used`` equal to
the sum of the allocations on every inventory, and each placed instance's
allocation present exactly once, on the host it was given.
"""

import json
import time
import uuid

import sqlalchemy as sa
import testscenarios

from gantt.db import api as db_api
from gantt.db import models
from gantt import objects
from gantt.rpcapi import report as report_rpcapi
from gantt.rpcapi import scheduler as scheduler_rpcapi
from tests.functional import fixtures as gantt_fixtures

PROJECT = 'project-1'
USER = 'user-1'

_providers = models.ResourceProvider.__table__
_inventories = models.Inventory.__table__
_allocations = models.Allocation.__table__
_consumers = models.Consumer.__table__


def node(host, vcpus, memory_mb, local_gb, seq=1):
    """A compute report with allocation ratios of 1 (capacity = total)."""
    report = gantt_fixtures.compute_node(host, seq=seq, vcpus=vcpus,
                                         memory_mb=memory_mb,
                                         local_gb=local_gb)
    report.resources.cpu_allocation_ratio = 1.0
    report.resources.ram_allocation_ratio = 1.0
    report.resources.disk_allocation_ratio = 1.0
    return report


def flavor_resources(vcpus, memory_mb, root_gb):
    return {'VCPU': vcpus, 'MEMORY_MB': memory_mb, 'DISK_GB': root_gb}


def alloc_req(rp_uuid, resources):
    return {'allocations': {rp_uuid: {'resources': {
        rc: n for rc, n in resources.items() if n}}},
        'mappings': {'': [rp_uuid]}}


class ClaimsTestCase(testscenarios.WithScenarios,
                     gantt_fixtures.DaemonTestCase):
    """A daemon with two workers, on SQLite, PostgreSQL and MySQL."""

    scenarios = gantt_fixtures.BACKENDS
    workers = 2
    # Hosts are written once, before a run that may take a minute or so.
    default_conf = 'service_down_time = 600\n'

    def setUp(self):
        super().setUp()
        self.db = db_api.Database(self.conf)
        self.addCleanup(self.db.dispose)
        self.scheduler = scheduler_rpcapi.SchedulerAPI(
            self.conf, self.daemon.transport)
        self.report = report_rpcapi.ReportClient(
            self.conf, self.daemon.transport)

    def wait_for_workers(self, count=None, deadline=30):
        """Until ``count`` distinct worker processes answer ping."""
        count = count or self.workers
        pids = set()
        end = time.monotonic() + deadline
        while len(pids) < count:
            if time.monotonic() > end:
                self.fail('only %d of %d workers answered; log:\n%s'
                          % (len(pids), count, self.daemon.log_tail()))
            pids.add(self.daemon.ping()['pid'])
        return pids

    def save_nodes(self, nodes):
        """Store reports in one transaction; {host: provider uuid}."""
        results = self.db.save_compute_nodes(nodes)
        self.assertEqual([True] * len(nodes), results)
        return {n.host: n.uuid for n in nodes}

    def preclaim(self, claims):
        """Claim [(provider uuid, resources)] for fresh consumers, all in
        one transaction; the consumer uuids."""
        requests = [(str(uuid.uuid4()), alloc_req(rp, res), PROJECT, USER)
                    for rp, res in claims]
        if requests:
            self.db.claim_all(requests)
        return [r[0] for r in requests]

    def spec(self, vcpus=2, memory_mb=2048, root_gb=20, num_instances=1):
        return gantt_fixtures.request_spec(
            vcpus=vcpus, memory_mb=memory_mb, root_gb=root_gb,
            num_instances=num_instances)

    # -- checks on the store --------------------------------------------

    def ledger(self):
        """[(provider, class, used, capacity, sum of allocations)]."""
        sums = (sa.select(_allocations.c.resource_provider_id,
                          _allocations.c.resource_class,
                          sa.func.sum(_allocations.c.used).label('total'))
                .group_by(_allocations.c.resource_provider_id,
                          _allocations.c.resource_class).subquery())
        query = (
            sa.select(_providers.c.uuid, _inventories.c.resource_class,
                      _inventories.c.used, _inventories.c.capacity,
                      sa.func.coalesce(sums.c.total, 0))
            .select_from(
                _inventories.join(
                    _providers,
                    _providers.c.id == _inventories.c.resource_provider_id)
                .outerjoin(sums, sa.and_(
                    sums.c.resource_provider_id ==
                    _inventories.c.resource_provider_id,
                    sums.c.resource_class == _inventories.c.resource_class)))
            .order_by(_providers.c.uuid, _inventories.c.resource_class))
        with self.db.reader() as session:
            return [tuple(r) for r in session.execute(query)]

    def consumer_uuids(self):
        with self.db.reader() as session:
            return {r[0] for r in session.execute(
                sa.select(_consumers.c.uuid).where(sa.exists().where(
                    _allocations.c.consumer_id == _consumers.c.id)))}

    def instance_hosts(self):
        """{instance uuid: host} of the instance records the store keeps
        (the scheduler writes one with each claim)."""
        return {i['instance_uuid']: i['host']
                for i in self.db.get_changes(0).instances
                if not i.get('deleted')}

    def assert_books_balance(self):
        """No inventory over capacity; ``used`` == sum of allocations."""
        self.assertEqual([], self.db.overcommitted_providers())
        wrong = [row for row in self.ledger() if row[2] != row[4]]
        self.assertEqual([], wrong, 'used differs from the allocations '
                         '(provider, class, used, capacity, allocated)')

    def assert_holds(self, consumer, rp_uuid, resources):
        """The consumer holds exactly ``resources`` on ``rp_uuid`` and
        nothing else (asked the way a conductor would)."""
        held = self.scheduler.get_allocations(self.ctxt, consumer)
        self.assertEqual(
            {rp_uuid: {rc: n for rc, n in resources.items() if n}},
            {rp: body['resources']
             for rp, body in held['allocations'].items()},
            'allocations of consumer %s' % consumer)

    def assert_holds_nothing(self, consumer):
        held = self.scheduler.get_allocations(self.ctxt, consumer)
        self.assertEqual({}, held['allocations'],
                         'consumer %s still holds' % consumer)

    @staticmethod
    def claimed(selection):
        """(provider uuid, resources) a primary Selection claimed."""
        request = json.loads(selection.allocation_request)
        (rp_uuid, body), = request['allocations'].items()
        return rp_uuid, body['resources']


objects.register_all()
