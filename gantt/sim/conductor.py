"""A simulated conductor: many select_destinations calls from a few threads.

It sends a seeded mix of flavors (a few of which fit nowhere, so NoValidHost
is exercised too; with ``numa``, also the pinned, huge page and PCI flavors
of gantt.sim.scenario), times every call and counts placements and
refusals, per flavor kind too.
"""

import collections
import random
import re
import threading
import time
import uuid

from gantt import context as gantt_context
from gantt import objects
from gantt.sim import scenario

# (weight, name, vcpus, memory MB, root GB). The last one is larger than
# any simulated host and can never be placed.
FLAVORS = (
    (10, 'sim.tiny', 1, 512, 1),
    (25, 'sim.small', 1, 2048, 20),
    (30, 'sim.medium', 2, 4096, 40),
    (20, 'sim.large', 4, 8192, 80),
    (10, 'sim.xlarge', 8, 16384, 160),
    (3, 'sim.2xlarge', 16, 65536, 320),
    (2, 'sim.impossible', 256, 4 * 1024 * 1024, 8000),
)

# Share of requests that ask for a particular availability zone.
AZ_SHARE = 0.2


def is_no_valid_host(exc):
    """True when exc is NoValidHost, raised here or relayed over RPC.

    oslo.messaging rebuilds allowed remote exceptions as a subclass named
    ``<Name>_Remote`` and others as ``RemoteError`` carrying ``exc_type``.
    """
    for cls in type(exc).__mro__:
        if cls.__name__ in ('NoValidHost', 'NoValidHost_Remote'):
            return True
    return getattr(exc, 'exc_type', None) == 'NoValidHost'


def flavor_table(numa=False):
    """(weight, name, vcpus, memory MB, root GB, kind, extra specs) of
    the mix: FLAVORS, plus scenario.FLAVORS with ``numa``."""
    table = [row + (scenario.PLAIN, {}) for row in FLAVORS]
    if numa:
        table.extend(scenario.FLAVORS)
    return table


def make_flavors(numa=False):
    objects.register_all()
    return [(w, objects.Flavor(id=i + 1, flavorid=name, name=name,
                               vcpus=vcpus, memory_mb=ram, root_gb=disk,
                               ephemeral_gb=0, swap=0,
                               extra_specs=dict(specs)))
            for i, (w, name, vcpus, ram, disk, _kind, specs)
            in enumerate(flavor_table(numa))]


class RequestMaker(object):
    """Seeded RequestSpecs with a realistic mix of flavors and zones."""

    def __init__(self, seed=0, azs=(), projects=8, numa=False):
        objects.register_all()
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.flavors = make_flavors(numa)
        # Flavor name -> kind (scenario.KINDS).
        self.kinds = {row[1]: row[5] for row in flavor_table(numa)}
        self.azs = list(azs)
        self.projects = ['project-%d' % i for i in range(projects)]

    def _uuid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def make(self):
        """(context, spec, instance_uuids) for one single-instance build."""
        with self.lock:
            rng = self.rng
            flavor = rng.choices([f for _w, f in self.flavors],
                                 [w for w, _f in self.flavors])[0]
            instance = self._uuid()
            project = rng.choice(self.projects)
            az = None
            if self.azs and rng.random() < AZ_SHARE:
                az = rng.choice(self.azs)
        return self._build(flavor, instance, project, az)

    def make_probe(self):
        """A build of the smallest flavor anywhere, for explain probes."""
        with self.lock:
            instance = self._uuid()
        return self._build(self.flavors[0][1], instance, self.projects[0],
                           None)

    def _build(self, flavor, instance, project, az):
        spec = objects.RequestSpec(
            instance_uuid=instance, project_id=project, user_id='sim-user',
            availability_zone=az, flavor=flavor,
            image=objects.ImageMeta(
                id=str(uuid.UUID(int=1, version=4)), name='sim-image',
                container_format='bare', disk_format='qcow2',
                min_disk=0, min_ram=0,
                properties=objects.ImageMetaProps()),
            num_instances=1, scheduler_hints={}, is_bfv=False)
        ctxt = gantt_context.RequestContext(
            project_id=project, user_id='sim-user', is_admin=False)
        return ctxt, spec, [instance]


