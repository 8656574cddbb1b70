"""Builders of small HostStates and Requests for unit tests."""

import time

from gantt import host_state

NOW = 1_800_000_000.0


def make_state(hosts, aggregates=(), instances=(), default_az='nova'):
    """A HostState from a list of host dicts.

    Each host dict may give: name (service host, required), node (default
    name), uuid (default 'uuid-<name>'), cell, ram (total MB), ram_used,
    ram_reserved, ram_ratio, vcpus, vcpus_used, vcpus_reserved, cpu_ratio,
    disk (GB), disk_used, disk_reserved, disk_ratio, age (seconds since last
    report, default 0), and any node_facts() key (disabled, num_io_ops,
    num_instances, hypervisor_type, supported_instances, metrics, ...).
    aggregates: dicts with name, hosts, metadata (uuid defaults to name).
    instances: (instance_uuid, host) pairs.
    """
    state = host_state.HostState(capacity=4, default_az=default_az)
    for h in hosts:
        name = h['name']
        uuid = h.get('uuid', 'uuid-%s' % name)
        facts = {k: v for k, v in h.items()}
        state.upsert_node(uuid, name, h.get('node', name), h.get('cell'),
                          NOW - h.get('age', 0), facts)
        for rc, prefix, default_ratio in (('MEMORY_MB', 'ram', 1.0),
                                          ('VCPU', 'vcpus', 1.0),
                                          ('DISK_GB', 'disk', 1.0)):
            total = h.get(prefix if prefix != 'vcpus' else 'vcpus')
            if total is None:
                continue
            ratio_key = {'ram': 'ram_ratio', 'vcpus': 'cpu_ratio',
                         'disk': 'disk_ratio'}[prefix]
            state.set_inventory(uuid, rc, total,
                                h.get(prefix + '_reserved', 0),
                                h.get(ratio_key, default_ratio),
                                h.get(prefix + '_used', 0))
    for agg in aggregates:
        state.set_aggregate(agg.get('uuid', agg['name']), agg['name'],
                            agg.get('hosts', ()), agg.get('metadata', {}))
    for instance_uuid, host in instances:
        state.set_instance(instance_uuid, host)
    return state


def now():
    return NOW if NOW else time.time()
