"""nova 34's own scheduler client, run under nova's interpreter.

Usage: <nova python> tests/functional/nova_conductor.py TRANSPORT_URL
It prints {"ready": true}, then reads orders from stdin, one JSON line
each ({"topic", "version_cap", "steps"}), does each step with
nova.scheduler.rpcapi.SchedulerAPI and nova's own objects, exactly as
nova's conductor, API and computes do, and prints one JSON line of
outcomes per order. This file never imports Gantt.
"""

import json
import os
import sys
import tempfile
import uuid
import warnings

warnings.simplefilter('ignore')
os.environ.setdefault('OS_NOVA_DISABLE_EVENTLET_PATCHING', '1')

from oslo_serialization import jsonutils  # noqa: E402

import nova.conf  # noqa: E402
from nova import config  # noqa: E402
import nova.exception  # noqa: E402
from nova import context as nova_context  # noqa: E402
from nova.network import model as network_model  # noqa: E402
from nova import objects  # noqa: E402
from nova.pci import request as pci_request  # noqa: E402
from nova import rpc  # noqa: E402
from nova.scheduler import rpcapi  # noqa: E402
from nova.virt import hardware  # noqa: E402

CONF = nova.conf.CONF


def _flavor(step):
    return objects.Flavor(
        id=1, flavorid='f1', name='m1.gantt', vcpus=step['vcpus'],
        memory_mb=step['memory_mb'], root_gb=step['root_gb'],
        ephemeral_gb=0, swap=0, rxtx_factor=1.0, vcpu_weight=None,
        disabled=False, is_public=True,
        extra_specs=dict(step.get('extra_specs') or {}), description=None)


def _port_request(port):
    """The InstancePCIRequest nova's neutron API makes for a port of
    ``vnic_type`` on network ``physnet`` (its
    create_resource_requests, without a neutron to ask)."""
    vnic_type = port.get('vnic_type', network_model.VNIC_TYPE_DIRECT)
    spec = {pci_request.PCI_NET_TAG: port['physnet'],
            pci_request.PCI_REMOTE_MANAGED_TAG: str(
                vnic_type == network_model.VNIC_TYPE_REMOTE_MANAGED)}
    dev_type = pci_request.DEVICE_TYPE_FOR_VNIC_TYPE.get(vnic_type)
    if dev_type:
        spec[pci_request.PCI_DEVICE_TYPE_TAG] = dev_type
    request = objects.InstancePCIRequest(
        count=1, spec=[spec], request_id=str(uuid.uuid4()),
        requester_id=port['id'])
    if port.get('numa_policy'):
        request.numa_policy = port['numa_policy']
    return request


def _spec(ctxt, step):
    """A RequestSpec as nova's API builds one, with what it can carry."""
    image = objects.ImageMeta.from_dict({
        'id': '1f2e3d4c-0000-4000-8000-000000000001', 'name': 'cirros',
        'min_disk': 0, 'min_ram': 0, 'disk_format': 'qcow2',
        'container_format': 'bare',
        'properties': dict({'os_distro': 'cirros', 'hw_disk_bus': 'virtio',
                            'hw_vif_multiqueue_enabled': True},
                           **step.get('image_properties', {}))})
    numa = pci = None
    flavor = _flavor(step)
    ports = step.get('ports') or ()
    if step.get('extra_specs') or step.get('image_properties') or ports:
        # As nova's API does: the guest topology from the flavor and
        # image, the PCI requests of the flavor's aliases and the ports.
        numa = hardware.numa_get_constraints(flavor, image)
        pci = objects.InstancePCIRequests(
            requests=[_port_request(p) for p in ports])
    elif step.get('extras'):
        numa = objects.InstanceNUMATopology(cells=[
            objects.InstanceNUMACell(id=0, cpuset={0, 1}, pcpuset=set(),
                                     memory=step['memory_mb'])])
        pci = objects.InstancePCIRequests(requests=[])
    spec = objects.RequestSpec.from_components(
        ctxt, step['instance_uuids'][0], image, flavor, numa, pci,
        {'scheduler_hints': step.get('hints', {})}, None,
        step.get('availability_zone'), project_id=ctxt.project_id,
        user_id=ctxt.user_id)
    spec.num_instances = len(step['instance_uuids'])
    if step.get('destination'):
        spec.requested_destination = objects.Destination(
            host=step['destination'], node=step['destination'] + '.node')
    if step.get('rebuild'):
        # What nova's conductor sets for a rebuild on the same host.
        spec.scheduler_hints['_nova_check_type'] = ['rebuild']
    spec.network_metadata = objects.NetworkMetadata(
        physnets={p['physnet'] for p in ports}, tunneled=False)
    spec.requested_resources = []
    spec.request_level_params = objects.RequestLevelParams()
    spec.is_bfv = False
    return spec


def _selection(sel):
    """What the conductor reads of a Selection it got back."""
    if isinstance(sel, dict):
        return {'class': 'dict', 'host': sel['host'],
                'nodename': sel['nodename'], 'limits': sel['limits']}
    got = {'class': type(sel).__module__ + '.' + type(sel).__name__,
           'version': sel.VERSION}
    for name in sel.fields:
        if sel.obj_attr_is_set(name):
            value = getattr(sel, name)
            if name == 'limits' and value is not None:
                # As nova's compute reads them (every field must be set).
                value = value.to_dict()
                numa = value.get('numa_topology')
                if numa is not None:
                    value['numa_topology'] = _numa_limits(numa)
            got[name] = value
    if got.get('allocation_request'):
        got['allocation_request'] = jsonutils.loads(
            got['allocation_request'])
    return got


