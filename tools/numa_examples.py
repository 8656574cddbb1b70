"""Run the example requests of doc/numa.md and print what they get.

Each example goes through a real Scheduler (NUMATopologyFilter and
PciPassthroughFilter) over a fresh embedded SQLite store holding one
compute with two NUMA cells, huge pages and PCI devices; the script prints
the request, the Selection returned (every field set) and the NUMA claims
written with it, or the refusal. Run from a checkout root:

    PYTHONPATH=$PWD python tools/numa_examples.py [NAME ...]
"""

import json
import sys
import tempfile

import sqlalchemy as sa

from gantt.conf import build_conf
from gantt import context
from gantt.db import api
from gantt.db import migration
from gantt import exception
from gantt.filters import numa_topology
from gantt.filters import pci_passthrough
from gantt import host_manager
from gantt import objects
from gantt.objects import compute_node
from gantt import scheduler

NODE = '00000000-0000-4000-8000-00000000000a'
INSTANCE = '00000000-0000-4000-8000-0000000000f1'
ALIASES = [
    '{"name": "nic", "vendor_id": "8086", "product_id": "154c", '
    '"device_type": "type-VF"}',
    '{"name": "gpu", "vendor_id": "10de", "product_id": "1eb8", '
    '"numa_policy": "required"}',
]

# name -> (vcpus, memory MiB, flavor extra specs, image properties)
EXAMPLES = {
    'dedicated': (4, 4096, {'hw:cpu_policy': 'dedicated'}, {}),
    'resources-pcpu': (4, 4096, {'resources:PCPU': '4'}, {}),
    'resources-vcpu': (4, 4096, {'resources:VCPU': '2'}, {}),
    'image-dedicated': (2, 2048, {}, {'hw_cpu_policy': 'dedicated'}),
    'image-thread-policy': (4, 4096, {'hw:cpu_policy': 'dedicated'},
                            {'hw_cpu_thread_policy': 'require'}),
    'mixed': (4, 4096, {'hw:cpu_policy': 'mixed',
                        'hw:cpu_dedicated_mask': '^0'}, {}),
    'thread-require': (4, 4096, {'hw:cpu_policy': 'dedicated',
                                 'hw:cpu_thread_policy': 'require'}, {}),
    'thread-isolate': (2, 2048, {'hw:cpu_policy': 'dedicated',
                                 'hw:cpu_thread_policy': 'isolate'}, {}),
    'trait-hyperthreading': (2, 2048, {
        'hw:cpu_policy': 'dedicated',
        'trait:HW_CPU_HYPERTHREADING': 'required'}, {}),
    'trait-no-hyperthreading': (2, 2048, {
        'hw:cpu_policy': 'dedicated',
        'trait:HW_CPU_HYPERTHREADING': 'forbidden'}, {}),
    'emulator-isolate': (2, 2048, {'hw:cpu_policy': 'dedicated',
                                   'hw:emulator_threads_policy': 'isolate'},
                         {}),
    'numa-nodes': (4, 4096, {'hw:numa_nodes': '2'}, {}),
    'numa-asymmetric': (6, 8192, {'hw:numa_nodes': '2',
                                  'hw:cpu_policy': 'dedicated',
                                  'hw:numa_cpus.0': '0-1',
                                  'hw:numa_cpus.1': '2-5',
                                  'hw:numa_mem.0': '2048',
                                  'hw:numa_mem.1': '6144'}, {}),
    'image-numa-nodes': (4, 4096, {}, {'hw_numa_nodes': 2}),
    'image-numa-cpus': (4, 4096, {}, {'hw_numa_nodes': '2',
                                      'hw_numa_cpus.0': '0',
                                      'hw_numa_cpus.1': '1-3',
                                      'hw_numa_mem.0': '1024',
                                      'hw_numa_mem.1': '3072',
                                      'hw_cpu_policy': 'dedicated'}),
    'page-size-large': (2, 2048, {'hw:mem_page_size': 'large'}, {}),
    'page-size-1gb': (2, 2048, {'hw:mem_page_size': '1GB'}, {}),
    'image-page-size': (2, 2048, {'hw:mem_page_size': 'any'},
                        {'hw_mem_page_size': '2048'}),
    'locked-memory': (2, 2048, {'hw:mem_page_size': 'small',
                                'hw:locked_memory': 'true'}, {}),
    'image-locked-memory': (2, 2048, {'hw:mem_page_size': 'large'},
                            {'hw_locked_memory': 'true'}),
    'pci-alias': (2, 2048, {'pci_passthrough:alias': 'nic:2'}, {}),
    'pci-required': (2, 2048, {'hw:cpu_policy': 'dedicated',
                               'pci_passthrough:alias': 'gpu:1'}, {}),
    'pci-preferred': (2, 2048, {'hw:cpu_policy': 'dedicated',
                                'hw:numa_nodes': '1',
                                'pci_passthrough:alias': 'gpu:1',
                                'hw:pci_numa_affinity_policy': 'preferred'},
                      {}),
    'pci-socket-image': (2, 2048, {'hw:cpu_policy': 'dedicated',
                                   'pci_passthrough:alias': 'gpu:1'},
                         {'hw_pci_numa_affinity_policy': 'socket'}),
    'pinned-pages-pci': (4, 4096, {'hw:cpu_policy': 'dedicated',
                                   'hw:mem_page_size': '2MB',
                                   'pci_passthrough:alias': 'nic:1'}, {}),
    'refused-contradiction': (4, 4096, {'hw:cpu_policy': 'shared'},
                              {'hw_cpu_policy': 'dedicated'}),
    'refused-pcpu-and-policy': (4, 4096, {'hw:cpu_policy': 'dedicated',
                                          'resources:PCPU': '4'}, {}),
    'refused-no-room': (16, 4096, {'hw:cpu_policy': 'dedicated'}, {}),
    'refused-isolate-on-smt': (2, 2048, {'hw:cpu_policy': 'dedicated',
                                         'hw:cpu_thread_policy': 'isolate'},
                               {}),
}
# Examples run on the compute without hyperthreads.
NO_SMT = ('thread-isolate', 'trait-no-hyperthreading')


