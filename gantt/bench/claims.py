"""Claim benchmark: the store's claim and release path, without RPC.

Migrates a fresh database (a SQLite file in a temporary directory, or the
``--database-connection`` given), stores H compute reports, then times N
claims, each followed by its release, as the scheduler makes them: one
claim that also records the instance on its host, one release. Reports
per-operation latency, the CPU this process spent per operation (steadier
than latency on a busy machine) and, on SQLite, how many statements one
claim and one release send to the database (BEGIN and COMMIT included).
"""

import cProfile
import io
import json
import pstats
import shutil
import statistics
import tempfile
import time
import uuid as uuid_lib

PROJECT = 'bench-project'
USER = 'bench-user'


def add_parser(subparsers):
    """Register the ``claims`` subcommand on gantt-bench's subparsers."""
    p = subparsers.add_parser(
        'claims', help='time claims and releases against the store',
        description=__doc__)
    p.add_argument('--hosts', type=int, default=100,
                   help='compute reports stored first (default 100)')
    p.add_argument('--claims', type=int, default=2000,
                   help='claim + release pairs to time (default 2000)')
    p.add_argument('--database-connection', default=None,
                   help='database URL (default: a SQLite file in a '
                        'temporary directory); the run creates its own '
                        'rows and leaves them')
    p.add_argument('--profile', action='store_true',
                   help='print a cProfile of the timed loop')
    p.add_argument('--json', action='store_true',
                   help='print one JSON object')
    p.set_defaults(func=main)


def _store(args, state_path):
    from gantt.conf import build_conf
    from gantt.db import api
    from gantt.db import migration
    conf = build_conf([])
    conf.set_override('state_path', state_path)
    if args.database_connection:
        conf.set_override('connection', args.database_connection,
                          group='database')
    db = api.Database(conf)
    migration.upgrade(conf, database=db)
    return db


def _report(host):
    from gantt import objects
    from gantt.objects import compute_node
    objects.register_all()
    return compute_node.ComputeNode(
        uuid=str(uuid_lib.uuid4()), host=host, hypervisor_hostname=host,
        report_seq=1,
        resources=compute_node.ComputeResources(
            vcpus=64, memory_mb=262144, local_gb=4000,
            cpu_allocation_ratio=16.0, ram_allocation_ratio=1.5,
            disk_allocation_ratio=1.0),
        service=compute_node.ServiceStatus(binary='gantt-compute',
                                           disabled=False, version=1))


def _request(rp_uuid):
    return {'allocations': {rp_uuid: {'resources': {
        'VCPU': 2, 'MEMORY_MB': 2048, 'DISK_GB': 20}}},
        'mappings': {'': [rp_uuid]}}


class _StatementCounter:
    """Counts the statements SQLite runs (its trace callback sees every
    one, whichever layer sent it)."""

    def __init__(self, db):
        import sqlalchemy as sa
        self.count = 0
        self.on = False
        engine = db.engine
        engine.dispose()

        def trace(_sql):
            if self.on:
                self.count += 1

        @sa.event.listens_for(engine, 'connect')
        def _on_connect(dbapi_con, _record):
            dbapi_con.set_trace_callback(trace)

    def measure(self, fn):
        self.count, self.on = 0, True
        try:
            fn()
        finally:
            self.on = False
        return self.count


def _pair(db, hosts, i):
    """(claim, release) wall seconds and (claim, release) CPU seconds of
    this process (what a loaded machine disturbs least)."""
    host, rp = hosts[i % len(hosts)]
    consumer = str(uuid_lib.uuid4())
    start, cpu_start = time.perf_counter(), time.process_time()
    db.claim(consumer, _request(rp), PROJECT, USER,
             instance=(host, host))
    mid, cpu_mid = time.perf_counter(), time.process_time()
    db.delete_allocations(consumer)
    return ((mid - start, time.perf_counter() - mid),
            (cpu_mid - cpu_start, time.process_time() - cpu_mid))


def _ms(values):
    ordered = sorted(values)
    return {'mean': round(statistics.mean(ordered) * 1e3, 3),
            'p50': round(ordered[len(ordered) // 2] * 1e3, 3),
            'p99': round(ordered[int(len(ordered) * 0.99)] * 1e3, 3)}


def main(args):
    state_path = tempfile.mkdtemp(prefix='gantt-bench-claims-')
    try:
        db = _store(args, state_path)
        hosts = []
        for i in range(args.hosts):
            node = _report('bench-%05d' % i)
            db.save_compute_node(node)
            hosts.append((node.host, node.uuid))
        counts = {}
        if db.engine.dialect.name == 'sqlite':
            counter = _StatementCounter(db)
            consumer = str(uuid_lib.uuid4())
            host, rp = hosts[0]
            counts['claim'] = counter.measure(lambda: db.claim(
                consumer, _request(rp), PROJECT, USER,
                instance=(host, host)))
            counts['release'] = counter.measure(
                lambda: db.delete_allocations(consumer))
        for i in range(min(50, args.claims)):
            _pair(db, hosts, i)
        profile = cProfile.Profile() if args.profile else None
        wall, cpu = ([], []), ([], [])
        if profile:
            profile.enable()
        for i in range(args.claims):
            took, used = _pair(db, hosts, i)
            for op in (0, 1):
                wall[op].append(took[op])
                cpu[op].append(used[op])
        if profile:
            profile.disable()
        result = {'dialect': db.engine.dialect.name, 'hosts': args.hosts,
                  'claims': args.claims, 'claim_ms': _ms(wall[0]),
                  'release_ms': _ms(wall[1]),
                  'claim_cpu_ms': round(statistics.mean(cpu[0]) * 1e3, 3),
                  'release_cpu_ms': round(statistics.mean(cpu[1]) * 1e3, 3),
                  'statements': counts}
        db.dispose()
    finally:
        shutil.rmtree(state_path, ignore_errors=True)
    if args.json:
        print(json.dumps(result, sort_keys=True))
    else:
        print('%(dialect)s, %(hosts)d hosts, %(claims)d claims' % result)
        for op in ('claim', 'release'):
            figures = result[op + '_ms']
            print('  %-8s mean %.3f ms  p50 %.3f ms  p99 %.3f ms  '
                  'cpu %.3f ms%s' % (
                      op, figures['mean'], figures['p50'], figures['p99'],
                      result[op + '_cpu_ms'],
                      '  (%d statements)' % counts[op] if op in counts
                      else ''))
    if profile:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats('tottime').print_stats(
            20)
        print(out.getvalue())
    return 0