def _numa_limits(limits):
    """What nova's compute claim reads of NUMATopologyLimits."""
    got = {'class': type(limits).__name__,
           'cpu_allocation_ratio': limits.cpu_allocation_ratio,
           'ram_allocation_ratio': limits.ram_allocation_ratio}
    if 'network_metadata' in limits:
        got['physnets'] = sorted(limits.network_metadata.physnets)
    return got


def _compute_claim_fits(cells, spec, sel):
    """Whether nova's compute, whose host has NUMA ``cells``, fits the
    guest topology with the Selection's limits, as its claim does."""
    host = objects.NUMATopology(cells=[objects.NUMACell(
        id=c['id'], cpuset=set(c['cpuset']), pcpuset=set(c['pcpuset']),
        memory=c['memory'], cpu_usage=0, memory_usage=0,
        pinned_cpus=set(), siblings=[{p} for p in c['pcpuset']],
        mempages=[objects.NUMAPagesTopology(
            size_kb=4, total=c['memory'] * 256, used=0)],
        network_metadata=objects.NetworkMetadata(
            physnets=set(c.get('physnets', ())), tunneled=False))
        for c in cells])
    limits = sel.limits.numa_topology if sel.limits is not None else None
    return hardware.numa_fit_instance_to_host(
        host, spec.numa_topology.obj_clone(), limits=limits,
        provider_mapping=None) is not None


def select(client, ctxt, step):
    spec = _spec(ctxt, step)
    try:
        answer = client.select_destinations(
            ctxt, spec, step['instance_uuids'],
            return_objects=step.get('return_objects', True),
            return_alternates=step.get('return_alternates', False))
    except Exception as exc:
        return {'error': {'module': type(exc).__module__,
                          'class': type(exc).__name__,
                          'is_nova_no_valid_host': isinstance(
                              exc, nova.exception.NoValidHost),
                          'message': str(exc).splitlines()[0]}}
    if step.get('return_objects', True):
        got = {'selections': [[_selection(s) for s in per_instance]
                              for per_instance in answer]}
        if step.get('host_numa'):
            got['compute_claim_fits'] = [
                _compute_claim_fits(step['host_numa'], spec, s)
                for per_instance in answer for s in per_instance]
        return got
    return {'selections': [[_selection(s)] for s in answer]}


def _aggregate(step):
    return objects.Aggregate(id=step['id'], uuid=step['uuid'],
                             name=step['name'], hosts=step['hosts'],
                             metadata=step.get('metadata', {}))


def run(client, ctxt, step):
    op = step['op']
    if op == 'select':
        return select(client, ctxt, step)
    if op == 'update_aggregates':
        client.update_aggregates(ctxt, [_aggregate(step)])
    elif op == 'delete_aggregate':
        client.delete_aggregate(ctxt, _aggregate(step))
    elif op == 'update_instance_info':
        instances = objects.InstanceList(objects=[
            objects.Instance(uuid=u, host=step['host'], node=step['node'])
            for u in step['instance_uuids']])
        client.update_instance_info(ctxt, step['host'], instances)
    elif op == 'delete_instance_info':
        client.delete_instance_info(ctxt, step['host'],
                                    step['instance_uuid'])
    elif op == 'sync_instance_info':
        client.sync_instance_info(ctxt, step['host'],
                                  step['instance_uuids'])
    else:
        raise ValueError('unknown step %r' % op)
    return {'cast': op}


def client_for(order):
    """nova's SchedulerAPI as a conductor pinned to order's version_cap
    builds it, aimed at the test's topic."""
    CONF.set_override('scheduler', order.get('version_cap'),
                      group='upgrade_levels')
    # Every functional test has a topic of its own (see fixtures.py).
    rpcapi.RPC_TOPIC = order['topic']
    return rpcapi.SchedulerAPI()


def main(transport_url):
    # nova's configuration file, read as nova's services read theirs.
    with tempfile.NamedTemporaryFile('w', suffix='.conf') as f:
        f.write('[DEFAULT]\ntransport_url = %s\nlong_rpc_timeout = 30\n'
                'rpc_response_timeout = 30\n' % transport_url)
        f.flush()
        config.parse_args(['nova-conductor', '--config-file', f.name],
                          configure_db=False)
    objects.register_all()
    ctxt = nova_context.RequestContext(user_id='user-1',
                                       project_id='project-1',
                                       is_admin=True)
    print(json.dumps({'ready': True}), flush=True)
    # One order a line: {"topic", "version_cap", "steps"}; one line back.
    for line in sys.stdin:
        order = json.loads(line)
        client = client_for(order)
        try:
            outcomes = [run(client, ctxt, step) for step in order['steps']]
        except Exception as exc:
            outcomes = {'failed': '%s: %s' % (type(exc).__name__, exc)}
        print(json.dumps(outcomes), flush=True)
    rpc.cleanup()


if __name__ == '__main__':
    main(sys.argv[1])
