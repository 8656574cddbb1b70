"""Every Gantt option, gathered for oslo-config-generator and build_conf.

Each module named in ``MODULES`` must define ``list_opts()`` returning a
dict of group (an ``OptGroup`` or None for [DEFAULT]) to options; a module
without it stops the import loudly rather than vanishing from the sample.
"""

import importlib

MODULES = (
    'default',
    'database',
    'scheduler',
    'filter_scheduler',
    'metrics',
    'upgrade_levels',
    'notifications',
    'prometheus',
    'nova',
    'pci',
    'limits',
    'api',
    'reservation',
)


def _load(name):
    module = importlib.import_module('gantt.conf.%s' % name)
    for attr in ('list_opts', 'register_opts'):
        if not callable(getattr(module, attr, None)):
            raise AttributeError(
                'gantt.conf.%s has no %s(); every configuration module '
                'must define list_opts() and register_opts(conf)'
                % (name, attr))
    return module


def modules():
    """The configuration modules, each checked for its two functions."""
    return [_load(name) for name in MODULES]


def list_opts():
    """(group, options) pairs for the ``oslo.config.opts`` entry point."""
    result = []
    for module in modules():
        for group, group_opts in module.list_opts().items():
            result.append((group, list(group_opts)))
    return result
