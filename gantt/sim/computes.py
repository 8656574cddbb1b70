"""Simulated compute nodes: a seeded fleet of mixed hosts that report in.

Each node is a real, validated ``ComputeNode`` object; the fleet spreads
over a few cells and availability zones (zones are aggregates, as in the
compute controller) and reports through ``ReportClient`` casts, exactly as
real computes would.
"""

import random
import threading
import time
import uuid

from gantt import objects
from gantt.rpcapi import releases
from gantt.sim import numa_hosts

# Host shapes of a mixed fleet: (weight, vcpus, memory GB, local disk GB).
SHAPES = (
    (3, 16, 64, 500),
    (4, 32, 128, 1000),
    (4, 48, 256, 1500),
    (3, 64, 384, 2000),
    (2, 96, 512, 3000),
    (1, 128, 1024, 4000),
)

# Operator-style ratios: CPU overcommitted, memory and disk not.
CPU_RATIO = 4.0
RAM_RATIO = 1.0
DISK_RATIO = 1.0

HYPERVISOR_VERSIONS = (6002000, 7002000, 8002000)


def _uuid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class Fleet(object):
    """N simulated computes, the same for the same seed.

    ``cells`` cell uuids and ``azs`` availability zone names are handed out
    round-robin-ish at random; ``nodes`` are the ComputeNode objects and
    ``aggregates`` the one aggregate per zone that puts hosts in it.
    With ``numa``, every node also reports a NUMA topology and a share of
    them PCI devices (gantt.sim.numa_hosts), drawn from a generator of
    their own so the rest of each node is the same as without.
    """

    def __init__(self, count, seed=0, cells=2, azs=('az1', 'az2', 'az3'),
                 prefix='sim-compute', first_seq=None, numa=False):
        objects.register_all()
        self.rng = random.Random(seed)
        self.prefix = prefix
        # Report sequences start at the clock, so a later run with the same
        # seed (same node uuids) against the same database is never stale.
        self.first_seq = (int(time.time()) if first_seq is None
                          else first_seq)
        self.cell_uuids = [_uuid(self.rng) for _ in range(cells)]
        self.az_names = list(azs)
        self.nodes = [self._make_node(i, prefix) for i in range(count)]
        self.aggregates = self._make_aggregates()
        self.numa = numa
        if numa:
            numa_rng = random.Random('numa-%d' % seed)
            for node in self.nodes:
                numa_hosts.equip(node, numa_rng)
                node.validate()

    def _make_node(self, i, prefix):
        rng = self.rng
        weights = [s[0] for s in SHAPES]
        _w, vcpus, ram_gb, disk_gb = rng.choices(SHAPES, weights)[0]
        name = '%s-%05d' % (prefix, i)
        node = objects.ComputeNode(
            uuid=_uuid(rng),
            host=name,
            hypervisor_hostname=name,
            cell_uuid=self.cell_uuids[i % len(self.cell_uuids)],
            report_seq=self.first_seq,
            resources=objects.ComputeResources(
                vcpus=vcpus,
                memory_mb=ram_gb * 1024,
                local_gb=disk_gb,
                reserved_vcpus=rng.choice((0, 1, 2)),
                reserved_memory_mb=rng.choice((512, 2048, 4096)),
                reserved_disk_gb=rng.choice((0, 10, 50)),
                cpu_allocation_ratio=CPU_RATIO,
                ram_allocation_ratio=RAM_RATIO,
                disk_allocation_ratio=DISK_RATIO,
                vcpus_used=0, memory_mb_used=0, local_gb_used=0),
            hypervisor=objects.HypervisorInfo(
                hypervisor_type='QEMU',
                hypervisor_version=rng.choice(HYPERVISOR_VERSIONS),
                cpu_info='{"arch": "x86_64", "vendor": "Intel"}',
                host_ip='10.%d.%d.%d' % (i // 65536 % 256, i // 256 % 256,
                                         i % 256),
                supported_instances=[objects.HVSpec(
                    arch='x86_64', hv_type='qemu', vm_mode='hvm')]),
            stats=objects.ComputeStats(
                num_instances=0, num_io_ops=0, failed_builds=0, extra={}),
            metrics=[],
            service=objects.ServiceStatus(
                binary='gantt-compute', disabled=False, forced_down=False,
                version=releases.SERVICE_VERSION))
        node.validate()
        return node

    def _make_aggregates(self):
        members = {az: [] for az in self.az_names}
        for i, node in enumerate(self.nodes):
            if self.az_names:
                members[self.az_names[i % len(self.az_names)]].append(
                    node.host)
        aggs = []
        for i, az in enumerate(self.az_names):
            aggs.append(objects.Aggregate(
                id=i + 1, uuid=_uuid(self.rng), name='sim-%s' % az,
                hosts=members[az], metadata={'availability_zone': az}))
        return aggs

    def __len__(self):
        return len(self.nodes)


