"""Turn a JSON scenario file into reports, requests and expected outcomes.

A scenario (tests/functional/scenarios/*.json) describes a small cloud:
hosts, aggregates, the instances on each host, optional configuration,
and a list of requests made in order, each with the outcome it must get.
This module builds the objects the computes and the conductor would send
and checks the answers; test_scenarios.py runs one real gantt-scheduler
per file. The file format is documented in scenarios/README.md.
"""

import json
import os
import time
import uuid

from oslo_utils import uuidutils

from gantt import exception
from gantt import objects

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIO_DIR = os.path.join(HERE, 'scenarios')

# What a host reports unless the scenario says otherwise.
HOST_DEFAULTS = {'vcpus': 16, 'memory_mb': 32768, 'local_gb': 500,
                 'hypervisor_type': 'QEMU', 'hypervisor_version': 8002000}
_RESOURCE_KEYS = ('vcpus', 'memory_mb', 'local_gb', 'reserved_vcpus',
                  'reserved_memory_mb', 'reserved_disk_gb',
                  'cpu_allocation_ratio', 'ram_allocation_ratio',
                  'disk_allocation_ratio')
# Hints whose values name instances of the scenario.
_INSTANCE_HINTS = ('different_host', 'same_host')


def load_all(directory=SCENARIO_DIR):
    """testscenarios pairs (file stem, {'scenario_file': path}), sorted."""
    return [(name[:-len('.json')],
             {'scenario_file': os.path.join(directory, name)})
            for name in sorted(os.listdir(directory))
            if name.endswith('.json')]


def load(path):
    with open(path) as f:
        return json.load(f)


def named_uuid(kind, name):
    """A stable UUID for a scenario's instance, cell or aggregate name;
    a name that already is a UUID is kept."""
    if uuidutils.is_uuid_like(name):
        return name
    return str(uuid.uuid5(uuid.NAMESPACE_URL,
                          'gantt-scenario:%s:%s' % (kind, name)))


def instance_uuid(name):
    return named_uuid('instance', name)


def nodename(host):
    return host + '.node'


# -- configuration -------------------------------------------------------

def _conf_value(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (list, tuple)):
        return ','.join(str(v) for v in value)
    return str(value)


def _conf_lines(options):
    return ''.join('%s = %s\n' % (key, _conf_value(value))
                   for key, value in sorted(options.items()))


def conf_texts(scenario):
    """(default_conf, extra_conf) for SchedulerProcess.

    extra_conf is written at the end of the file, under [scheduler], so
    it starts with the [scheduler] options and opens the other groups.
    """
    config = dict(scenario.get('config') or {})
    default = _conf_lines(config.pop('DEFAULT', {}))
    extra = _conf_lines(config.pop('scheduler', {}))
    for group, options in sorted(config.items()):
        extra += '[%s]\n%s' % (group, _conf_lines(options))
    return default, extra


# -- what the computes and the API report ----------------------------------

def compute_node(spec, seq=1):
    """The ComputeNode a host of the scenario reports."""
    host = spec['name']
    values = dict(HOST_DEFAULTS, **spec)
    node = objects.ComputeNode(
        uuid=named_uuid('node', host), host=host,
        hypervisor_hostname=nodename(host), report_seq=seq)
    if spec.get('cell'):
        node.cell_uuid = named_uuid('cell', spec['cell'])
    for key in _RESOURCE_KEYS:
        if key in values:
            setattr(node.resources, key, values[key])
    hyp = node.hypervisor
    hyp.hypervisor_type = values['hypervisor_type']
    hyp.hypervisor_version = values['hypervisor_version']
    if 'host_ip' in spec:
        hyp.host_ip = spec['host_ip']
    if 'cpu_info' in spec:
        hyp.cpu_info = json.dumps(spec['cpu_info'])
    hyp.supported_instances = [
        objects.HVSpec(arch=arch, hv_type=hv_type, vm_mode=vm_mode)
        for arch, hv_type, vm_mode in spec.get('supported_instances', [])]
    stats = dict(spec.get('stats') or {})
    for counter in ('num_instances', 'num_io_ops', 'failed_builds'):
        if counter in stats:
            setattr(node.stats, counter, int(stats.pop(counter)))
    node.stats.extra = {k: str(v) for k, v in stats.items()}
    node.metrics = [objects.MonitorMetric(name=name, value=float(value),
                                          source='scenario')
                    for name, value in sorted(
                        (spec.get('metrics') or {}).items())]
    node.service.disabled = bool(spec.get('disabled', False))
    if spec.get('disabled'):
        node.service.disabled_reason = 'disabled by the scenario'
    node.service.forced_down = bool(spec.get('forced_down', False))
    return node