def _pages(small, huge, giant=0):
    pages = [objects.NUMAPagesTopology(size_kb=4, total=small),
             objects.NUMAPagesTopology(size_kb=2048, total=huge)]
    if giant:
        pages.append(objects.NUMAPagesTopology(size_kb=1048576,
                                               total=giant))
    return pages


def node(smt=True):
    """The example compute: cells 0 and 1 of 8 CPUs each (2 shared, 6
    dedicated; hyperthread pairs, reported with the HW_CPU_HYPERTHREADING
    trait, unless ``smt`` is False), 16 GiB each with 2 MiB pages (and
    1 GiB pages on cell 0); a NIC's VFs on cell 0, a GPU on cell 1."""
    objects.register_all()
    cells = []
    width = 2 if smt else 1
    for cell in (0, 1):
        base = cell * 8
        cells.append(objects.NUMACell(
            id=cell, cpuset=[base, base + 1],
            pcpuset=list(range(base + 2, base + 8)),
            siblings=[list(range(base + i, base + i + width))
                      for i in range(0, 8, width)],
            memory=16384, socket=cell,
            mempages=_pages(2097152, 2048, 4 if cell == 0 else 0)))
    devices = [objects.PciDevice(
        address='0000:81:00.0', vendor_id='8086', product_id='1572',
        dev_type='type-PF', numa_node=0, status='unavailable')]
    devices += [objects.PciDevice(
        address='0000:81:00.%d' % fn, vendor_id='8086', product_id='154c',
        dev_type='type-VF', parent_addr='0000:81:00.0', numa_node=0,
        physical_network='physnet1') for fn in (1, 2, 3)]
    devices.append(objects.PciDevice(
        address='0000:3b:00.0', vendor_id='10de', product_id='1eb8',
        dev_type='type-PCI', numa_node=1))
    return compute_node.ComputeNode(
        uuid=NODE, host='numa-a', hypervisor_hostname='numa-a',
        report_seq=1,
        resources=compute_node.ComputeResources(
            vcpus=4, memory_mb=32768, local_gb=500,
            cpu_allocation_ratio=4.0, ram_allocation_ratio=1.0,
            disk_allocation_ratio=1.0),
        numa=objects.NUMATopology(cells=cells), pci_devices=devices,
        provider_tree=[objects.ResourceProvider(
            uuid=NODE, traits=['HW_CPU_HYPERTHREADING'] if smt else [],
            inventories=[])])