_STAGE = re.compile(r'([\w.-]+) removed (\d+) of (\d+) hosts')


def refusal_reason(message):
    """What emptied the host list, read from a NoValidHost message: the
    first stage that removed every host left, else 'claim' (claims
    lost), 'capacity', 'no_hosts' or 'unknown'."""
    message = str(message)
    if 'no compute hosts are known' in message:
        return 'no_hosts'
    for name, removed, before in _STAGE.findall(message):
        if int(removed) >= int(before):
            return name
    if 'claims lost' in message:
        return 'claim'
    if 'had no capacity left' in message:
        return 'capacity'
    return 'unknown'


class Results(object):
    """What the conductor saw: latencies, placements, refusals, errors."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies_ms = []
        self.placed = 0
        self.no_valid_host = 0
        self.errors = []
        # The scheduler's reasons for the first few refusals.
        self.refusals = []
        # What emptied the host list -> refused requests.
        self.refusal_reasons = collections.Counter()
        # Flavor kind -> Counter of outcomes ('placed', 'no_valid_host',
        # 'error'), and -> latencies.
        self.by_kind = {}
        self.kind_latencies_ms = {}
        # Instance uuid -> (flavor name, compute node uuid) of placed
        # instances of flavors other than plain ones.
        self.placed_numa = {}
        self.elapsed_s = 0.0

    @property
    def done(self):
        return self.placed + self.no_valid_host + len(self.errors)

    def record(self, latency_ms, outcome, error=None, kind=None):
        with self.lock:
            self.latencies_ms.append(latency_ms)
            if kind is not None:
                self.by_kind.setdefault(
                    kind, collections.Counter())[outcome] += 1
                self.kind_latencies_ms.setdefault(kind, []).append(
                    latency_ms)
            if outcome == 'placed':
                self.placed += 1
            elif outcome == 'no_valid_host':
                self.no_valid_host += 1
                self.refusal_reasons[refusal_reason(error)] += 1
                if error and len(self.refusals) < 20:
                    self.refusals.append(error)
            else:
                self.errors.append(error)


class Conductor(object):
    """Sends `requests` select_destinations from `concurrency` threads."""

    def __init__(self, scheduler_api, maker, concurrency=4,
                 return_alternates=True):
        self.api = scheduler_api
        self.maker = maker
        self.concurrency = max(1, concurrency)
        self.return_alternates = return_alternates

    def call_once(self, results):
        ctxt, spec, instance_uuids = self.maker.make()
        kind = self.maker.kinds.get(spec.flavor.name)
        start = time.perf_counter()
        try:
            selections = self.api.select_destinations(
                ctxt, spec, instance_uuids,
                return_alternates=self.return_alternates)
        except Exception as exc:
            latency = (time.perf_counter() - start) * 1000.0
            if is_no_valid_host(exc):
                results.record(latency, 'no_valid_host', '%s (flavor %s)' % (
                    str(exc).split('\n')[0], spec.flavor.name), kind=kind)
            else:
                results.record(latency, 'error', '%s: %s' % (
                    type(exc).__name__, exc), kind=kind)
            return
        latency = (time.perf_counter() - start) * 1000.0
        if selections and selections[0]:
            if kind not in (None, scenario.PLAIN):
                node = getattr(selections[0][0], 'compute_node_uuid', None)
                with results.lock:
                    results.placed_numa[instance_uuids[0]] = (
                        spec.flavor.name, node)
            results.record(latency, 'placed', kind=kind)
        else:
            results.record(latency, 'error', 'empty selection list',
                           kind=kind)

    def run(self, requests, progress=None):
        """Send `requests` calls; ``progress(done)`` after each answer."""
        results = Results()
        remaining = [requests]
        lock = threading.Lock()

        def worker():
            while True:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                self.call_once(results)
                if progress is not None:
                    progress(results.done)

        threads = [threading.Thread(target=worker, daemon=True,
                                    name='sim-conductor-%d' % i)
                   for i in range(self.concurrency)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        results.elapsed_s = time.perf_counter() - start
        return results
