"""Build a placement database and a nova API database the way a running
cloud has them, with placement's and nova's own code.

Run by the nova virtualenv's interpreter (it imports placement and nova,
never gantt)::

    python nova_import_sources.py PLACEMENT_URL NOVA_API_URL ROOT1 CHILD
        ROOT2 INSTANCE1 INSTANCE2 AGG GROUP PROJECT USER

Placement's schema comes from its migrations and its rows from its own
REST API run in-process (placement.direct); nova's API schema comes from
nova's migrations and its rows from nova's objects (Aggregate,
InstanceGroup, RequestSpec). It prints one JSON line: what it wrote.
"""

import json
import sys
import warnings


def fill_placement(url, root1, child, root2, instance1, instance2, agg,
                   project, user):
    from oslo_config import cfg
    from placement import conf as placement_conf
    from placement import db_api
    from placement import direct

    conf = cfg.ConfigOpts()
    placement_conf.register_opts(conf)
    conf.set_default('connection', url, group='placement_database')
    conf([], project='placement', default_config_files=[])
    conf.set_override('sync_on_startup', True, group='placement_database')
    db_api.configure(conf)

    def ok(resp):
        if resp.status_code >= 400:
            raise SystemExit('placement said %s: %s' % (resp.status_code,
                                                        resp.text))
        return resp

    def inventory(total, ratio=1.0, reserved=0, max_unit=None):
        return {'total': total, 'reserved': reserved, 'min_unit': 1,
                'max_unit': max_unit or total, 'step_size': 1,
                'allocation_ratio': ratio}

    with direct.PlacementDirect(conf, latest_microversion=True) as client:
        ok(client.put('/traits/CUSTOM_GOLD'))
        ok(client.put('/resource_classes/CUSTOM_FPGA'))
        ok(client.post('/resource_providers',
                       json={'uuid': root1, 'name': 'cn1'}))
        ok(client.post('/resource_providers',
                       json={'uuid': child, 'name': 'cn1_fpga',
                             'parent_provider_uuid': root1}))
        ok(client.post('/resource_providers',
                       json={'uuid': root2, 'name': 'cn2'}))
        ok(client.put('/resource_providers/%s/inventories' % root1, json={
            'resource_provider_generation': 0,
            'inventories': {
                'VCPU': inventory(16, ratio=4.0),
                'MEMORY_MB': inventory(32768, ratio=1.5, reserved=512),
                'DISK_GB': inventory(500)}}))
        ok(client.put('/resource_providers/%s/inventories' % child, json={
            'resource_provider_generation': 0,
            'inventories': {'CUSTOM_FPGA': inventory(2, max_unit=1)}}))
        ok(client.put('/resource_providers/%s/inventories' % root2, json={
            'resource_provider_generation': 0,
            'inventories': {'VCPU': inventory(8),
                            'MEMORY_MB': inventory(16384)}}))
        ok(client.put('/resource_providers/%s/traits' % root1, json={
            'resource_provider_generation': 1,
            'traits': ['HW_CPU_X86_AVX2', 'CUSTOM_GOLD']}))
        ok(client.put('/resource_providers/%s/aggregates' % root1, json={
            'resource_provider_generation': 2, 'aggregates': [agg]}))
        ok(client.post('/allocations', json={
            instance1: {
                'allocations': {
                    root1: {'resources': {'VCPU': 2, 'MEMORY_MB': 2048}},
                    child: {'resources': {'CUSTOM_FPGA': 1}}},
                'project_id': project, 'user_id': user,
                'consumer_generation': None, 'consumer_type': 'INSTANCE'},
            instance2: {
                'allocations': {
                    root2: {'resources': {'VCPU': 1, 'MEMORY_MB': 512}}},
                'project_id': project, 'user_id': user,
                'consumer_generation': None, 'consumer_type': 'INSTANCE'}}))


def fill_nova_api(url, instance1, instance2, agg, group, project, user):
    from nova import conf as nova_conf
    conf = nova_conf.CONF
    conf([], project='nova', default_config_files=[])
    conf.set_override('connection', url, group='api_database')

    from nova import context
    from nova.db.api import api as api_db
    from nova.db import migration
    from nova import objects
    from nova import rpc
    objects.register_all()
    # Aggregate.create notifies: with no notification driver configured
    # the notifier drops it, and the transport never connects.
    rpc.init(conf)
    api_db.configure(conf)
    migration.db_sync(database='api')
    ctx = context.get_admin_context()

    aggregate = objects.Aggregate(ctx, name='rack1', uuid=agg,
                                  metadata={'availability_zone': 'az1'})
    aggregate.create()
    aggregate.add_host('cn1')

    server_group = objects.InstanceGroup(
        ctx, uuid=group, name='web', policy='anti-affinity',
        rules={'max_server_per_host': 1}, project_id=project,
        user_id=user, members=[instance1, instance2])
    server_group.create()

    flavor = objects.Flavor(
        id=1, name='m1.small', memory_mb=2048, vcpus=2, root_gb=0,
        ephemeral_gb=0, flavorid='m1.small', swap=0, rxtx_factor=1.0,
        vcpu_weight=None, disabled=False, is_public=True,
        extra_specs={'resources:CUSTOM_FPGA': '1'}, description=None)
    spec = objects.RequestSpec(
        ctx, instance_uuid=instance1, project_id=project, user_id=user,
        flavor=flavor, image=objects.ImageMeta.from_dict({}),
        num_instances=1, availability_zone='az1', scheduler_hints={},
        instance_group=objects.InstanceGroup.get_by_uuid(ctx, group),
        is_bfv=False)
    spec.create()


def main(placement_url, nova_api_url, root1, child, root2, instance1,
         instance2, agg, group, project, user):
    warnings.simplefilter('ignore')
    fill_placement(placement_url, root1, child, root2, instance1, instance2,
                   agg, project, user)
    fill_nova_api(nova_api_url, instance1, instance2, agg, group, project,
                  user)
    print(json.dumps({'providers': [root1, child, root2],
                      'consumers': [instance1, instance2],
                      'aggregate': agg, 'group': group}))
    return 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
