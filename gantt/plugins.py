"""Loads the enabled filters and weighers by entry-point name, in conf order.

Names come from [filter_scheduler] enabled_filters and enabled_weighers and
are looked up with stevedore in the ``gantt.filters`` / ``gantt.weighers``
namespaces. An unknown or broken name raises PluginNotFound, so a service
with a typo in its configuration stops at start instead of running without
the filter.
"""

from importlib import metadata

from stevedore import named

from gantt import exception

FILTERS_NAMESPACE = 'gantt.filters'
WEIGHERS_NAMESPACE = 'gantt.weighers'


def available(namespace):
    """Sorted entry-point names declared in `namespace`."""
    return sorted({ep.name for ep in metadata.entry_points(group=namespace)})


def _load(conf, namespace, names, kind, option):
    names = list(names or ())
    known = available(namespace)

    def not_found(name, detail=None):
        listed = ', '.join(known) or '(none installed)'
        if detail:
            listed = '%s; loading failed: %s' % (listed, detail)
        return exception.PluginNotFound(kind=kind, name=name, option=option,
                                        available=listed)

    for name in names:
        if name not in known:
            raise not_found(name)

    def on_load_failure(manager, entrypoint, error):
        raise not_found(entrypoint.name, detail=error) from error

    manager = named.NamedExtensionManager(
        namespace, names, invoke_on_load=True, invoke_args=(conf,),
        name_order=True, on_load_failure_callback=on_load_failure)
    loaded = {ext.name: ext.obj for ext in manager}
    for name in names:
        if name not in loaded:
            raise not_found(name)
    return [loaded[name] for name in names]


def load_filters(conf):
    """Instances of the enabled filters, in the configured order."""
    return _load(conf, FILTERS_NAMESPACE,
                 conf.filter_scheduler.enabled_filters, 'filter',
                 '[filter_scheduler] enabled_filters')


def load_weighers(conf):
    """Instances of the enabled weighers, in the configured order."""
    return _load(conf, WEIGHERS_NAMESPACE,
                 conf.filter_scheduler.enabled_weighers, 'weigher',
                 '[filter_scheduler] enabled_weighers')
