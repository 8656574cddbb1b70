"""nova's own scheduler objects built from Gantt's JSON cloud descriptions.

Imported only by the scripts that run under the compute controller's
interpreter (nova_side.py, nova_verdicts.py; Gantt never imports nova):
configure nova with frozen time, and build its HostState objects, with
their services, aggregates and instances, from host dicts as made by
gantt.bench.synthetic and gantt.bench.clouds.
"""

import datetime
import logging

import netaddr


def configure(overrides=None, now=None):
    """Load nova's configuration, apply {group: {name: value}} overrides
    (group 'DEFAULT' for the top level) and freeze nova's clock at `now`
    (seconds since the epoch; the present when None). Returns the naive
    UTC datetime nova sees as now."""
    import nova.conf
    conf = nova.conf.CONF
    conf([], project='nova', default_config_files=[])
    from oslo_config import cfg
    for group, values in (overrides or {}).items():
        for name, value in values.items():
            try:
                conf.set_override(name, value,
                                  group=None if group == 'DEFAULT' else group)
            except (cfg.NoSuchOptError, cfg.NoSuchGroupError):
                # A Gantt option nova does not have (enabled_weighers).
                pass
    # Hosts that are down log a warning per request; callers want the
    # decisions, not the log handler.
    logging.getLogger('nova').setLevel(logging.ERROR)
    from nova import objects
    objects.register_all()
    # Building many hosts takes longer than service_down_time: the hosts
    # that are up must stay up.
    from oslo_utils import timeutils
    if now is None:
        moment = datetime.datetime.now(datetime.timezone.utc)
    else:
        moment = datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
    moment = moment.replace(tzinfo=None)
    timeutils.set_time_override(moment)
    return moment


def aggregates_by_host(aggregates):
    """host name -> [nova Aggregate] for aggregate dicts."""
    from nova import objects
    by_host = {}
    for i, agg in enumerate(aggregates):
        obj = objects.Aggregate(id=i + 1, uuid=agg['uuid'], name=agg['name'],
                                hosts=list(agg['hosts']),
                                metadata=dict(agg['metadata']))
        for host in agg['hosts']:
            by_host.setdefault(host, []).append(obj)
    return by_host


def host_state(h, now, aggregates=()):
    """A nova HostState for host dict `h`, seen h['age'] seconds before
    `now` (negative: a heartbeat from the future)."""
    from nova import objects
    from nova.scheduler import host_manager
    s = host_manager.HostState(h['name'], h['node'], h['cell'])
    s.uuid = h['uuid']
    s.hypervisor_hostname = h['node']
    s.total_usable_ram_mb = h['ram']
    s.free_ram_mb = h['ram'] - h['ram_used'] - h['ram_reserved']
    s.total_usable_disk_gb = h['disk']
    s.disk_mb_used = (h['disk_used'] + h['disk_reserved']) * 1024
    s.free_disk_mb = h['disk'] * 1024 - s.disk_mb_used
    s.vcpus_total = h['vcpus']
    s.vcpus_used = h['vcpus_used'] + h['vcpus_reserved']
    s.ram_allocation_ratio = h['ram_ratio']
    s.cpu_allocation_ratio = h['cpu_ratio']
    s.disk_allocation_ratio = h['disk_ratio']
    s.num_instances = h['num_instances']
    s.num_io_ops = h['num_io_ops']
    s.failed_builds = h['failed_builds']
    s.hypervisor_type = h['hypervisor_type']
    s.hypervisor_version = h['hypervisor_version']
    s.supported_instances = [tuple(x) for x in h['supported_instances']]
    # A ComputeNode's host_ip field holds an address object.
    s.host_ip = netaddr.IPAddress(h['host_ip'])
    s.cpu_info = h.get('cpu_info') or '{}'
    # A compute reports its counters among its stats, as strings.
    stats = dict(h.get('stats') or {})
    stats.update({'num_instances': str(h['num_instances']),
                  'io_workload': str(h['num_io_ops']),
                  'failed_builds': str(h['failed_builds'])})
    s.stats = stats
    s.metrics = objects.MonitorMetricList(objects=[
        objects.MonitorMetric(name=name, value=value, source='gantt',
                              timestamp=now)
        for name, value in sorted((h.get('metrics') or {}).items())])
    s.aggregates = list(aggregates)
    s.instances = {u: objects.Instance(uuid=u) for u in h['instances']}
    seen = now - datetime.timedelta(seconds=h['age'])
    s.service = host_manager.ReadOnlyDict({
        'host': h['name'], 'binary': 'nova-compute',
        'disabled': h['disabled'], 'disabled_reason': None,
        'forced_down': h['forced_down'], 'last_seen_up': seen,
        'created_at': seen, 'updated_at': seen})
    s.updated = seen
    return s


def host_states(data, now):
    """HostStates for every host of `data`, in order."""
    by_host = aggregates_by_host(data['aggregates'])
    return [host_state(h, now, by_host.get(h['name'], ()))
            for h in data['hosts']]
