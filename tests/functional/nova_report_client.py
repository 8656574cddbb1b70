"""Run nova's own SchedulerReportClient against a placement endpoint.

Run by the nova virtualenv's interpreter (it imports nova, never gantt):
``python nova_report_client.py URL ROOT CHILD INSTANCE MIGRATION AGG``.
It configures nova's [placement] group the way a compute is pointed at
gantt-api (auth_type = none, endpoint_override = URL), then does what
nova-compute does: ensures the root provider, writes a tree with
inventories, traits and aggregates through update_from_provider_tree,
claims for an instance, moves the claim to a migration, deletes it,
and reshapes the tree (an FPGA child replaced, its allocations moved).
It prints one JSON document of what nova read back after each step.
"""

import json
import sys
import uuid
import warnings


def client_for(url):
    """nova's SchedulerReportClient and an admin context, with nova's
    [placement] group set as a compute pointed at ``url`` has it."""
    warnings.simplefilter('ignore')
    from nova import conf as nova_conf
    conf = nova_conf.CONF
    conf([], project='nova', default_config_files=[])
    conf.set_override('auth_type', 'none', group='placement')
    conf.set_override('endpoint_override', url, group='placement')

    from nova import context
    from nova.scheduler.client import report
    return report.SchedulerReportClient(), context.get_admin_context()


def main(url, root, child, instance, migration, agg):
    client, ctx = client_for(url)
    out = {}

    tree = client.get_provider_tree_and_ensure_root(ctx, root, name='node1')
    tree.update_inventory(root, {
        'VCPU': {'total': 8, 'reserved': 0, 'min_unit': 1, 'max_unit': 8,
                 'step_size': 1, 'allocation_ratio': 4.0},
        'MEMORY_MB': {'total': 4096, 'reserved': 512, 'min_unit': 1,
                      'max_unit': 4096, 'step_size': 1,
                      'allocation_ratio': 1.0}})
    tree.update_traits(root, ['HW_CPU_X86_AVX2', 'CUSTOM_GOLD'])
    tree.update_aggregates(root, [agg])
    tree.new_child('node1_fpga', root, uuid=child)
    tree.update_inventory(child, {
        'CUSTOM_FPGA': {'total': 2, 'reserved': 0, 'min_unit': 1,
                        'max_unit': 1, 'step_size': 1,
                        'allocation_ratio': 1.0}})
    client.update_from_provider_tree(ctx, tree)
    # A second pass with a changed inventory goes through the cache and
    # the generations gantt-api handed back.
    tree.update_inventory(root, dict(
        tree.data(root).inventory,
        DISK_GB={'total': 100, 'reserved': 0, 'min_unit': 1,
                 'max_unit': 100, 'step_size': 1,
                 'allocation_ratio': 1.0}))
    client.update_from_provider_tree(ctx, tree)
    fresh = client.get_provider_tree_and_ensure_root(ctx, root)
    out['tree'] = sorted(fresh.get_provider_uuids())
    out['traits'] = sorted(client.get_provider_traits(ctx, root).traits)
    out['aggregates'] = sorted(client._get_provider_aggregates(
        ctx, root).aggregates)
    out['in_tree'] = sorted(
        rp['uuid'] for rp in client.get_providers_in_tree(ctx, root))

    claimed = client.claim_resources(
        ctx, instance, {'allocations': {
            root: {'resources': {'VCPU': 2, 'MEMORY_MB': 1024}},
            child: {'resources': {'CUSTOM_FPGA': 1}}}},
        'project-a', 'user-a', allocation_request_version='1.36')
    out['claimed'] = claimed
    out['instance'] = client.get_allocs_for_consumer(ctx, instance)
    out['usages'] = client.get_usages_counts_for_quota(ctx, 'project-a')

    out['moved'] = client.move_allocations(ctx, instance, migration)
    out['after_move'] = {
        'instance': client.get_allocs_for_consumer(ctx, instance),
        'migration': client.get_allocs_for_consumer(ctx, migration)}
    out['rp_allocations'] = client.get_allocations_for_resource_provider(
        ctx, root).allocations

    # Back onto the instance with put_allocations, then gone.
    allocs = out['after_move']['migration']
    out['put'] = client.put_allocations(ctx, instance, {
        'allocations': allocs['allocations'], 'project_id': 'project-a',
        'user_id': 'user-a', 'consumer_generation': None})
    out['deleted_migration'] = client.delete_allocation_for_instance(
        ctx, migration, consumer_type='migration', force=True)
    out['deleted'] = client.delete_allocation_for_instance(ctx, instance)
    out['final'] = client.get_allocs_for_consumer(ctx, instance)

    # A driver moving the FPGAs to a new child: nova's reshape, one
    # POST /reshaper, then the emptied child is deleted.
    other = str(uuid.uuid4())
    client.claim_resources(
        ctx, other, {'allocations': {
            root: {'resources': {'VCPU': 1}},
            child: {'resources': {'CUSTOM_FPGA': 1}}}},
        'project-a', 'user-a', allocation_request_version='1.36')
    # Claims moved the providers' generations on, as placement's do; the
    # resource tracker starts a reshape from a fresh cache (as it does
    # again after a PlacementReshapeConflict).
    client.clear_provider_cache()
    tree = client.get_provider_tree_and_ensure_root(ctx, root)
    allocs = client.get_allocations_for_provider_tree(ctx, 'node1')
    tree.remove(child)
    child2 = str(uuid.uuid4())
    tree.new_child('node1_fpga2', root, uuid=child2)
    tree.update_inventory(child2, {
        'CUSTOM_FPGA': {'total': 4, 'reserved': 0, 'min_unit': 1,
                        'max_unit': 1, 'step_size': 1,
                        'allocation_ratio': 1.0}})
    held = allocs[other]['allocations']
    held[child2] = held.pop(child)
    client.update_from_provider_tree(ctx, tree, allocations=allocs)
    out['reshaped'] = {'other': other, 'child2': child2,
                       'allocations': client.get_allocs_for_consumer(
                           ctx, other)['allocations'],
                       'tree': sorted(client.get_provider_tree_and_ensure_root(
                           ctx, root).get_provider_uuids())}
    print(json.dumps(out, default=str))


if __name__ == '__main__':
    main(*sys.argv[1:7])
