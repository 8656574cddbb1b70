"""A nova 34 compute reshaping its VGPUs, as the libvirt driver does when
it starts reporting them on a GPU child provider instead of the root.

Run by the nova virtualenv's interpreter (it imports nova, never gantt):
``python nova_vgpu_reshape.py URL ROOT NAME GPU INSTANCE``. nova's own
SchedulerReportClient, pointed at gantt-api, writes the root NAME with
VCPU, MEMORY_MB, DISK_GB and VGPU, claims for INSTANCE (one VGPU among
them), then reshapes: the VGPU inventory goes to the child GPU and the
instance's VGPU allocation with it, in one update_from_provider_tree
with allocations (one POST /reshaper). It prints one JSON line: what
nova reads back.
"""

import json
import sys

# Run as a script: its directory, on the path, holds nova_report_client.
import nova_report_client


def inv(total, ratio=1.0):
    return {'total': total, 'reserved': 0, 'min_unit': 1, 'max_unit': total,
            'step_size': 1, 'allocation_ratio': ratio}


def main(url, root, name, gpu, instance):
    client, ctx = nova_report_client.client_for(url)
    tree = client.get_provider_tree_and_ensure_root(ctx, root, name=name)
    tree.update_inventory(root, {'VCPU': inv(8, ratio=4.0),
                                 'MEMORY_MB': inv(8192), 'DISK_GB': inv(200),
                                 'VGPU': inv(4)})
    client.update_from_provider_tree(ctx, tree)
    claimed = client.claim_resources(
        ctx, instance, {'allocations': {root: {'resources': {
            'VCPU': 2, 'MEMORY_MB': 1024, 'DISK_GB': 10, 'VGPU': 1}}}},
        'project-1', 'user-1', allocation_request_version='1.36')

    # The driver's update_provider_tree raised ReshapeNeeded: the
    # resource tracker reads the tree and its allocations afresh and
    # hands both to the driver, which moves the VGPUs.
    client.clear_provider_cache()
    tree = client.get_provider_tree_and_ensure_root(ctx, root)
    allocs = client.get_allocations_for_provider_tree(ctx, name)
    root_inv = dict(tree.data(root).inventory)
    root_inv.pop('VGPU')
    tree.update_inventory(root, root_inv)
    tree.new_child('%s_pci_0000_84_00_0' % name, root, uuid=gpu)
    tree.update_inventory(gpu, {'VGPU': inv(4)})
    for consumer in allocs.values():
        held = consumer['allocations'].get(root, {}).get('resources', {})
        if 'VGPU' in held:
            consumer['allocations'].setdefault(gpu, {'resources': {}})[
                'resources']['VGPU'] = held.pop('VGPU')
    client.update_from_provider_tree(ctx, tree, allocations=allocs)

    client.clear_provider_cache()
    fresh = client.get_provider_tree_and_ensure_root(ctx, root)
    print(json.dumps({
        'claimed': claimed,
        'tree': sorted(fresh.get_provider_uuids()),
        'root_inventory': sorted(fresh.data(root).inventory),
        'gpu_inventory': fresh.data(gpu).inventory,
        'allocations': {
            rp: a['resources'] for rp, a in client.get_allocs_for_consumer(
                ctx, instance)['allocations'].items()}}))


if __name__ == '__main__':
    main(*sys.argv[1:6])
