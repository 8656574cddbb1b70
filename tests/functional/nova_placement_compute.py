"""What a nova 34 compute writes to placement, and nothing else.

Run by the nova virtualenv's interpreter (it imports nova, never gantt):
``python nova_placement_compute.py URL ROOT NAME``. Pointed at gantt-api
as a compute is (auth_type = none, endpoint_override = URL), nova's own
SchedulerReportClient ensures the root provider NAME and sets its VCPU,
MEMORY_MB and DISK_GB inventories and a trait, as nova-compute's resource
tracker does. It prints one JSON line: the provider nova reads back.
"""

import json
import sys

# Run as a script: its directory, on the path, holds nova_report_client.
import nova_report_client


def main(url, root, name):
    client, ctx = nova_report_client.client_for(url)
    tree = client.get_provider_tree_and_ensure_root(ctx, root, name=name)

    def inv(total, ratio=1.0, reserved=0):
        return {'total': total, 'reserved': reserved, 'min_unit': 1,
                'max_unit': total, 'step_size': 1,
                'allocation_ratio': ratio}

    tree.update_inventory(root, {'VCPU': inv(8, ratio=4.0),
                                 'MEMORY_MB': inv(16384, reserved=512),
                                 'DISK_GB': inv(200)})
    tree.update_traits(root, ['HW_CPU_X86_AVX2'])
    client.update_from_provider_tree(ctx, tree)
    fresh = client.get_provider_tree_and_ensure_root(ctx, root)
    print(json.dumps({
        'name': fresh.data(root).name,
        'inventory': sorted(fresh.data(root).inventory),
        'traits': sorted(client.get_provider_traits(ctx, root).traits)}))


if __name__ == '__main__':
    main(*sys.argv[1:4])
