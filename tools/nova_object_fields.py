"""Print, as JSON, how nova describes the objects Gantt speaks nova's wire in.

Run with nova's interpreter from the repository root:
    .venv-nova/bin/python tools/nova_object_fields.py NAME... > \
        tests/unit/nova/nova_objects.json
The table records each object's version and every field's type, as
gantt.nova.schema describes them; tests/unit/nova/test_objects.py checks
Gantt's nova objects against it.
    .venv-nova/bin/python tools/nova_object_fields.py --request-spec > \
        tests/unit/nova/nova_request_spec.json
prints instead the primitive of a RequestSpec nova builds with every
child object set, as a conductor sends it, for the translation tests.
"""

import json
import os
import sys
import warnings

warnings.simplefilter('ignore')
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

from gantt.nova import schema  # noqa: E402


def main(names):
    from nova import objects
    from nova.objects import base
    objects.register_all()
    registered = base.NovaObjectRegistry.obj_classes()
    table = {name: schema.describe(registered[name][0]) for name in names}
    json.dump(table, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write('\n')


def request_spec():
    """A nova RequestSpec with every child Gantt reads, as a primitive."""
    from nova import context
    from nova import objects
    objects.register_all()
    ctxt = context.RequestContext('user-1', 'project-1', is_admin=False)
    flavor = objects.Flavor(
        id=3, flavorid='m1.big', name='m1.big', vcpus=4, memory_mb=8192,
        root_gb=40, ephemeral_gb=10, swap=1024, rxtx_factor=1.0,
        vcpu_weight=None, disabled=False, is_public=True,
        extra_specs={'hw:cpu_policy': 'shared', 'trait:HW_CPU_X86_AVX2':
                     'required'}, description=None)
    image = objects.ImageMeta.from_dict({
        'id': 'c0ffee00-0000-4000-8000-000000000001', 'name': 'focal',
        'min_disk': 1, 'min_ram': 512, 'disk_format': 'qcow2',
        'container_format': 'bare', 'size': 1024,
        'properties': {'hw_architecture': 'x86_64', 'os_distro': 'ubuntu',
                       'img_hv_requested_version': '>=6.0',
                       'hw_vif_multiqueue_enabled': True,
                       'hw_disk_bus': 'virtio',
                       'trait:HW_CPU_X86_SSE42': 'required'}})
    numa = objects.InstanceNUMATopology(cells=[objects.InstanceNUMACell(
        id=0, cpuset={0, 1, 2, 3}, pcpuset=set(), memory=8192)])
    pci = objects.InstancePCIRequests(requests=[objects.InstancePCIRequest(
        count=1, spec=[{'vendor_id': '8086', 'product_id': '1520'}],
        alias_name='nic')])
    group = objects.InstanceGroup(
        uuid='5e7e9000-0000-4000-8000-000000000002', name='web',
        policy='anti-affinity', rules={'max_server_per_host': '2'},
        members=['a0000000-0000-4000-8000-000000000003'],
        hosts=['cmp-1'])
    spec = objects.RequestSpec.from_components(
        ctxt, 'b0000000-0000-4000-8000-000000000004', image, flavor, numa,
        pci, {'scheduler_hints': {'group': 'web', 'different_host': [
            'a0000000-0000-4000-8000-000000000003']}}, group, 'az1',
        project_id='project-1', user_id='user-1')
    spec.num_instances = 2
    spec.is_bfv = False
    spec.ignore_hosts = ['cmp-9']
    spec.force_hosts = []
    spec.force_nodes = []
    spec.requested_destination = objects.Destination(
        host='cmp-2', node='cmp-2.node', allow_cross_cell_move=False,
        cell=objects.CellMapping(uuid='ce110000-0000-4000-8000-000000000005',
                                 name='cell1'),
        aggregates=['agg-1,agg-2'], forbidden_aggregates={'agg-3'})
    spec.retry = objects.SchedulerRetries(
        num_attempts=2, hosts=objects.ComputeNodeList(objects=[
            objects.ComputeNode(host='cmp-7',
                                hypervisor_hostname='cmp-7.node')]))
    spec.limits = objects.SchedulerLimits(vcpu=64, memory_mb=None,
                                          disk_gb=None, numa_topology=None)
    spec.requested_resources = [objects.RequestGroup(
        requester_id='port-1', resources={'NET_BW_EGR_KILOBIT_PER_SEC': 1000},
        required_traits={'CUSTOM_PHYSNET_NET1'}, use_same_provider=True)]
    spec.request_level_params = objects.RequestLevelParams(
        root_required={'COMPUTE_NET_ATTACH_INTERFACE'},
        root_forbidden={'COMPUTE_STATUS_DISABLED'}, same_subtree=[])
    spec.network_metadata = objects.NetworkMetadata(physnets={'net1'},
                                                    tunneled=True)
    return spec.obj_to_primitive()


if __name__ == '__main__':
    if sys.argv[1:] == ['--request-spec']:
        json.dump(request_spec(), sys.stdout, indent=1, sort_keys=True,
                  default=sorted)
        sys.stdout.write('\n')
    else:
        main(sys.argv[1:])
