"""nova 34's NUMATopologyFilter and PciPassthroughFilter on cases from
gantt.bench.numa_cases.

Run only as a script under an interpreter that has nova installed (Gantt
never imports this module): ``python nova_numa.py DATA.json``. It sets
nova's ``[pci] alias`` to the cases' aliases, reads each request with
nova's own numa_get_constraints and PCI alias code, builds nova's
NUMATopology and PciDeviceStats for each host, and asks both filters.
Prints one JSON line: per request 'refused' or the names of the hosts
that pass, and, with ``"time": true``, the seconds each request took.
"""

import json
import sys
import time


class _Host(object):
    """The HostState attributes the two filters read."""

    def __init__(self, name, topology, stats, cpu_ratio, ram_ratio):
        self.host = self.nodename = name
        self.numa_topology = topology
        self.pci_stats = stats
        self.cpu_allocation_ratio = cpu_ratio
        self.ram_allocation_ratio = ram_ratio
        self.limits = {}
        self.allocation_candidates = [{'mappings': {}}]


def _topology(cells):
    from nova import objects
    if not cells:
        return None
    return objects.NUMATopology(cells=[objects.NUMACell(
        id=c['id'], cpuset=set(c['cpuset']), pcpuset=set(c['pcpuset']),
        siblings=[set(s) for s in c['siblings']], memory=c['memory'],
        memory_usage=c['memory_usage'], cpu_usage=c['cpu_usage'],
        pinned_cpus=set(c['pinned_cpus']),
        mempages=[objects.NUMAPagesTopology(**p) for p in c['mempages']],
        network_metadata=objects.NetworkMetadata(physnets=set(),
                                                 tunneled=False),
        socket=c['socket']) for c in cells])


def _stats(topology, pools):
    from nova import objects
    from nova.pci import stats
    pool_objs = []
    for p in pools:
        props = dict(p['props'])
        tags = {k: (None if v is None else str(v)) for k, v in props.items()
                if k not in ('vendor_id', 'product_id', 'numa_node')}
        pool_objs.append(objects.PciDevicePool(
            vendor_id=props['vendor_id'], product_id=props['product_id'],
            numa_node=props.get('numa_node'), tags=tags, count=p['count']))
    return stats.PciDeviceStats(
        topology, stats=objects.PciDevicePoolList(objects=pool_objs))


def _spec(req):
    """nova's RequestSpec for a request, or None when nova refuses it."""
    from nova import exception
    from nova import objects
    from nova.pci import request as pci_request
    from nova.virt import hardware
    flavor = objects.Flavor(name='f', flavorid='f', vcpus=req['vcpus'],
                            memory_mb=req['memory_mb'], root_gb=1,
                            ephemeral_gb=0, swap=0,
                            extra_specs=dict(req['extra_specs']))
    image = objects.ImageMeta.from_dict(
        {'properties': dict(req['image_props'])})
    try:
        topology = hardware.numa_get_constraints(flavor, image)
        policy = hardware.get_pci_numa_policy_constraint(flavor, image)
        pci = pci_request.get_pci_requests_from_flavor(
            flavor, affinity_policy=policy)
    except (exception.NovaException, ValueError):
        return None
    return objects.RequestSpec(
        flavor=flavor, image=image, numa_topology=topology,
        pci_requests=pci, instance_uuid='00000000-0000-4000-8000-000000000001')


def main(path):
    with open(path) as f:
        data = json.load(f)
    import nova_states
    nova_states.configure({'pci': {'alias': data['aliases']}})
    from nova.scheduler.filters import numa_topology_filter
    from nova.scheduler.filters import pci_passthrough_filter
    numa_filter = numa_topology_filter.NUMATopologyFilter()
    pci_filter = pci_passthrough_filter.PciPassthroughFilter()
    hosts = []
    for h in data['hosts']:
        topology = _topology(h['cells'])
        hosts.append(_Host(h['name'], topology, _stats(topology, h['pools']),
                           h['cpu_ratio'], h['ram_ratio']))
    verdicts, seconds = [], []
    for req in data['requests']:
        started = time.perf_counter()
        spec = _spec(req)
        if spec is None:
            verdicts.append('refused')
            seconds.append(time.perf_counter() - started)
            continue
        passed = []
        for host in hosts:
            host.allocation_candidates = [{'mappings': {}}]
            if (numa_filter.host_passes(host, spec)
                    and pci_filter.host_passes(host, spec)):
                passed.append(host.host)
        seconds.append(time.perf_counter() - started)
        verdicts.append(passed)
    out = {'verdicts': verdicts}
    if data.get('time'):
        out['seconds'] = seconds
    print(json.dumps(out))


if __name__ == '__main__':
    main(sys.argv[1])
