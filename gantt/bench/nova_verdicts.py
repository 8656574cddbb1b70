"""nova 34's verdicts on a random cloud from gantt.bench.clouds.

Run only as a script under an interpreter that has nova installed (Gantt
never imports this module): ``python nova_verdicts.py CASES.json``. It
configures nova with the case's options, builds nova's own HostState
objects, and for each request does what nova's scheduler does: narrow the
hosts as placement and nova's request filters would (resources, disabled
services, availability zone and required aggregates, a single target
node), then nova's HostManager filters and weighs them with the case's
enabled filters and weighers, and for each instance of the request claims
the best host that placement would still accept and consumes it as nova's
manager does. Prints one JSON line: per case and request, the first instance's
survivors and ranking, and the uuid picked for every instance (None when
nova finds no valid host).
"""

import json
import math
import sys

# Gantt filters that stand for what nova does in placement and its request
# filters, outside its filter list (see gantt.bench.clouds).
NOT_NOVA_FILTERS = ('AvailabilityZoneFilter', 'RamFilter', 'CoreFilter',
                    'DiskFilter')
# HostState attributes consume_from_request changes.
CONSUMED = ('free_ram_mb', 'free_disk_mb', 'vcpus_used', 'num_instances',
            'num_io_ops', 'updated')


class CpuInfoText(str):
    """A host's cpu_info: the JSON text nova 34's HostState holds, which
    also answers get() as the dict it encodes.

    nova's ImagePropertiesFilter reads an image's hw_maxphysaddr_bits with
    ``host_state.cpu_info.get('maxphysaddr', {})``, which raises on the
    text and fails the request (doc/differences.md, "Image
    hw_maxphysaddr_bits"). Given this text, the filter runs its check and
    the comparison compares it; every other reader sees the same text. A
    case with ``"cpu_info_as_released": true`` keeps nova's plain text.
    """

    def get(self, key, default=None):
        try:
            info = json.loads(self)
        except ValueError:
            return default
        return info.get(key, default) if isinstance(info, dict) else default


def _manager(config):
    """A HostManager holding the case's filters and weighers (no DB)."""
    from nova.scheduler import filters
    from nova.scheduler import host_manager
    from nova.scheduler import weights
    fs = config['filter_scheduler']
    fh = filters.HostFilterHandler()
    by_name = {cls.__name__: cls for cls in fh.get_matching_classes(
        ['nova.scheduler.filters.all_filters'])}
    wh = weights.HostWeightHandler()
    weighers = {cls.__name__: cls for cls in wh.get_matching_classes(
        ['nova.scheduler.weights.all_weighers'])}
    manager = host_manager.HostManager.__new__(host_manager.HostManager)
    manager.filter_handler = fh
    manager.enabled_filters = [by_name[n]() for n in fs['enabled_filters']
                               if n not in NOT_NOVA_FILTERS]
    manager.weight_handler = wh
    manager.weighers = [weighers[n]() for n in fs['enabled_weighers']]
    return manager


def _request_spec(r):
    from nova import objects
    f = r['flavor']
    flavor = objects.Flavor(name=f['name'], flavorid=f['name'],
                            vcpus=f['vcpus'], memory_mb=f['memory_mb'],
                            root_gb=f['root_gb'],
                            ephemeral_gb=f['ephemeral_gb'], swap=f['swap'],
                            extra_specs=dict(f['extra_specs']))
    group = None
    g = r['group']
    if g is not None:
        group = objects.InstanceGroup(
            uuid=g['uuid'], name=g['name'], policy=g['policy'],
            policies=[g['policy']], members=list(g['members']),
            hosts=list(g['hosts']), rules=dict(g['rules']),
            project_id=g['project_id'])
    dest = None
    d = r['destination']
    if d is not None:
        dest = objects.Destination()
        for key in ('host', 'node', 'aggregates', 'allow_cross_cell_move'):
            if key in d:
                setattr(dest, key, d[key])
        if 'host' in d:
            # As the API makes it: a host, and a node or None.
            dest.node = d.get('node')
        if 'cell' in d:
            dest.cell = objects.CellMapping(uuid=d['cell'], name='cell',
                                            transport_url='none:///',
                                            database_connection='none:///')
    image = r['image']
    return objects.RequestSpec(
        instance_uuid=r['instance_uuids'][0], project_id=r['project_id'],
        user_id=r['user_id'], availability_zone=r['availability_zone'],
        flavor=flavor, image=objects.ImageMeta.from_dict(
            {'id': image['id'], 'properties': image['properties']}),
        num_instances=len(r['instance_uuids']),
        scheduler_hints={k: list(v) for k, v in r['hints'].items()},
        instance_group=group, ignore_hosts=list(r['ignore_hosts']),
        force_hosts=list(r['force_hosts']),
        force_nodes=list(r['force_nodes']), requested_destination=dest,
        is_bfv=False, pci_requests=None, numa_topology=None,
        requested_resources=[])


def _amounts(flavor):
    """What placement is asked for, per resource class, for one instance."""
    disk = (flavor['root_gb'] + flavor['ephemeral_gb']
            + int(math.ceil(flavor['swap'] / 1024.0)))
    return {'VCPU': flavor['vcpus'], 'MEMORY_MB': flavor['memory_mb'],
            'DISK_GB': disk}


_INVENTORY = {'VCPU': ('vcpus', 'cpu_ratio'),
              'MEMORY_MB': ('ram', 'ram_ratio'),
              'DISK_GB': ('disk', 'disk_ratio')}


