"""Gantt's versioned objects, one family per module.

Call :func:`register_all` once before (de)serialising; afterwards the newest
version of every object is reachable as ``gantt.objects.<Name>``.
"""

import importlib

_MODULES = (
    'flavor',
    'image_meta',
    'destination',
    'scheduler_retries',
    'scheduler_limits',
    'request_group',
    'pci_request',
    'instance_group',
    'aggregate',
    'request_spec',
    'instance_numa',
    'selection',
    'resource_provider',
    'numa',
    'pci_device',
    'compute_node',
    'instance_info',
    'notification',
)


def register_all():
    """Import every object module so each class registers itself."""
    for name in _MODULES:
        importlib.import_module('gantt.objects.' + name)
