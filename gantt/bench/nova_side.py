"""The compute controller's side of ``gantt-bench engine --compare-nova``.

Run only as a script under an interpreter that has nova 34 installed (Gantt
never imports this module): ``python nova_side.py DATA.json``. It builds
nova's own HostState objects from the synthetic hosts, then for each request
times nova's HostFilterHandler with its five default filters and its
HostWeightHandler with every weigher, choosing the best host and consuming
from it as nova's scheduler manager does. Prints one JSON line of timings.
"""

import json
import sys
import time


def main(path):
    with open(path) as f:
        data = json.load(f)

    import nova_states
    now = nova_states.configure()

    from nova import objects
    from nova.scheduler import filters
    from nova.scheduler.filters import affinity_filter
    from nova.scheduler.filters import compute_capabilities_filter
    from nova.scheduler.filters import compute_filter
    from nova.scheduler.filters import image_props_filter
    from nova.scheduler import weights

    t0 = time.perf_counter()
    states = nova_states.host_states(data, now)

    specs = []
    for r in data['requests']:
        name, vcpus, ram, root, ephemeral, swap = r['flavor']
        flavor = objects.Flavor(name=name, flavorid=name, vcpus=vcpus,
                                memory_mb=ram, root_gb=root,
                                ephemeral_gb=ephemeral, swap=swap,
                                extra_specs={})
        props = {}
        if r['image_arch']:
            props['hw_architecture'] = r['image_arch']
        group = None
        if r['group'] is not None:
            g = data['groups'][r['group']]
            group = objects.InstanceGroup(
                uuid=g['uuid'], name=g['name'], policy=g['policy'],
                policies=[g['policy']], members=g['members'],
                hosts=g['hosts'], rules={}, project_id=g['project_id'])
        specs.append(objects.RequestSpec(
            instance_uuid=r['instance_uuid'], project_id=r['project_id'],
            user_id=r['user_id'], availability_zone=r['availability_zone'],
            flavor=flavor, image=objects.ImageMeta.from_dict(
                {'properties': props}),
            num_instances=1, scheduler_hints={}, instance_group=group,
            ignore_hosts=None, force_hosts=None, force_nodes=None,
            requested_destination=None, is_bfv=False, pci_requests=None,
            numa_topology=None, requested_resources=[]))

    filter_objs = [compute_filter.ComputeFilter(),
                   compute_capabilities_filter.ComputeCapabilitiesFilter(),
                   image_props_filter.ImagePropertiesFilter(),
                   affinity_filter.ServerGroupAntiAffinityFilter(),
                   affinity_filter.ServerGroupAffinityFilter()]
    filter_handler = filters.HostFilterHandler()
    weight_handler = weights.HostWeightHandler()
    weigher_objs = [cls() for cls in weight_handler.get_matching_classes(
        ['nova.scheduler.weights.all_weighers'])]
    build_s = time.perf_counter() - t0

    times, cpu_times, failures = [], [], 0
    for spec in specs:
        start, cpu_start = time.perf_counter(), time.process_time()
        hosts = filter_handler.get_filtered_objects(filter_objs, states,
                                                    spec, 0)
        hosts = list(hosts or [])
        if hosts:
            weighed = weight_handler.get_weighed_objects(weigher_objs, hosts,
                                                         spec)
            weighed[0].obj.consume_from_request(spec)
        else:
            failures += 1
        times.append((time.perf_counter() - start) * 1000.0)
        cpu_times.append((time.process_time() - cpu_start) * 1000.0)
    print(json.dumps({'times_ms': times, 'cpu_times_ms': cpu_times,
                      'failures': failures,
                      'build_s': build_s,
                      'weighers': [type(w).__name__ for w in weigher_objs]}))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