def report(fleet, report_client, ctxt, progress=None, stored=None,
           window=0, check_every=64):
    """Cast every aggregate, then every node's update_resource_stats.

    Aggregates go first so no host is ever seen in the default zone.
    ``progress(done)`` is called after each node. With ``stored`` (a
    callable counting stored nodes) and a ``window``, at most ``window``
    reports are left unstored at any time, so a slow store is not buried
    under a backlog it cannot drain before its lock timeouts.
    """
    for agg in fleet.aggregates:
        report_client.update_aggregates(ctxt, [agg])
    for done, node in enumerate(fleet.nodes, 1):
        if (stored is not None and window and done > window and
                done % check_every == 0):
            while stored() < done - window:
                time.sleep(0.05)
        report_client.update_resource_stats(ctxt, node)
        if progress is not None:
            progress(done)


def resend_missing(fleet, report_client, ctxt, stored_uuids):
    """Report again, one sequence newer, every node not yet stored."""
    missing = [n for n in fleet.nodes if n.uuid not in stored_uuids]
    for node in missing:
        node.report_seq += 1
        report_client.update_resource_stats(ctxt, node)
    return len(missing)


class Heartbeat(object):
    """Re-reports every node once per `interval` seconds, evenly paced.

    Real computes report periodically and a host silent for longer than
    the scheduler's service_down_time counts as down; each re-report bumps
    the node's report_seq so it is not discarded as stale.
    """

    def __init__(self, fleet, report_client, ctxt, interval, tick=0.1):
        self.fleet = fleet
        self.client = report_client
        self.ctxt = ctxt
        self.interval = float(interval)
        self.tick = tick
        self.sent = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name='sim-heartbeat')

    def start(self):
        if self.interval > 0 and self.fleet.nodes:
            self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self):
        nodes = self.fleet.nodes
        per_tick = len(nodes) * self.tick / self.interval
        owed = 0.0
        i = 0
        while not self._stop.wait(self.tick):
            owed += per_tick
            while owed >= 1 and not self._stop.is_set():
                node = nodes[i % len(nodes)]
                node.report_seq += 1
                self.client.update_resource_stats(self.ctxt, node)
                self.sent += 1
                owed -= 1
                i += 1


def _stored_rows(fleet):
    """SELECT criteria for this fleet's nodes stored by this run."""
    # Imported here: only callers with a database need the models.
    import sqlalchemy as sa

    from gantt.db import models

    table = models.ComputeNode.__table__
    return table, sa.and_(table.c.deleted == sa.false(),
                          table.c.host.like(fleet.prefix + '-%'),
                          table.c.report_seq >= fleet.first_seq)


def stored_count(db, fleet):
    """How many of fleet's nodes the database holds from this run."""
    import sqlalchemy as sa

    table, where = _stored_rows(fleet)
    with db.reader() as session:
        return session.execute(
            sa.select(sa.func.count()).select_from(table)
            .where(where)).scalar_one()


def stored_uuids(db, fleet):
    """The uuids of fleet's nodes the database holds from this run."""
    import sqlalchemy as sa

    table, where = _stored_rows(fleet)
    with db.reader() as session:
        return set(session.execute(
            sa.select(table.c.uuid).where(where)).scalars())


def wait_until_known(count, expected, timeout=120.0, progress=None,
                     interval=0.1, on_stall=None, stall_s=5.0):
    """Poll ``count()`` until it reaches expected; return the last count.

    Reports are casts, so they are stored some time after they are sent;
    this waits for that. When the count has not moved for ``stall_s``
    seconds, ``on_stall()`` is called (to resend lost reports). Raises
    RuntimeError, with the figures, on timeout.
    """
    deadline = time.monotonic() + timeout
    seen = count()
    moved = time.monotonic()
    while seen < expected:
        if progress is not None:
            progress(seen)
        now = time.monotonic()
        if now > deadline:
            raise RuntimeError(
                'only %d of %d compute reports were stored after %.0f s; '
                'is the scheduler consuming its queue?'
                % (seen, expected, timeout))
        if on_stall is not None and now - moved > stall_s:
            on_stall()
            moved = now
        time.sleep(interval)
        last, seen = seen, count()
        if seen != last:
            moved = time.monotonic()
    if progress is not None:
        progress(seen)
    return seen
