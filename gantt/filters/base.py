"""The two kinds of host filter: per-host plugins and vectorised built-ins.

A filter removes hosts that cannot take the request and says why in a fixed
reason string, so NoValidHost can report "RamFilter removed 9812 of 10000
hosts (not enough free RAM)". Out-of-tree plugins implement host_passes()
only and run on the hosts the built-ins let through; built-ins implement
filter_mask() over every row at once and keep host_passes() as the
reference the differential test compares against.
"""

import numpy as np


class BaseHostFilter(object):
    """A filter that looks at one host at a time."""

    #: Run once for a multi-instance request instead of once per instance.
    run_filter_once_per_request = False
    #: Why a host fails this filter, shown to operators.
    reason = 'rejected by filter'

    def __init__(self, conf):
        self.conf = conf

    @property
    def name(self):
        return type(self).__name__

    def host_passes(self, host_view, request):
        raise NotImplementedError()

    #: Whether why() says more than ``reason``.
    explains = False

    def why(self, hosts, request, rows):
        """Words for why the `rows` this filter removed failed, beyond the
        fixed ``reason`` (read only when a refusal or explain shows it)."""
        return None


class VectorFilter(BaseHostFilter):
    """A filter that decides for every row of a HostState at once."""

    def filter_mask(self, hosts, request):
        """Boolean array over all rows: True where the host may be used."""
        raise NotImplementedError()


def all_rows(hosts, value=True):
    """A mask of length hosts.n filled with `value`."""
    return np.full(hosts.n, value, dtype=bool)
