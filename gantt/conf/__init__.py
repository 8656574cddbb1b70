"""Build Gantt's configuration object: every option registered, then parsed.

Library code never reads a global configuration; a process calls
``build_conf()`` once in ``gantt/cmd`` and passes the result down.
"""

from oslo_config import cfg
from oslo_log import log

# gantt.rpc first: importing oslo.messaging (its opts below) would print
# eventlet's deprecation notices and settle oslo.service on its eventlet
# backend; gantt.rpc silences the former and picks threading first.
from gantt import rpc  # noqa: F401,I100

from oslo_messaging import opts as messaging_opts  # noqa: E402

from gantt.conf import opts  # noqa: E402


# Gantt's default [oslo_messaging_rabbit] rabbit_qos_prefetch_count: the
# size of oslo.messaging's RPC thread pool (executor_thread_pool_size).
RABBIT_PREFETCH = 64


def _messaging_private_group_opts():
    """oslo.messaging's tracing and metrics options.

    oslo.messaging registers the ``oslo_messaging_tracing`` and
    ``oslo_messaging_metrics`` groups only on the global ``cfg.CONF`` at
    import time, yet reads them from whatever conf the transport is given;
    with a private ConfigOpts the first RPC call would fail with
    NoSuchOptError. We register the same option lists on our own conf (the
    global one stays unused by Gantt).
    """
    from oslo_messaging._metrics import client as metrics_client
    from oslo_messaging._tracing import client as tracing_client
    return [
        ('oslo_messaging_tracing', tracing_client.oslo_messaging_tracing),
        ('oslo_messaging_metrics', metrics_client.oslo_messaging_metrics),
    ]


def register_all(conf):
    """Register Gantt's, oslo.log's, oslo.db's and oslo.messaging's opts."""
    for module in opts.modules():
        module.register_opts(conf)
    log.register_options(conf)
    for group, group_opts in messaging_opts.list_opts():
        conf.register_opts(group_opts, group=group)
    for group, group_opts in _messaging_private_group_opts():
        conf.register_opts(group_opts, group=group)
    # oslo.messaging's default prefetch is unlimited: a flood on a queue
    # would all be pulled into a worker's memory at once. No more messages
    # than RPC threads to handle them; [oslo_messaging_rabbit] overrides.
    conf.set_default('rabbit_qos_prefetch_count', RABBIT_PREFETCH,
                     group='oslo_messaging_rabbit')
    return conf


def _version():
    try:
        from importlib import metadata
        return metadata.version('gantt')
    except Exception:
        return None


def build_conf(argv=None, default_config_files=None, project='gantt'):
    """Return a new, parsed ConfigOpts holding every Gantt option.

    ``argv`` is the command line without the program name; None means no
    arguments (and, unless ``default_config_files`` is given, no config
    files), which is what tests and embedded callers want.
    """
    conf = cfg.ConfigOpts()
    register_all(conf)
    if argv is None:
        argv = []
        if default_config_files is None:
            default_config_files = []
    conf(args=list(argv), project=project, version=_version(),
         default_config_files=default_config_files)
    return conf