def store(path, smt=True):
    conf = build_conf()
    conf.set_override('state_path', path)
    conf.set_override('alias', ALIASES, group='pci')
    db = api.Database(conf)
    migration.upgrade(conf, database=db)
    db.save_compute_node(node(smt))
    return conf, db


def spec(vcpus, memory_mb, extra_specs, image_props):
    return objects.RequestSpec(
        project_id='p1', user_id='u1', instance_uuid=INSTANCE,
        num_instances=1,
        flavor=objects.Flavor(name='example', vcpus=vcpus,
                              memory_mb=memory_mb, root_gb=10,
                              ephemeral_gb=0, swap=0,
                              extra_specs=dict(extra_specs)),
        image=objects.ImageMeta(
            properties=objects.ImageMetaProps.from_dict(image_props)))


def claims(db):
    table = sa.table('numa_claims', sa.column('kind'), sa.column('cell'),
                     sa.column('item'), sa.column('amount'))
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(table.c.kind, table.c.cell,
                                      table.c.item, table.c.amount)
                            .order_by(table.c.kind, table.c.cell,
                                      table.c.item)).all()
    out = {}
    for kind, cell, item, amount in rows:
        if kind == 'pages':
            item = '%s KiB x %d' % (item.split(':')[0], amount)
        key = kind if cell is None else '%s (cell %s)' % (kind, cell)
        out.setdefault(key, []).append(item)
    return out


# Selection fields printed on the allocations line or not at all (the
# example store has no cells and one zone).
_SHOWN_APART = ('allocation_request', 'allocation_request_version',
                'availability_zone', 'cell_uuid', 'limits')


def _plain(value):
    if isinstance(value, objects.base.GanttObject):
        return _plain(objects.base.values(value))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def selection_lines(sel):
    """The Selection's fields: one line of scalars and new fields, one of
    the allocations it claimed."""
    fields = []
    for name in sorted(sel.fields):
        if name in _SHOWN_APART or not sel.obj_attr_is_set(name):
            continue
        fields.append('%s=%s' % (name, json.dumps(_plain(getattr(sel,
                                                                 name)))))
    allocs = json.loads(sel.allocation_request)['allocations']
    return ['Selection: ' + ' '.join(fields),
            '  allocation_request: ' + json.dumps(
                {rp: body['resources'] for rp, body in allocs.items()},
                sort_keys=True)]


def run(name):
    vcpus, memory_mb, specs, props = EXAMPLES[name]
    smt = name not in NO_SMT
    with tempfile.TemporaryDirectory() as path:
        conf, db = store(path, smt)
        try:
            manager = host_manager.HostManager(conf, db)
            manager.refresh()
            sched = scheduler.Scheduler(
                conf, db, manager,
                filters=[numa_topology.NUMATopologyFilter(conf),
                         pci_passthrough.PciPassthroughFilter(conf)],
                weighers=[])
            where = '' if smt else ' (on the compute without SMT)'
            print('== %s%s' % (name, where))
            print('flavor: vcpus=%d memory_mb=%d extra_specs=%s'
                  % (vcpus, memory_mb, json.dumps(specs, sort_keys=True)))
            if props:
                print('image properties: %s'
                      % json.dumps(props, sort_keys=True))
            try:
                [[sel]] = sched.select_destinations(
                    context.get_admin_context(),
                    spec(vcpus, memory_mb, specs, props), [INSTANCE],
                    return_alternates=False)
            except (exception.InvalidRequest,
                    exception.NoValidHost) as e:
                print('refused: %s: %s' % (type(e).__name__, e))
                return
            for line in selection_lines(sel):
                print(line)
            print('  numa_claims: %s' % json.dumps(claims(db),
                                                   sort_keys=True))
        finally:
            db.dispose()


def main(argv):
    for name in argv or EXAMPLES:
        run(name)
        print()


if __name__ == '__main__':
    main(sys.argv[1:])
