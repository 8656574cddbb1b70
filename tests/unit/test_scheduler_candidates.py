"""The scheduler with the store: candidates over trees and sharing."""

import json
import uuid as uuid_lib

import testtools

from gantt import context
from gantt import exception
from gantt import host_manager
from gantt import scheduler
from tests.unit.db import base as db_base
from tests.unit.db import test_provider as trees_db
from tests.unit import trees

FILTERS = ['ComputeFilter', 'RamFilter', 'CoreFilter']
AGG = '5b0c7a6e-1f0e-4a55-9d8e-0c6a1f3b2d11'


class TestSchedulerCandidates(db_base.StoreTestCase):

    def setUp(self):
        super().setUp()
        self.conf.set_override('enabled_filters', FILTERS,
                               group='filter_scheduler')
        self.manager = host_manager.HostManager(self.conf, self.db)
        self.sched = scheduler.Scheduler(self.conf, self.db, self.manager)
        self.ctxt = context.get_admin_context()

    def select(self, **spec_kw):
        spec = trees.spec(**spec_kw)
        spec.project_id, spec.user_id = db_base.PROJECT, db_base.USER
        uuid = str(uuid_lib.uuid4())
        return uuid, self.sched.select_destinations(self.ctxt, spec, [uuid])

    def test_gpu_group_claims_the_child(self):
        plain = self.add_node(host='plain', vcpus=64, memory_mb=65536)
        node = trees_db.tree_node(host='gpu', vgpus=2)
        self.db.save_compute_node(node)
        gpu = node.provider_tree[2].uuid
        uuid, [[primary]] = self.select(
            extra_specs={'resources1:VGPU': '1'})
        self.assertEqual('gpu', primary.service_host)
        alloc = json.loads(primary.allocation_request)
        self.assertEqual({'VGPU': 1}, alloc['allocations'][gpu]['resources'])
        self.assertEqual([gpu], alloc['mappings']['1'])
        held = self.db.get_allocations(uuid)['allocations']
        self.assertEqual({'VGPU': 1}, held[gpu]['resources'])
        self.assertNotEqual(plain.uuid, primary.compute_node_uuid)
        self.select(extra_specs={'resources1:VGPU': '1'})
        e = self.assertRaises(exception.NoValidHost, self.select,
                              extra_specs={'resources1:VGPU': '1'})
        self.assertIn('AllocationCandidates removed 2 of 2 hosts '
                      '(no allocation candidate)', str(e))

    def test_shared_disk_through_an_aggregate_until_exhausted(self):
        objects_node = db_base.make_node(host='h1', local_gb=0)
        self.db.save_compute_node(objects_node)
        self.db.save_aggregate(_aggregate(AGG, ['h1']))
        nfs = str(uuid_lib.uuid4())
        self.db.create_provider(nfs, 'nfs')
        self.db.set_provider_inventory(nfs,
                                       {'DISK_GB': {'total': 100}})
        self.db.set_provider_traits(nfs,
                                    ['MISC_SHARES_VIA_AGGREGATE'])
        self.db.set_provider_aggregates(nfs, [AGG])
        uuid, [[primary]] = self.select(disk=60)
        alloc = json.loads(primary.allocation_request)
        self.assertEqual({'DISK_GB': 60},
                         alloc['allocations'][nfs]['resources'])
        self.assertEqual(60, self.used(nfs, 'DISK_GB'))
        self.assertRaises(exception.NoValidHost, self.select, disk=60)

    def test_root_only_requests_keep_the_plain_path(self):
        node = self.add_node(host='h1')
        uuid, [[primary]] = self.select()
        self.assertEqual({'allocations': {node.uuid: {'resources': {
            'DISK_GB': 1, 'MEMORY_MB': 512, 'VCPU': 1}}},
            'mappings': {'': [node.uuid]}},
            json.loads(primary.allocation_request))


class TestBareMetalThroughTheStore(db_base.StoreTestCase):

    CLASSES = ('CUSTOM_BAREMETAL_GOLD', 'CUSTOM_BAREMETAL_SILVER',
               'CUSTOM_BAREMETAL_BRONZE')

    def test_each_gold_node_is_taken_whole_once(self):
        from gantt import objects
        self.conf.set_override('enabled_filters', FILTERS,
                               group='filter_scheduler')
        for i in range(30):
            node = db_base.make_node(host='bm%02d' % i, vcpus=0,
                                     memory_mb=0, local_gb=0)
            node.provider_tree = [objects.ResourceProvider(
                uuid=node.uuid, inventories=[objects.Inventory(
                    resource_class=self.CLASSES[i % 3], total=1)])]
            self.db.save_compute_node(node)
        sched = scheduler.Scheduler(
            self.conf, self.db, host_manager.HostManager(self.conf, self.db))
        flavor = {'resources:CUSTOM_BAREMETAL_GOLD': '1',
                  'resources:VCPU': '0', 'resources:MEMORY_MB': '0',
                  'resources:DISK_GB': '0'}
        spec = trees.spec(extra_specs=flavor)
        uuids = [str(uuid_lib.uuid4()) for _ in range(10)]
        ctxt = context.get_admin_context()
        result = sched.select_destinations(ctxt, spec, uuids)
        hosts = sorted(r[0].service_host for r in result)
        self.assertEqual(['bm%02d' % i for i in range(0, 30, 3)], hosts)
        for primary in (r[0] for r in result):
            self.assertEqual({primary.compute_node_uuid: {'resources': {
                'CUSTOM_BAREMETAL_GOLD': 1}}}, json.loads(
                    primary.allocation_request)['allocations'])
        self.assertRaises(exception.NoValidHost, sched.select_destinations,
                          ctxt, spec, [str(uuid_lib.uuid4())])
        self.assertEqual([], self.db.overcommitted_providers())


