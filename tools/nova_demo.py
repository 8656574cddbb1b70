"""nova's own clients against Gantt, end to end, on one machine.

    .venv/bin/python tools/nova_demo.py rabbit://guest:guest@127.0.0.1:5672/
        [--nova-python .venv-nova/bin/python]

It starts a real gantt-scheduler with ``[nova] enabled`` (a temporary
SQLite store, the given RabbitMQ) and gantt-api over the same store,
reports two hosts through Gantt's report API, then runs, in nova 34's
virtualenv and unchanged: nova-compute's SchedulerReportClient against
gantt-api (a provider tree with inventories, traits and aggregates, a
claim, a move to a migration, a reshape), and nova-conductor's
SchedulerAPI over RabbitMQ (select_destinations with alternates, a
NoValidHost, instance info casts). It prints what nova got back and what
Gantt's store then holds.
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
CELL = 'c0ffee00-0000-4000-8000-000000000001'


def say(text):
    print('== %s' % text, flush=True)


def nova_python(given):
    for candidate in (given, os.environ.get('GANTT_NOVA_PYTHON'),
                      os.path.join(ROOT, '.venv-nova', 'bin', 'python')):
        if candidate and os.path.exists(candidate):
            return candidate
    raise SystemExit('no nova virtualenv: pass --nova-python or set '
                     'GANTT_NOVA_PYTHON (tools/run-tests.sh builds '
                     '.venv-nova with nova 34)')


def compute_side(python, url):
    """nova-compute's report client against gantt-api."""
    root, child, instance, migration, agg = (str(uuid.uuid4())
                                             for _ in range(5))
    proc = subprocess.run(
        [python, '-W', 'ignore',
         os.path.join(ROOT, 'tests', 'functional', 'nova_report_client.py'),
         url, root, child, instance, migration, agg],
        capture_output=True, text=True, timeout=300)
    if proc.returncode:
        raise SystemExit('nova report client failed:\n' + proc.stderr[-3000:])
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    say('nova SchedulerReportClient -> gantt-api')
    print('   tree it wrote and read back: %s' % out['tree'])
    print('   traits %s, aggregates %s' % (out['traits'], out['aggregates']))
    print('   claimed for instance %s: %s' % (instance, {
        rp: a['resources'] for rp, a in
        out['instance']['allocations'].items()}))
    print('   moved to migration %s: %s; deleted: %s; reshaped: %s' % (
        migration, out['moved'], out['deleted'],
        sorted(out['reshaped']['tree'])))
    return root


def conductor_side(python, transport_url, topic, hosts):
    """nova-conductor's SchedulerAPI over RabbitMQ."""
    nova = subprocess.Popen(
        [python, os.path.join(ROOT, 'tests', 'functional',
                              'nova_conductor.py'), transport_url],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        if not nova.stdout.readline():
            raise SystemExit('nova SchedulerAPI did not start')
        first, second, third = (str(uuid.uuid4()) for _ in range(3))
        steps = [
            {'op': 'select', 'instance_uuids': [first], 'vcpus': 2,
             'memory_mb': 4096, 'root_gb': 20, 'return_alternates': True},
            {'op': 'select', 'instance_uuids': [second, third], 'vcpus': 1,
             'memory_mb': 1024, 'root_gb': 10},
            {'op': 'select', 'instance_uuids': [str(uuid.uuid4())],
             'vcpus': 1, 'memory_mb': 10 ** 6, 'root_gb': 1},
            {'op': 'update_instance_info', 'host': hosts[0],
             'node': hosts[0] + '.node', 'instance_uuids': [first]},
        ]
        nova.stdin.write(json.dumps({'topic': topic, 'version_cap': None,
                                     'steps': steps}) + '\n')
        nova.stdin.flush()
        outcomes = json.loads(nova.stdout.readline())
    finally:
        nova.stdin.close()
        nova.wait(60)
    say('nova SchedulerAPI.select_destinations -> gantt-scheduler')
    if isinstance(outcomes, dict):
        raise SystemExit('nova SchedulerAPI failed: %s' % outcomes)
    for step, outcome in zip(steps, outcomes):
        if 'selections' in outcome:
            for per_instance in outcome['selections']:
                print('   %d vCPU, %d MB: %s' % (
                    step['vcpus'], step['memory_mb'], ' then '.join(
                        '%s (%s)' % (s['service_host'], s['class'])
                        if 'service_host' in s else s.get('host', '?')
                        for s in per_instance)))
        elif 'error' in outcome:
            error = outcome['error']
            print('   %d MB: %s (a nova.exception.NoValidHost: %s): %s' % (
                step['memory_mb'], error['class'],
                error['is_nova_no_valid_host'], error['message'][:160]))
        else:
            print('   cast %s' % outcome['cast'])
    return first


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('transport_url')
    parser.add_argument('--nova-python', default=None)
    args = parser.parse_args(argv)
    python = nova_python(args.nova_python)

    from gantt.cmd import api as cmd_api
    from gantt import context
    from gantt.db import api as db_api
    from gantt.rpcapi import report as report_rpcapi
    from tests.functional import fixtures as gantt_fixtures

    topic = 'scheduler-demo-%s' % uuid.uuid4().hex[:8]
    daemon = gantt_fixtures.SchedulerProcess(
        args.transport_url, extra_conf='[nova]\nenabled = true\n'
        'default_cell_uuid = %s\ntopic = %s\n' % (CELL, topic))
    daemon.setUp()
    db = server = None
    try:
        say('gantt-scheduler ([nova] enabled, topic %s) on %s' % (
            topic, daemon.config_file))
        db = db_api.Database(daemon.conf)
        server = cmd_api.make_server(daemon.conf, db, '127.0.0.1', 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = 'http://127.0.0.1:%d' % server.server_address[1]
        say('gantt-api on %s (same store)' % url)

        hosts = ['cn1', 'cn2']
        report = report_rpcapi.ReportClient(daemon.conf, daemon.transport)
        ctxt = context.RequestContext(user_id='user-1',
                                      project_id='project-1', is_admin=True)
        for host, ram in zip(hosts, (32768, 16384)):
            report.update_resource_stats(ctxt, gantt_fixtures.compute_node(
                host, memory_mb=ram))
        say('hosts %s reported through Gantt\'s report API' % hosts)

        compute_side(python, url)
        first = conductor_side(python, args.transport_url, topic, hosts)
        held = db.get_allocations(first)
        say('Gantt\'s store: instance %s holds %s' % (first, {
            rp: a['resources'] for rp, a in held['allocations'].items()}))
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        if db is not None:
            db.dispose()
        daemon.cleanUp()
    return 0


if __name__ == '__main__':
    sys.exit(main())
