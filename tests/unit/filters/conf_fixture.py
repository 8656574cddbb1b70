"""The configuration filter tests run against, built in one place."""

from gantt import conf as gantt_conf


def make_conf(**overrides):
    """A private, fully registered conf; `overrides` as {group: {opt: v}}.

    Options of [DEFAULT] go under the group name None.
    """
    conf = gantt_conf.build_conf([])
    for group, values in overrides.items():
        for name, value in values.items():
            conf.set_override(name, value, group=group)
    return conf