def _room(h, used, amounts):
    """Placement's check: capacity left and an allowed unit (by default
    min 1, max the total, step 1: the inventories a compute reports)."""
    for rc, amount in amounts.items():
        if not amount:
            continue
        key, ratio = _INVENTORY[rc]
        capacity = (h[key] - h[key + '_reserved']) * h[ratio]
        low, high, step = (h.get('units') or {}).get(rc, (1, h[key], 1))
        if (used[rc] + amount > capacity or amount < low or amount > high
                or amount % step):
            return False
    return True


def _candidates(case, r, spec):
    """Indices of the hosts placement returns for the request, or None when
    nova gives up before asking (no such target host)."""
    hosts = case['hosts']
    amounts = _amounts(r['flavor'])
    keep = [i for i, h in enumerate(hosts)
            if not h['disabled']
            and _room(h, _used(h), amounts)]
    required = []
    if r['availability_zone']:
        zone = [a['uuid'] for a in case['aggregates']
                if a['metadata'].get('availability_zone')
                == r['availability_zone']]
        if zone:
            required.append(zone)
    d = r['destination'] or {}
    for entry in d.get('aggregates', ()):
        required.append(entry.split(','))
    members = {}
    for a in case['aggregates']:
        for name in a['hosts']:
            members.setdefault(name, set()).add(a['uuid'])
    keep = [i for i in keep
            if all(members.get(hosts[i]['name'], set()) & set(any_of)
                   for any_of in required)]
    if d.get('cell') and not d.get('allow_cross_cell_move'):
        keep = [i for i in keep if hosts[i]['cell'] == d['cell']]
    target_host = d.get('host') or (r['force_hosts'] or [None])[0]
    target_node = d.get('node') or (r['force_nodes'] or [None])[0]
    if target_host or target_node:
        nodes = [i for i, h in enumerate(hosts)
                 if (not target_host or h['name'] == target_host)
                 and (not target_node or h['node'] == target_node)
                 and (not d.get('cell') or h['cell'] == d['cell'])]
        if not nodes:
            return None
        if len(nodes) == 1:
            keep = [i for i in keep if i == nodes[0]]
            if spec.requested_destination is not None:
                # nova names the one node in the destination too.
                spec.requested_destination.host = hosts[nodes[0]]['name']
                spec.requested_destination.node = hosts[nodes[0]]['node']
    return keep


def _used(h):
    return {'VCPU': h['vcpus_used'], 'MEMORY_MB': h['ram_used'],
            'DISK_GB': h['disk_used']}


def decide(manager, case, states, r):
    """nova's verdict on request `r`."""
    spec = _request_spec(r)
    out = {'survivors': [], 'ranking': [], 'picks': None, 'tied': []}
    keep = _candidates(case, r, spec)
    if keep is None:
        return out
    index = {id(s): i for i, s in enumerate(states)}
    saved = [(i, {a: getattr(states[i], a) for a in CONSUMED},
              dict(states[i].instances)) for i in keep]
    used = {i: _used(case['hosts'][i]) for i in keep}
    amounts = _amounts(r['flavor'])
    hosts = [states[i] for i in keep]
    picks = []
    from nova import exception
    try:
        for num, uuid in enumerate(r['instance_uuids']):
            spec.instance_uuid = uuid
            spec.obj_reset_changes(['instance_uuid'])
            filtered = list(manager.get_filtered_hosts(hosts, spec, num)
                            or [])
            if not filtered:
                break
            weighed = manager.get_weighed_hosts(filtered, spec)
            if num == 0:
                out['survivors'] = sorted(w.obj.uuid for w in weighed)
                out['ranking'] = [[w.obj.uuid, w.weight] for w in weighed]
            hosts = [w.obj for w in weighed]
            claimed = None
            for host in hosts:
                i = index[id(host)]
                if _room(case['hosts'][i], used[i], amounts):
                    for rc, amount in amounts.items():
                        used[i][rc] += amount
                    claimed = host
                    break
            if claimed is None:
                break
            picks.append(claimed.uuid)
            weight = [w.weight for w in weighed if w.obj is claimed][0]
            out['tied'].append([w.obj.uuid for w in weighed if math.isclose(
                w.weight, weight, rel_tol=1e-9, abs_tol=1e-9)])
            # As nova's manager consumes a selected host.
            claimed.consume_from_request(spec)
            if spec.instance_group is not None:
                spec.instance_group.hosts.append(claimed.host)
                spec.instance_group.obj_reset_changes(['hosts'])
                if uuid not in claimed.instances:
                    from nova import objects
                    claimed.instances[uuid] = objects.Instance(uuid=uuid)
    except (exception.ComputeHostMetricNotFound, AttributeError) as e:
        # nova fails the request: MetricsWeigher with [metrics] required
        # and a host without the metric; ImagePropertiesFilter reading an
        # image's hw_maxphysaddr_bits from cpu_info as released
        # (doc/differences.md).
        out['error'] = type(e).__name__
        out['picks'] = None
        return out
    finally:
        for i, values, instances in saved:
            for a, v in values.items():
                setattr(states[i], a, v)
            states[i].instances = instances
    if len(picks) == len(r['instance_uuids']):
        out['picks'] = picks
    return out


def verdicts(case):
    """nova's verdict on every request of `case`."""
    import nova_states
    now = nova_states.configure(case['config'], case['now'])
    manager = _manager(case['config'])
    states = nova_states.host_states(case, now)
    if not case.get('cpu_info_as_released'):
        for s in states:
            s.cpu_info = CpuInfoText(s.cpu_info)
    return [decide(manager, case, states, r) for r in case['requests']]


def main(path):
    """Reads {"cases": [case, ...]}; prints {"verdicts": [[...], ...]}."""
    with open(path) as f:
        cases = json.load(f)['cases']
    print(json.dumps({'verdicts': [verdicts(case) for case in cases]}))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