def _aggregate(name, hosts):
    from gantt import objects
    objects.register_all()
    return objects.Aggregate(id=1, uuid=name, name=name, hosts=hosts,
                             metadata={})


class TestHostManagerTrees(db_base.StoreTestCase):

    def test_trees_and_sharing_providers_are_learnt(self):
        node = trees_db.tree_node(root_traits=['HW_CPU_X86_AVX2'])
        self.db.save_compute_node(node)
        manager = host_manager.HostManager(self.conf, self.db)
        manager.refresh()
        prov = manager.state
        self.assertEqual(3, len(prov.tree_slots(node.uuid)))
        row = manager.state.index[node.uuid]
        self.assertEqual(row, prov.tree_slots(node.uuid)[0])
        self.assertEqual({'HW_CPU_X86_AVX2'}, prov.traits[row])
        self.assertEqual(2, manager.state.res['CUSTOM_LICENSE'].total[row])
        gpu = prov.index[node.provider_tree[2].uuid]
        self.assertEqual(4, prov.res['VGPU'].total[gpu])
        self.db.claim(str(uuid_lib.uuid4()), db_base.alloc_req(
            node.provider_tree[2].uuid, VGPU=3), 'p', 'u')
        manager.refresh()
        gpu = prov.index[node.provider_tree[2].uuid]
        self.assertEqual(3, prov.res['VGPU'].used[gpu])
        nfs = str(uuid_lib.uuid4())
        self.db.create_provider(nfs, 'nfs')
        self.db.set_provider_traits(nfs,
                                    ['MISC_SHARES_VIA_AGGREGATE'])
        manager.refresh()
        self.assertIn(prov.index[nfs], prov.sharing)
        self.db.delete_provider(nfs)
        manager.refresh()
        self.assertNotIn(nfs, prov.index)

    def test_tree_comes_back_with_a_node_deleted_and_reported_again(self):
        node = trees_db.tree_node()
        self.db.save_compute_node(node)
        manager = host_manager.HostManager(self.conf, self.db)
        manager.refresh()
        self.db.delete_compute_node(node.uuid)
        manager.refresh()
        self.assertEqual((), manager.state.tree_slots(node.uuid))
        node.report_seq = 2
        self.db.save_compute_node(node)
        manager.refresh()
        self.assertEqual(3, len(manager.state.tree_slots(node.uuid)))


class TestManageProvider(testtools.TestCase):

    def test_parse_inventory(self):
        from gantt.cmd import manage_provider
        self.assertEqual(
            ('DISK_GB', {'total': 1000, 'reserved': 10,
                         'allocation_ratio': 1.5}),
            manage_provider.parse_inventory(
                'DISK_GB=1000,reserved=10,allocation_ratio=1.5'))
        self.assertRaises(ValueError, manage_provider.parse_inventory,
                          'DISK_GB')
        self.assertRaises(ValueError, manage_provider.parse_inventory,
                          'DISK_GB=1,colour=3')


class TestManageProviderCommands(testtools.TestCase):

    def setUp(self):
        super().setUp()
        import os

        import fixtures
        self.path = self.useFixture(fixtures.TempDir()).path
        self.config_file = os.path.join(self.path, 'gantt.conf')
        with open(self.config_file, 'w') as f:
            f.write('[DEFAULT]\nstate_path = %s\n' % self.path)
        self.assertEqual(0, self.manage('db', 'sync')[0])

    def manage(self, *args):
        import io

        import fixtures

        from gantt.cmd import manage
        out = io.StringIO()
        with fixtures.MonkeyPatch('sys.stdout', out):
            code = manage.main(['--config-file', self.config_file] +
                               list(args))
        return code, out.getvalue()

    def test_sharing_provider_lifecycle(self):
        uuid = str(uuid_lib.uuid4())
        code, out = self.manage('provider', 'create', 'nfs', '--uuid', uuid)
        self.assertEqual(0, code, out)
        self.assertEqual(0, self.manage('provider', 'set-inventory', uuid,
                                        'DISK_GB=1000,reserved=10')[0])
        self.assertEqual(0, self.manage('provider', 'set-traits', uuid,
                                        'MISC_SHARES_VIA_AGGREGATE')[0])
        code, out = self.manage('provider', 'set-aggregates', uuid, 'agg1')
        self.assertEqual(0, code)
        shown = json.loads(self.manage('provider', 'show', uuid)[1])
        self.assertEqual('nfs', shown['name'])
        self.assertEqual(990, shown['inventories']['DISK_GB']['capacity'])
        self.assertEqual(['agg1'], shown['aggregates'])
        listed = json.loads(self.manage('provider', 'list')[1])
        self.assertEqual([uuid], [p['uuid'] for p in listed])
        code, out = self.manage('provider', 'set-traits', uuid, 'BOGUS')
        self.assertEqual(1, code)
        self.assertIn('BOGUS', out)
        self.assertEqual(0, self.manage('provider', 'delete', uuid)[0])
        self.assertEqual(2, self.manage('provider', 'show', uuid)[0])
