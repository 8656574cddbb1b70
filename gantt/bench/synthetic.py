"""A synthetic cloud for benchmarks, as plain JSON-ready data.

The same description feeds Gantt's engine and, through a subprocess, the
compute controller's scheduler, so both decide over identical hosts and
requests. Everything comes from one seeded random generator.
"""

import random
import uuid as uuid_lib

NOW = 1_800_000_000.0
DOWN_AGE = 3600.0

FLAVORS = [
    # name, vcpus, memory_mb, root_gb, ephemeral_gb, swap_mb
    ('m1.tiny', 1, 1024, 10, 0, 0),
    ('m1.small', 1, 2048, 20, 0, 0),
    ('m1.medium', 2, 4096, 40, 0, 0),
    ('m1.large', 4, 8192, 80, 0, 1024),
    ('m1.xlarge', 8, 16384, 160, 20, 0),
    ('c1.big', 16, 65536, 320, 0, 0),
]
HOST_SHAPES = [
    # vcpus, memory_mb, disk_gb
    (32, 131072, 1000),
    (48, 262144, 2000),
    (64, 393216, 2000),
    (96, 524288, 4000),
    (128, 786432, 4000),
]
HV_VERSIONS = [6002000, 7002000, 8002000, 9001000]
POLICIES = ['affinity', 'anti-affinity', 'soft-affinity',
            'soft-anti-affinity']


def _uuid(rng):
    return str(uuid_lib.UUID(int=rng.getrandbits(128), version=4))


def generate(n_hosts, n_requests, seed=42, cells=2, zones=4):
    """Hosts, aggregates, server groups and requests, as dicts."""
    rng = random.Random(seed)
    cell_uuids = [_uuid(rng) for _ in range(cells)]
    hosts = []
    for i in range(n_hosts):
        vcpus, ram, disk = rng.choice(HOST_SHAPES)
        fill = rng.random() * 0.9
        arch = 'aarch64' if rng.random() < 0.05 else 'x86_64'
        failed = rng.choice((1, 2, 3)) if rng.random() < 0.01 else 0
        hosts.append({
            'name': 'compute%06d' % i,
            'node': 'compute%06d.example.org' % i,
            'uuid': _uuid(rng),
            'cell': cell_uuids[i * cells // max(1, n_hosts)],
            'vcpus': vcpus, 'cpu_ratio': rng.choice((4.0, 16.0)),
            'vcpus_used': int(vcpus * 4 * fill), 'vcpus_reserved': 0,
            'ram': ram, 'ram_ratio': rng.choice((1.0, 1.5)),
            'ram_used': int(ram * fill) // 1024 * 1024,
            'ram_reserved': 4096,
            'disk': disk, 'disk_ratio': 1.0,
            'disk_used': int(disk * fill), 'disk_reserved': 0,
            'age': DOWN_AGE if rng.random() < 0.02 else rng.random() * 30,
            'disabled': rng.random() < 0.03,
            'forced_down': rng.random() < 0.005,
            'num_instances': int(fill * 40),
            'num_io_ops': rng.randrange(0, 10),
            'failed_builds': failed,
            'hypervisor_type': 'QEMU',
            'hypervisor_version': rng.choice(HV_VERSIONS),
            'supported_instances': [[arch, 'kvm', 'hvm'],
                                    [arch, 'qemu', 'hvm']],
            'host_ip': '10.%d.%d.%d' % (i >> 16 & 255, i >> 8 & 255,
                                        i & 255),
            'instances': [],
        })
    names = [h['name'] for h in hosts]
    aggregates = []
    # Availability zones: nine hosts in ten are in exactly one zone.
    for z in range(zones):
        members = [h for k, h in enumerate(names)
                   if k % 10 != 9 and k % zones == z]
        aggregates.append({'uuid': _uuid(rng), 'name': 'az%d' % (z + 1),
                           'hosts': members,
                           'metadata': {
                               'availability_zone': 'az%d' % (z + 1)}})
    # Feature aggregates with metadata, some tuning weigher multipliers.
    for a in range(max(1, n_hosts // 500)):
        size = rng.randrange(5, 50)
        members = rng.sample(names, min(size, len(names)))
        metadata = {'ssd': rng.choice(('true', 'false'))}
        if a % 5 == 0:
            metadata['ram_weight_multiplier'] = '2.0'
        aggregates.append({'uuid': _uuid(rng), 'name': 'feature%d' % a,
                           'hosts': members, 'metadata': metadata})
    groups = []
    for g in range(max(1, n_hosts // 50)):
        policy = POLICIES[g % len(POLICIES)]
        count = rng.randrange(2, 6)
        if policy == 'affinity':
            where = [rng.randrange(n_hosts)] * count
        else:
            where = [rng.randrange(n_hosts) for _ in range(count)]
        members = []
        for k in where:
            member = _uuid(rng)
            members.append(member)
            hosts[k]['instances'].append(member)
        groups.append({'uuid': _uuid(rng), 'name': 'group%d' % g,
                       'policy': policy, 'members': members,
                       'hosts': sorted({names[k] for k in where}),
                       'project_id': 'project%d' % (g % 20)})
    requests = []
    for r in range(n_requests):
        flavor = rng.choice(FLAVORS)
        spec = {'instance_uuid': _uuid(rng),
                'project_id': 'project%d' % rng.randrange(20),
                'user_id': 'user%d' % rng.randrange(50),
                'flavor': flavor,
                'availability_zone': None, 'group': None, 'image_arch': None}
        roll = rng.random()
        if roll < 0.3:
            spec['availability_zone'] = 'az%d' % rng.randrange(1, zones + 1)
        if rng.random() < 0.2 and groups:
            spec['group'] = rng.randrange(len(groups))
        if rng.random() < 0.1:
            spec['image_arch'] = 'x86_64'
        requests.append(spec)
    return {'now': NOW, 'hosts': hosts, 'aggregates': aggregates,
            'groups': groups, 'requests': requests}