def aggregates(scenario):
    return [objects.Aggregate(
                id=index, uuid=named_uuid('aggregate', agg['name']),
                name=agg['name'], hosts=list(agg.get('hosts', [])),
                metadata={k: _conf_value(v)
                          for k, v in (agg.get('metadata') or {}).items()})
            for index, agg in enumerate(scenario.get('aggregates', []), 1)]


def instance_infos(host, names):
    return objects.InstanceInfoList(objects=[
        objects.InstanceInfo(uuid=instance_uuid(name), host=host,
                             node=nodename(host)) for name in names])


def send_reports(report, ctxt, scenario):
    """Cast every report of the scenario, as computes and the API would."""
    for spec in scenario['hosts']:
        report.update_resource_stats(ctxt, compute_node(spec))
    aggs = aggregates(scenario)
    if aggs:
        report.update_aggregates(ctxt, aggs)
    for host, names in sorted((scenario.get('instances') or {}).items()):
        report.update_instance_info(ctxt, host, instance_infos(host, names))


def wait_until_known(test, db, scheduler, ctxt, scenario, deadline=15):
    """Wait until the store holds every report and explain counts every
    host: the daemon will decide on the whole scenario."""
    hosts = {h['name'] for h in scenario['hosts']}
    aggs = {a['name'] for a in scenario.get('aggregates', [])}
    instances = {instance_uuid(n)
                 for names in (scenario.get('instances') or {}).values()
                 for n in names}
    probe = objects.RequestSpec.from_components(
        {'name': 'probe', 'vcpus': 0, 'memory_mb': 0, 'root_gb': 0},
        project_id='probe', user_id='probe')
    end = time.monotonic() + deadline
    while True:
        changes = db.get_changes(0)
        missing = (
            hosts - {c['host'] for c in changes.compute_nodes
                     if not c.get('deleted')},
            aggs - {a['name'] for a in changes.aggregates},
            instances - {i['instance_uuid'] for i in changes.instances
                         if not i['deleted']})
        if not any(missing):
            considered = scheduler.explain(ctxt, probe)['considered']
            if considered == len(hosts):
                return
            missing += ('explain considers %d of %d hosts'
                        % (considered, len(hosts)),)
        if time.monotonic() > end:
            test.fail('scenario never fully known (missing hosts, '
                      'aggregates, instances: %s); daemon log:\n%s'
                      % (missing, test.daemon.log_tail()))
        time.sleep(0.05)


# -- what the conductor asks ---------------------------------------------

