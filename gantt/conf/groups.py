"""Registering an option group on one ConfigOpts without sharing state."""

from oslo_config import cfg


def register_group(conf, group, opts=()):
    """Register a copy of `group` on `conf`, then `opts` in it.

    oslo.config copies a registered OptGroup only shallowly, so reusing one
    OptGroup object across confs would share option state between them.
    """
    conf.register_group(cfg.OptGroup(group.name, title=group.title,
                                     help=group.help))
    if opts:
        conf.register_opts(opts, group=group.name)
