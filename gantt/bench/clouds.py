"""Random clouds and requests for comparing Gantt's verdicts with nova's.

generate(seed) returns one case as plain JSON-ready data: a configuration
(enabled filters, weigher multipliers, the options filters read), hosts with
their services, stats, capabilities and instances, cells, aggregates with
metadata, server groups, and requests. Both gantt.bench.verdicts (Gantt's
side) and gantt/bench/nova_verdicts.py (nova's side, another interpreter)
build their own objects from the same case, so neither imports the other.

Some inputs are not generated on purpose; each such place names the row of
doc/differences.md (or the open item of issue 18) that it stands for, in a
constant below, so a reader sees what excuses it.
"""

import json
import math
import random
import uuid as uuid_lib

from gantt import fit

NOW = 1_800_000_000.0
DEFAULT_AZ = 'nova'

# Rows of doc/differences.md the generator steers around. Each stays True
# while Gantt deliberately differs; the comparison reads them too.
#: "Default availability zone": a request for the default zone, which no
#: aggregate names, is not asked for.
AVOID_DEFAULT_AZ_REQUEST = True
#: "Image architecture, hypervisor type and vm mode": an image never asks
#: for vm mode 'xen', a word hosts also use as a hypervisor type.
POSITIONAL_IMAGE_MATCH = True
#: "Capacity epsilon": allocation ratios are exact binary fractions.
EXACT_RATIOS = True
#: "force_nodes case": node names are given exactly as hosts report them.
EXACT_CASE_FORCE_NODES = True
#: "Swap in local disk accounting": multi-instance requests have no swap.
NO_SWAP_WHEN_MULTI = True
#: "Multi-instance resource re-check": when True, a multi-instance request
#: never fills a host part way (each host takes all of it or none); the
#: comparison has a named allowance for it instead (verdicts.ALLOWANCES).
MULTI_FITS_WHOLE = False
#: "instance_type_name aggregate key": aggregates use nova's key only.
NO_INSTANCE_TYPE_NAME_KEY = True
#: "JsonFilter $host_ip": queries do not compare host_ip.
NO_JSON_HOST_IP = True
#: "Disabled hosts and ComputeFilter": ComputeFilter is always enabled.
ALWAYS_COMPUTE_FILTER = True
#: "MetricsWeigher with required metrics": [metrics] required comes with
#: MetricsFilter, so no host lacking a metric is weighed.
REQUIRED_METRICS_FILTERED = True
#: "Server group members on hosts with several nodes": group members run
#: on hosts that have one node.
MEMBERS_ON_ONE_NODE_HOSTS = True
#: "Several forced hosts": force_hosts names one host.
ONE_FORCED_HOST = True
#: "Forced hosts skip every filter": a forced host or node is enabled, has
#: room for the flavor in units its inventories allow (has_room), and the
#: request names no availability zone.
FORCED_PASSES_PREFILTERS = True

# Issue 18 items: True steers the generator around the item's inputs.
#: Item 5: cross-cell moves (allow_cross_cell_move with a cell); agrees.
ITEM5_NO_CROSS_CELL = False
#: Item 6: an I/O operation per placed instance; agrees. True makes
#: multi-instance requests only when no I/O-ops filter or weigher is
#: enabled, and never with a JsonFilter query on $num_io_ops.
ITEM6_NO_MULTI_WITH_IO_OPS = False

#: Filters both schedulers have, chosen at random per cloud.
SHARED_FILTERS = [
    'AllHostsFilter', 'ComputeCapabilitiesFilter', 'ImagePropertiesFilter',
    'AggregateInstanceExtraSpecsFilter', 'AggregateMultiTenancyIsolation',
    'AggregateTypeAffinityFilter', 'AggregateImagePropertiesIsolation',
    'IoOpsFilter', 'AggregateIoOpsFilter', 'NumInstancesFilter',
    'AggregateNumInstancesFilter', 'DifferentHostFilter', 'SameHostFilter',
    'SimpleCIDRAffinityFilter', 'ServerGroupAffinityFilter',
    'ServerGroupAntiAffinityFilter', 'IsolatedHostsFilter', 'JsonFilter',
    'MetricsFilter',
]
#: Gantt filters that nova does before its filters, in placement and its
#: request filters (resources, availability zone); always on, so both
#: sides narrow alike.
PLACEMENT_FILTERS = ['AvailabilityZoneFilter', 'RamFilter', 'CoreFilter',
                     'DiskFilter']
