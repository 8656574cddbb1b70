"""Helpers of the tests of the attribute, image and aggregate filters.

Request builders for flavors and images, a varied HostState, and a check
that a filter's two paths agree on every row of a state.
"""

import json

import numpy as np

from gantt import objects
from tests.unit.filters import base as filter_base
from tests.unit import hosts as test_hosts

objects.register_all()

CPU_INFO = json.dumps({'arch': 'x86_64', 'vendor': 'Intel',
                       'features': ['aes', 'mmx', 'sse4_2'],
                       'topology': {'cores': 4, 'threads': 2},
                       'maxphysaddr': {'mode': 'emulate', 'bits': 46}})


def flavor(name='m1.small', extra_specs=None, **fields):
    out = filter_base.make_flavor(extra_specs=extra_specs, **fields)
    out.name = name
    return out


def image(**props):
    """An ImageMeta whose properties are `props` (unknown ones go extra)."""
    return objects.ImageMeta.from_dict({'properties': props})


def varied_hosts():
    """Hosts that differ in every attribute the filters read."""
    return [
        dict(name='kvm1', ram=8192, ram_used=1024, vcpus=16, vcpus_used=4,
             disk=500, disk_used=100, hypervisor_type='kvm',
             hypervisor_version=6001002, cpu_info=CPU_INFO,
             supported_instances=[('x86_64', 'kvm', 'hvm'),
                                  ('i686', 'kvm', 'hvm')],
             extra_stats={'gpu': 'tesla', 'numa': '2'}, num_instances=3,
             num_io_ops=2, host_ip='10.0.0.1',
             metrics={'cpu.freq': 2.4, 'load': 0.5}),
        dict(name='kvm2', ram=2048, vcpus=4, disk=40,
             hypervisor_type='kvm', hypervisor_version=4002000,
             cpu_info='{"arch": "x86_64"}',
             supported_instances=[('x86_64', 'kvm', 'hvm')],
             extra_stats={'numa': '1'}, num_instances=10, host_ip='10.0.0.2'),
        dict(name='qemu', ram=1024, ram_reserved=512, vcpus=2, disk=10,
             hypervisor_type='qemu', hypervisor_version=2000,
             cpu_info='not json',
             supported_instances=[('aarch64', 'qemu', 'hvm')],
             metrics={'load': 3.0}),
        dict(name='bare', ram=0, vcpus=0, disk=0, hypervisor_type=None,
             extra_stats={'hypervisor_type': 'ironic'}),
        dict(name='xen', ram=4096, vcpus=8, disk=100, hypervisor_type='xen',
             supported_instances=[('x86_64', 'xen', 'xen')],
             disabled=True),
    ]


def varied_aggregates():
    return [
        dict(name='ssd', hosts=['kvm1', 'kvm2'],
             metadata={'ssd': 'true', 'filter_tenant_id': 'p1, p2',
                       'instance_type_name': 'm1.small,m1.large',
                       'os_distro': 'ubuntu'}),
        dict(name='gpu', hosts=['kvm1', 'qemu'],
             metadata={'gpus': '4', 'os_distro': 'fedora',
                       'filter_tenant_id_2': 'p3', 'isolation.tier': 'gold'}),
        dict(name='slow', hosts=['xen'],
             metadata={'ssd': 'false', 'net:speed': '10',
                       'hw_numa_nodes': '2'}),
    ]


def varied_state():
    return test_hosts.make_state(varied_hosts(), varied_aggregates())


def assert_paths_agree(test, filter_obj, state, request):
    """filter_mask() and host_passes() give the same answer on every row."""
    mask = filter_obj.filter_mask(state, request)
    test.assertIsInstance(mask, np.ndarray)
    test.assertEqual((state.n,), mask.shape)
    expected = [filter_obj.host_passes(state.view(row), request)
                for row in range(state.n)]
    test.assertEqual(expected, mask.tolist())
    return mask
