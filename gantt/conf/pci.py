"""Options of the [pci] group: the PCI aliases flavors may request."""

from oslo_config import cfg

from gantt.conf import groups

GROUP = cfg.OptGroup(
    'pci',
    title='PCI passthrough options',
    help='PCI device aliases a flavor names in pci_passthrough:alias.')

opts = [
    cfg.MultiStrOpt(
        'alias',
        default=[],
        help='One PCI alias per entry, as JSON: {"name": "a1", '
             '"vendor_id": "8086", "product_id": "1520", "device_type": '
             '"type-VF", "numa_policy": "preferred"}. "device_type" is '
             'type-PCI, type-PF or type-VF; "numa_policy" is required, '
             'legacy (the default), preferred or socket; other keys '
             '(physical_network, trusted, remote_managed, or any device '
             'spec tag) must match the device. Entries with the same name '
             'match any of their specs. Set the same aliases as the '
             'compute controller\'s API.'),
]


def register_opts(conf):
    groups.register_group(conf, GROUP, opts)


def list_opts():
    return {GROUP: opts}