#: Weighers both have. ImagePropertiesWeigher is left out: nova's reads
#: every instance's image from the cell database, Gantt's reads host stats
#: (doc/differences.md, "ImagePropertiesWeigher input").
SHARED_WEIGHERS = [
    'RAMWeigher', 'CPUWeigher', 'DiskWeigher', 'IoOpsWeigher',
    'NumInstancesWeigher', 'MetricsWeigher', 'BuildFailureWeigher',
    'ServerGroupSoftAffinityWeigher', 'ServerGroupSoftAntiAffinityWeigher',
    'HypervisorVersionWeigher', 'CrossCellWeigher',
]
MULTIPLIERS = {
    'RAMWeigher': 'ram_weight_multiplier',
    'CPUWeigher': 'cpu_weight_multiplier',
    'DiskWeigher': 'disk_weight_multiplier',
    'IoOpsWeigher': 'io_ops_weight_multiplier',
    'NumInstancesWeigher': 'num_instances_weight_multiplier',
    'BuildFailureWeigher': 'build_failure_weight_multiplier',
    'ServerGroupSoftAffinityWeigher': 'soft_affinity_weight_multiplier',
    'ServerGroupSoftAntiAffinityWeigher':
        'soft_anti_affinity_weight_multiplier',
    'HypervisorVersionWeigher': 'hypervisor_version_weight_multiplier',
    'CrossCellWeigher': 'cross_cell_move_weight_multiplier',
}
IO_OPS_PLUGINS = ('IoOpsFilter', 'AggregateIoOpsFilter', 'IoOpsWeigher')

FLAVOR_NAMES = ['m1.small', 'm1.large', 'c1.big', 'g1.gpu']
ARCHES = ['x86_64', 'aarch64']
HV_TYPES = ['qemu', 'kvm', 'ironic', 'vmware']
HOST_HV_TYPES = ['qemu', 'kvm', 'ironic', 'xen']
DISTROS = ['ubuntu', 'rhel', 'debian']
RACKS = ['r1', 'r2', 'r3']
ISOLATED_IMAGE = '11111111-1111-4111-8111-000000000001'
IMAGES = [ISOLATED_IMAGE, '11111111-1111-4111-8111-000000000002']
PROJECTS = ['p1', 'p2', 'p3']
# The smallest hosts are smaller than the largest flavors: an amount above
# an inventory's total is refused (its max_unit is the total by default).
HOST_VCPUS = (4, 16, 32, 64)
HOST_RAM = (8192, 32768, 131072, 262144)
HOST_DISK = (100, 500, 2000)
FLAVOR_VCPUS = (1, 2, 4, 8)
FLAVOR_RAM = (512, 2048, 8192, 16384)
FLAVOR_ROOT = (0, 10, 40, 200)
FLAVOR_EPHEMERAL = (0, 0, 10)


def _uuid(rng):
    return str(uuid_lib.UUID(int=rng.getrandbits(128), version=4))


def _maybe(rng, p):
    return rng.random() < p


