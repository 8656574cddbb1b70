"""The NUMA and PCI part of gantt-sim's default scenario: the flavors that
ask for pinned CPUs, huge pages and devices, and the scheduler
configuration an operator writes for them (PCI aliases, the NUMA and PCI
filters and weigher), as configuration file text.
"""

from gantt.conf import filter_scheduler
from gantt.sim import numa_hosts

# Flavor kinds, in the order reports list them.
PLAIN = 'plain'
PINNED = 'pinned'
HUGEPAGES = 'hugepages'
PCI = 'pci'
KINDS = (PLAIN, PINNED, HUGEPAGES, PCI)

# [pci] alias entries, one JSON object each, matching numa_hosts' devices.
ALIASES = (
    '{"name": "gpu", "vendor_id": "%s", "product_id": "%s", '
    '"device_type": "type-PCI", "numa_policy": "preferred"}'
    % numa_hosts.GPU,
    '{"name": "vf-physnet1", "vendor_id": "%s", "product_id": "%s", '
    '"device_type": "type-VF", "physical_network": "%s", '
    '"numa_policy": "required"}'
    % (numa_hosts.SRIOV_VF + (numa_hosts.PHYSNETS[0],)),
)

FILTERS = tuple(filter_scheduler.DEFAULT_FILTERS) + (
    'NUMATopologyFilter', 'PciPassthroughFilter')
WEIGHERS = tuple(filter_scheduler.DEFAULT_WEIGHERS) + ('PCIWeigher',)

# (weight, name, vcpus, memory MB, root GB, kind, extra specs). The
# weights add to those of conductor.FLAVORS (100): about one request in
# ten. PCI flavors also ask a NUMA topology: the devices are claimed with
# the fitted placement, which a guest without a topology has none of.
FLAVORS = (
    (5, 'sim.pinned', 4, 8192, 40, PINNED,
     {'hw:cpu_policy': 'dedicated'}),
    (1, 'sim.pinned.siblings', 8, 16384, 80, PINNED,
     {'hw:cpu_policy': 'dedicated', 'hw:cpu_thread_policy': 'require'}),
    (3, 'sim.hugepages', 2, 4096, 40, HUGEPAGES,
     {'hw:mem_page_size': 'large'}),
    (2, 'sim.nfv.sriov', 4, 8192, 40, PCI,
     {'hw:cpu_policy': 'dedicated', 'hw:mem_page_size': 'large',
      'pci_passthrough:alias': 'vf-physnet1:1'}),
    (1, 'sim.gpu', 8, 32768, 160, PCI,
     {'hw:numa_nodes': '1', 'pci_passthrough:alias': 'gpu:1'}),
)


def conf_text():
    """The [filter_scheduler] and [pci] sections of a scheduler that runs
    this scenario, as an operator puts them in gantt.conf."""
    lines = ['[filter_scheduler]',
             'enabled_filters = %s' % ','.join(FILTERS),
             'enabled_weighers = %s' % ','.join(WEIGHERS),
             '', '[pci]']
    lines.extend('alias = %s' % alias for alias in ALIASES)
    return '\n'.join(lines) + '\n'