def request_spec(req):
    """The RequestSpec of one request of a scenario."""
    flavor = dict({'name': 'm1.scenario', 'vcpus': 1, 'memory_mb': 512,
                   'root_gb': 1, 'ephemeral_gb': 0, 'swap': 0},
                  **req.get('flavor', {}))
    flavor['extra_specs'] = {k: str(v) for k, v in
                             (flavor.get('extra_specs') or {}).items()}
    image = dict(req.get('image') or {})
    if 'id' in image:
        image['id'] = named_uuid('image', image['id'])
    image['properties'] = {k: str(v) for k, v in
                           (image.get('properties') or {}).items()}
    hints = {}
    for name, value in (req.get('scheduler_hints') or {}).items():
        if name in _INSTANCE_HINTS:
            values = value if isinstance(value, list) else [value]
            value = [instance_uuid(v) for v in values]
        hints[name] = value
    kwargs = {'project_id': req.get('project_id', 'project-1'),
              'user_id': 'user-1',
              'num_instances': req.get('num_instances', 1)}
    for key in ('availability_zone', 'force_hosts', 'ignore_hosts',
                'force_nodes'):
        if key in req:
            kwargs[key] = req[key]
    group = req.get('instance_group')
    if group is not None:
        kwargs['instance_group'] = objects.InstanceGroup(
            uuid=named_uuid('group', group.get('name', 'group')),
            name=group.get('name', 'group'), policy=group['policy'],
            rules={k: str(v) for k, v in (group.get('rules') or {}).items()},
            members=[instance_uuid(m) for m in group.get('members', [])],
            hosts=list(group.get('hosts', [])))
    return objects.RequestSpec.from_components(
        flavor, image=image, scheduler_hints=hints, **kwargs)


def instance_uuids(req):
    """The request's instance UUIDs: named ones (so later requests can
    name them in hints and groups) or fresh ones."""
    names = req.get('instances')
    if names:
        return [instance_uuid(n) for n in names]
    return [str(uuid.uuid4()) for _ in range(req.get('num_instances', 1))]


# -- checking an answer ---------------------------------------------------

def check(req, outcome):
    """None when ``outcome`` is what the request expects, else why not.

    ``outcome`` is the list of Selection lists, or the exception raised.
    """
    expect = req['expect']
    if isinstance(outcome, Exception):
        return _check_error(expect, outcome)
    primaries = [selections[0].service_host for selections in outcome]
    if expect.get('same_cell_alternates'):
        for selections in outcome:
            cells = {s.service_host: s.cell_uuid for s in selections}
            if len(set(cells.values())) != 1 or len(selections) < 2:
                return 'alternates should share the primary\'s cell ' \
                    '(and exist): %s' % cells
    if 'hosts' in expect:
        if primaries != expect['hosts']:
            return 'primaries %s, expected %s in this order' % (
                primaries, expect['hosts'])
    elif 'host_set' in expect:
        if sorted(primaries) != sorted(expect['host_set']):
            return 'primaries %s, expected %s in any order' % (
                primaries, sorted(expect['host_set']))
    elif 'one_of' in expect:
        stray = [h for h in primaries if h not in expect['one_of']]
        if stray:
            return 'primaries %s, expected each one of %s' % (
                primaries, expect['one_of'])
    elif 'same_one_of' in expect:
        if (len(set(primaries)) != 1 or
                primaries[0] not in expect['same_one_of']):
            return 'primaries %s, expected one host of %s for all' % (
                primaries, expect['same_one_of'])
    else:
        return 'got hosts %s, expected %s' % (primaries, expect)
    return None


def _check_error(expect, exc):
    # A remote exception's text ends with the server's traceback; the
    # message proper is what a conductor shows.
    text = str(exc).split('\nTraceback (most recent call last)')[0]
    kind = type(exc).__name__
    if kind.endswith('_Remote'):
        kind = kind[:-len('_Remote')]
    if 'no_valid_host' in expect:
        if not isinstance(exc, exception.NoValidHost):
            return 'expected NoValidHost, got %s: %s' % (kind, text)
        wanted = expect['no_valid_host']
    elif 'error' in expect:
        wanted_type = expect['error'].get('type', 'InvalidRequest')
        if kind != wanted_type:
            return 'expected %s, got %s: %s' % (wanted_type, kind, text)
        wanted = expect['error'].get('contains', [])
    else:
        return 'unexpected %s: %s' % (kind, text)
    missing = [w for w in wanted if w not in text]
    if missing:
        return '%s lacks %s' % (text, missing)
    return None