def _config(rng, host_names):
    filters = ['ComputeFilter'] if ALWAYS_COMPUTE_FILTER else []
    filters += PLACEMENT_FILTERS
    filters += rng.sample(SHARED_FILTERS, rng.randrange(3, 12))
    weighers = rng.sample(SHARED_WEIGHERS, rng.randrange(2, 9))
    if ITEM6_NO_MULTI_WITH_IO_OPS and _maybe(rng, 0.5):
        # Half the clouds without I/O-ops plugins, for multi-instance
        # requests (item 6).
        filters = [f for f in filters if f not in IO_OPS_PLUGINS]
        weighers = [w for w in weighers if w not in IO_OPS_PLUGINS]
    fs = {'enabled_filters': filters, 'enabled_weighers': weighers,
          'host_subset_size': 1,
          'shuffle_best_same_weighed_hosts': False,
          'max_io_ops_per_host': rng.choice((3, 8, 20)),
          'max_instances_per_host': rng.choice((10, 30, 50)),
          'isolated_hosts': rng.sample(host_names, rng.choice((0, 2, 5))),
          'isolated_images': [ISOLATED_IMAGE],
          'restrict_isolated_hosts_to_isolated_images': rng.choice(
              (True, False)),
          'aggregate_image_properties_isolation_namespace': rng.choice(
              ('', 'img')),
          'aggregate_image_properties_isolation_separator': '.'}
    for name, option in MULTIPLIERS.items():
        if name == 'BuildFailureWeigher':
            fs[option] = rng.choice((1000000.0, 10.0, 0.0))
        elif name == 'CrossCellWeigher':
            fs[option] = rng.choice((1000000.0, 2.0))
        elif name.startswith('ServerGroupSoft'):
            # nova refuses negative ones (Gantt takes them).
            fs[option] = rng.choice((0.0, 1.0, 3.0))
        else:
            fs[option] = rng.choice((-2.0, -1.0, 0.0, 0.5, 1.0, 3.0))
    fs['image_props_weight_multiplier'] = 0.0
    metrics = {'weight_setting': rng.choice((
                   [], ['cpu.percent=-1.0'],
                   ['cpu.percent=-1.0', 'cpu.idle.percent=0.5'])),
               'required': rng.choice((True, False)),
               'weight_of_unavailable': rng.choice((-10000.0, -1.0)),
               'weight_multiplier': rng.choice((1.0, -1.0, 2.0))}
    if (REQUIRED_METRICS_FILTERED and metrics['required']
            and 'MetricsWeigher' in weighers
            and 'MetricsFilter' not in filters):
        filters.append('MetricsFilter')
    return {'DEFAULT': {'service_down_time': rng.choice((60, 120))},
            'filter_scheduler': fs, 'metrics': metrics}


def _host(rng, i, name, node, cell):
    vcpus, ram, disk = (rng.choice(HOST_VCPUS), rng.choice(HOST_RAM),
                        rng.choice(HOST_DISK))
    ratios = ((1.0, 4.0, 16.0), (1.0, 1.5), (1.0, 2.0))
    if not EXACT_RATIOS:
        ratios = ((1.0, 4.0, 0.57), (1.0, 1.5, 0.29), (1.0, 2.0))
    cpu_ratio, ram_ratio, disk_ratio = (rng.choice(r) for r in ratios)
    age = rng.random() * 30
    roll = rng.random()
    if roll < 0.05:
        age = 600.0
    elif roll < 0.08:
        # A heartbeat from the future: clock skew.
        age = -rng.choice((30.0, 600.0))
    cpu_info = {'arch': rng.choice(ARCHES),
                'vendor': rng.choice(('Intel', 'AMD'))}
    if _maybe(rng, 0.7):
        cpu_info['maxphysaddr'] = {'mode': 'emulate',
                                   'bits': rng.choice((39, 46, 52))}
    stats = {}
    if _maybe(rng, 0.5):
        stats['ssd'] = rng.choice(('true', 'false'))
    if _maybe(rng, 0.5):
        stats['rack'] = rng.choice(RACKS)
    if _maybe(rng, 0.3):
        stats['gpus'] = str(rng.randrange(0, 5))
    h = {'name': name, 'node': node, 'uuid': _uuid(rng), 'cell': cell,
         'vcpus': vcpus, 'cpu_ratio': cpu_ratio,
         'vcpus_used': rng.randrange(0, int(vcpus * cpu_ratio) + 4),
         'vcpus_reserved': rng.choice((0, 0, 2)),
         'ram': ram, 'ram_ratio': ram_ratio,
         'ram_used': rng.randrange(0, int(ram * ram_ratio), 512),
         'ram_reserved': rng.choice((0, 512, 4096)),
         'disk': disk, 'disk_ratio': disk_ratio,
         'disk_used': rng.randrange(0, int(disk * disk_ratio) + 10),
         'disk_reserved': rng.choice((0, 0, 10)),
         'age': age,
         'disabled': _maybe(rng, 0.05),
         'forced_down': _maybe(rng, 0.02),
         'num_instances': rng.randrange(0, 60),
         'num_io_ops': rng.randrange(0, 25),
         'failed_builds': rng.choice((0,) * 12 + (1, 4)),
         'hypervisor_type': rng.choice(('QEMU', 'QEMU', 'ironic', 'VMware')),
         'hypervisor_version': rng.choice((6002000, 7002000, 8002000)),
         'supported_instances': [
             [rng.choice(ARCHES), rng.choice(HOST_HV_TYPES),
              rng.choice(('hvm', 'hvm', 'exe', 'xen'))]
             for _ in range(rng.choice((1, 1, 2)))],
         'host_ip': '10.%d.%d.%d' % (i >> 12, (i >> 4) & 255,
                                     (i & 15) * 16 + 1),
         'cpu_info': json.dumps(cpu_info),
         'stats': stats,
         'metrics': {},
         'instances': [_uuid(rng) for _ in range(rng.choice((0, 0, 1, 3)))]}
    # Whole numbers: nova's MonitorMetric holds an integer value.
    if _maybe(rng, 0.3):
        # [min_unit, max_unit, step_size] per resource class; a host
        # without 'units' has the defaults, [1, total, 1].
        h['units'] = {'VCPU': [1, rng.choice((4, vcpus)),
                               rng.choice((1, 1, 2))],
                      'MEMORY_MB': [rng.choice((1, 1024)),
                                    rng.choice((ram, 8192)),
                                    rng.choice((1, 512, 1024))],
                      'DISK_GB': [rng.choice((1, 20)),
                                  rng.choice((disk, 100)),
                                  rng.choice((1, 10))]}
    if _maybe(rng, 0.8):
        h['metrics']['cpu.percent'] = float(rng.randrange(0, 101))
        if _maybe(rng, 0.7):
            h['metrics']['cpu.idle.percent'] = float(rng.randrange(0, 101))
    return h


def _aggregates(rng, hosts, cells):
    names = sorted({h['name'] for h in hosts})
    aggregates = []
    zones = ['az1', 'az2', 'az3']
    # Zones partition most hosts; some hosts are in no zone (the default).
    zone_of = {n: rng.choice(zones + [None]) for n in names}
    for z in zones:
        aggregates.append({'uuid': _uuid(rng), 'name': 'zone-' + z,
                           'hosts': [n for n in names if zone_of[n] == z],
                           'metadata': {'availability_zone': z}})
    choices = [
        {'filter_tenant_id': 'p1'}, {'filter_tenant_id': 'p1,p2'},
        {'filter_tenant_id': 'p3', 'filter_tenant_id_2': 'p2'},
        {'instance_type': 'm1.small,c1.big'}, {'instance_type': 'g1.gpu'},
        {'cpu_allocation_ratio': '2.0'}, {'ram_allocation_ratio': '1.0'},
        {'disk_allocation_ratio': '3.0'},
        {'max_instances_per_host': '20'}, {'max_io_ops_per_host': '5'},
        {'max_instances_per_host': 'bad'},
        {'ssd': 'true'}, {'ssd': 'false'}, {'gpu': '2'}, {'gpu': '4'},
        {'hw_type': 'big'},
        {'os_distro': 'ubuntu'}, {'os_distro': 'rhel'},
        {'hw_architecture': 'x86_64'}, {'img.os_distro': 'debian'},
        {'ram_weight_multiplier': '3.0'}, {'cpu_weight_multiplier': '-1.0'},
        {'io_ops_weight_multiplier': '2.0'},
        {'disk_weight_multiplier': '0.5'},
        {'num_instances_weight_multiplier': '-2.0'},
        {'metrics_weight_multiplier': '0.5'},
        {'build_failure_weight_multiplier': '10.0'},
        {'soft_affinity_weight_multiplier': '5.0'},
        {'soft_anti_affinity_weight_multiplier': '4.0'},
        {'hypervisor_version_weight_multiplier': '-1.0'},
    ]
    if not NO_INSTANCE_TYPE_NAME_KEY:
        choices.append({'instance_type_name': 'm1.large'})
    for a in range(max(2, len(names) // 25)):
        metadata = dict(rng.choice(choices))
        for _ in range(rng.choice((0, 0, 1, 2))):
            metadata.update(rng.choice(choices))
        aggregates.append({'uuid': _uuid(rng), 'name': 'agg%d' % a,
                           'hosts': rng.sample(names, rng.randrange(
                               1, max(2, len(names) // 4))),
                           'metadata': metadata})
    return aggregates


def _groups(rng, hosts, instances):
    groups = []
    uuids = [u for u, _ in instances]
    if MEMBERS_ON_ONE_NODE_HOSTS:
        nodes = {}
        for h in hosts:
            nodes[h['name']] = nodes.get(h['name'], 0) + 1
        uuids = [u for u, name in instances if nodes[name] == 1]
    for g in range(4):
        members = rng.sample(uuids, min(len(uuids), rng.randrange(1, 6)))
        groups.append({
            'uuid': _uuid(rng), 'name': 'group%d' % g,
            'policy': rng.choice(('affinity', 'anti-affinity',
                                  'soft-affinity', 'soft-anti-affinity')),
            'rules': rng.choice(({}, {}, {'max_server_per_host': '2'})),
            'members': members, 'project_id': rng.choice(PROJECTS),
            'hosts': sorted({h for u, h in instances if u in members})})
    return groups


EXTRA_SPECS = [
    ('capabilities:hypervisor_type', ('QEMU', 's== ironic', '<in> VM')),
    ('capabilities:vcpus_total', ('32', '>= 32', '<in> 6', 's== 16',
                                  '<or> 16 <or> 64')),
    ('capabilities:free_ram_mb', ('>= 65536', '<= 100000')),
    ('capabilities:hypervisor_version', ('>= 7002000', '7002000')),
    ('capabilities:hypervisor_hostname', ('<in> node1', 'host0003')),
    ('capabilities:cpu_info:arch', ('x86_64', '<or> aarch64 <or> ppc')),
    ('capabilities:cpu_info:maxphysaddr:bits', ('>= 46', '39')),
    ('capabilities:stats:rack', ('r1',)),
    ('capabilities:ssd', ('true',)),
    ('hw:maxphysaddr_bits', ('40', '46', '50')),
    ('ssd', ('true', 'false')),
    ('rack', ('<or> r1 <or> r2', 'r3')),
    ('gpus', ('>= 2', '0')),
    ('vcpus_total', ('32', '>= 32')),
    ('num_instances', ('<= 30',)),
    ('group_policy', ('none', 'isolate')),
    ('hw:watchdog_action', ('reset',)),
    ('quota:cpu_shares', ('100',)),
    ('aggregate_instance_extra_specs:ssd', ('true', '<in> t')),
    ('aggregate_instance_extra_specs:gpu', ('>= 3', '2', '<or> 2 <or> 4')),
    ('aggregate_instance_extra_specs:hw_type', ('big',)),
]


def _flavor(rng, swap):
    extra = {}
    for key, values in EXTRA_SPECS:
        if _maybe(rng, 0.07):
            extra[key] = rng.choice(values)
    return {'name': rng.choice(FLAVOR_NAMES),
            'vcpus': rng.choice(FLAVOR_VCPUS),
            'memory_mb': rng.choice(FLAVOR_RAM),
            'root_gb': rng.choice(FLAVOR_ROOT),
            'ephemeral_gb': rng.choice(FLAVOR_EPHEMERAL),
            'swap': rng.choice((0, 0, 512)) if swap else 0,
            'extra_specs': extra}


def _image(rng):
    props = {}
    for key, values, p in (
            ('hw_architecture', ARCHES, 0.3),
            ('img_hv_type', HV_TYPES, 0.2),
            ('hw_vm_mode', ('hvm', 'exe') + (
                () if POSITIONAL_IMAGE_MATCH else ('xen',)), 0.1),
            ('hw_maxphysaddr_bits', (40, 46, 50), 0.15),
            ('img_hv_requested_version', ('>=7.0', '<8.0', '>=6.0,<8.0'),
             0.15),
            ('os_distro', DISTROS, 0.4),
            ('os_type', ('linux', 'windows'), 0.2)):
        if values and _maybe(rng, p):
            props[key] = rng.choice(values)
    return {'id': rng.choice(IMAGES), 'properties': props}


def _hints(rng, hosts, instances, io_ops=True):
    hints = {}
    uuids = [u for u, _ in instances]
    if uuids and _maybe(rng, 0.15):
        hints['different_host'] = rng.sample(uuids, min(len(uuids), 3))
    if uuids and _maybe(rng, 0.1):
        hints['same_host'] = rng.sample(uuids, min(len(uuids), 2))
    if _maybe(rng, 0.15):
        hints['build_near_host_ip'] = [rng.choice(hosts)['host_ip']]
        hints['cidr'] = [rng.choice(('/24', '/16', '/28'))]
    if _maybe(rng, 0.15):
        terms = [['>=', '$free_ram_mb', rng.choice((1024, 60000))],
                 ['<', '$num_io_ops', rng.randrange(3, 20)] if io_ops
                 else ['<', '$num_instances', rng.randrange(3, 50)],
                 ['=', '$hypervisor_type', 'QEMU'],
                 ['not', ['<', '$vcpus_total', 32]],
                 ['in', '$cpu_info', 'x86_64']]
        if not NO_JSON_HOST_IP:
            terms.append(['=', '$host_ip', hosts[0]['host_ip']])
        picked = rng.sample(terms, rng.randrange(1, 3))
        hints['query'] = [json.dumps([rng.choice(('and', 'or'))] + picked)]
    return hints


#: Resource class -> (host dict key of its total, of its allocation ratio).
INVENTORIES = {'VCPU': ('vcpus', 'cpu_ratio'),
               'MEMORY_MB': ('ram', 'ram_ratio'),
               'DISK_GB': ('disk', 'disk_ratio')}


def amounts(flavor):
    """What one instance of `flavor` claims, per resource class."""
    disk = (flavor['root_gb'] + flavor['ephemeral_gb']
            + int(math.ceil(flavor['swap'] / 1024.0)))
    return {'VCPU': flavor['vcpus'], 'MEMORY_MB': flavor['memory_mb'],
            'DISK_GB': disk}


def units(h, rc):
    """[min_unit, max_unit, step_size] of host `h`'s `rc` inventory."""
    return (h.get('units') or {}).get(rc, [1, h[INVENTORIES[rc][0]], 1])


def has_room(h, flavor, count):
    """Whether host `h` takes `count` instances of `flavor` by the claim's
    rule (gantt.fit): room for all of them, each an allowed unit."""
    for rc, want in amounts(flavor).items():
        if not want:
            continue
        key, ratio = INVENTORIES[rc]
        capacity = fit.capacity(h[key], h[key + '_reserved'], h[ratio])
        if not (fit.has_room(capacity, h[key + '_used'], want * count)
                and fit.unit_ok(*units(h, rc), want)):
            return False
    return True


def _fills_part_way(hosts, flavor, count):
    """Whether some host has room for one instance but not `count`."""
    return any(has_room(h, flavor, 1) and not has_room(h, flavor, count)
               for h in hosts)


def _request(rng, case, instances):
    hosts, config = case['hosts'], case['config']
    plugins = (config['filter_scheduler']['enabled_filters']
               + config['filter_scheduler']['enabled_weighers'])
    count = 1
    if _maybe(rng, 0.25):
        count = rng.choice((2, 3))
    if ITEM6_NO_MULTI_WITH_IO_OPS and any(p in plugins
                                          for p in IO_OPS_PLUGINS):
        count = 1
    flavor = _flavor(rng, swap=count == 1 or not NO_SWAP_WHEN_MULTI)
    if MULTI_FITS_WHOLE and count > 1 and _fills_part_way(hosts, flavor,
                                                          count):
        count = 1
    zones = sorted({a['metadata']['availability_zone']
                    for a in case['aggregates']
                    if 'availability_zone' in a['metadata']})
    if not AVOID_DEFAULT_AZ_REQUEST:
        zones.append(DEFAULT_AZ)
    r = {'flavor': flavor, 'image': _image(rng),
         'project_id': rng.choice(PROJECTS), 'user_id': 'u1',
         'availability_zone': rng.choice(zones) if _maybe(rng, 0.3)
         else None,
         # Item 6: a query on $num_io_ops only for one instance.
         'hints': _hints(rng, hosts, instances,
                         io_ops=count == 1 or not ITEM6_NO_MULTI_WITH_IO_OPS),
         'group': None,
         'ignore_hosts': [], 'force_hosts': [], 'force_nodes': [],
         'destination': None,
         'instance_uuids': [_uuid(rng) for _ in range(count)]}
    if _maybe(rng, 0.3):
        # The instances being placed are members already, as the API
        # makes them before it asks for hosts.
        group = dict(rng.choice(case['groups']))
        group['members'] = group['members'] + r['instance_uuids']
        r['group'] = group
    names = sorted({h['name'] for h in hosts})
    if _maybe(rng, 0.1):
        r['ignore_hosts'] = rng.sample(names, min(len(names), 3))
    forceable = hosts
    if FORCED_PASSES_PREFILTERS:
        forceable = [h for h in hosts if not h['disabled']
                     and has_room(h, flavor, 1)]
        metrics = config['metrics']
        if REQUIRED_METRICS_FILTERED and metrics['required']:
            # A forced host skips MetricsFilter too.
            names = [e.split('=')[0] for e in metrics['weight_setting']]
            forceable = [h for h in forceable
                         if all(n in h['metrics'] for n in names)]
        forceable = [h for h in forceable
                     if all(o in forceable for o in hosts
                            if o['name'] == h['name'])]
    roll = rng.random()
    if roll < 0.04 and forceable:
        r['force_hosts'] = sorted({h['name'] for h in rng.sample(
            forceable, min(len(forceable),
                           1 if ONE_FORCED_HOST else rng.choice((1, 2))))})
    elif roll < 0.07 and forceable:
        node = rng.choice(forceable)['node']
        if not EXACT_CASE_FORCE_NODES and _maybe(rng, 0.5):
            node = node.upper()
        r['force_nodes'] = [node]
    if (r['force_hosts'] or r['force_nodes']) and FORCED_PASSES_PREFILTERS:
        r['availability_zone'] = None
    elif roll < 0.17:
        h = rng.choice(hosts)
        kind = rng.choice(('host', 'node', 'cell', 'aggregates'))
        dest = {}
        if kind in ('host', 'node'):
            dest['host'] = h['name']
            if kind == 'node':
                dest['node'] = h['node']
        elif kind == 'cell':
            dest['cell'] = rng.choice(case['cells'])
            # Item 5: allow_cross_cell_move is never set with a cell.
            dest['allow_cross_cell_move'] = (
                False if ITEM5_NO_CROSS_CELL else rng.choice((True, False)))
        else:
            aggs = rng.sample(case['aggregates'], 2)
            dest['aggregates'] = [','.join(a['uuid'] for a in aggs)]
        r['destination'] = dest
    return r


def generate(seed, n_hosts=200, n_requests=40):
    """One case: config, cells, hosts, aggregates, requests (each with
    its server group, if any)."""
    rng = random.Random(seed)
    cells = [_uuid(rng) for _ in range(rng.choice((1, 2, 3)))]
    hosts = []
    i = 0
    while len(hosts) < n_hosts:
        name = 'host%04d' % i
        cell = rng.choice(cells)
        nodes = 2 if _maybe(rng, 0.05) else 1
        for k in range(min(nodes, n_hosts - len(hosts))):
            hosts.append(_host(rng, len(hosts), name,
                               '%s-node%d' % (name, k + 1), cell))
        i += 1
    instances = [(u, h['name']) for h in hosts for u in h['instances']]
    case = {'seed': seed, 'now': NOW, 'default_az': DEFAULT_AZ,
            'cells': cells, 'hosts': hosts,
            'config': _config(rng, sorted({h['name'] for h in hosts}))}
    case['aggregates'] = _aggregates(rng, hosts, cells)
    case['groups'] = _groups(rng, hosts, instances)
    case['requests'] = [_request(rng, case, instances)
                        for _ in range(n_requests)]
    # Each request carries its own copy of its group.
    del case['groups']
    return case
