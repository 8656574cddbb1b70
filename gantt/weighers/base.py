"""Weighers score hosts; the best total score wins.

Each weigher gives a raw score per host; raw scores are normalised to 0..1
per weigher (min-max over the hosts being weighed, all zeros when they are
all equal) and multiplied by the weigher's multiplier, taken from
[filter_scheduler] or overridden by aggregate metadata (the smallest value
among a host's aggregates wins). The sum over weighers ranks the hosts.
"""

import numpy as np


def normalize(values, minval=None, maxval=None):
    """Min-max scale `values` to 0..1; all zeros when they do not spread."""
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0:
        return values
    lo = values.min() if minval is None else float(minval)
    hi = values.max() if maxval is None else float(maxval)
    if hi == lo:
        return np.zeros_like(values)
    return (values - lo) / (hi - lo)


def clamp(weigher, value):
    """One raw score kept within the weigher's fixed minval/maxval."""
    if weigher.minval is not None:
        value = max(value, float(weigher.minval))
    if weigher.maxval is not None:
        value = min(value, float(weigher.maxval))
    return value


def bounds(weigher, lowest, highest):
    """(low, high) that normalise raw scores ranging from `lowest` to
    `highest`: the weigher's fixed minval/maxval where it has them (the
    other argument may then be None), else the clamped extreme. NaN in,
    NaN out, so NaN scores never look like scores that do not spread.
    """
    low = (float(weigher.minval) if weigher.minval is not None
           else clamp(weigher, lowest))
    high = (float(weigher.maxval) if weigher.maxval is not None
            else clamp(weigher, highest))
    return low, high


class BaseWeigher(object):
    """A weigher that scores one host at a time."""

    #: Option of [filter_scheduler] holding the multiplier (None: 1.0).
    multiplier_opt = None
    #: Fixed bounds for normalisation, when the weigher has them.
    minval = None
    maxval = None

    def __init__(self, conf):
        self.conf = conf

    @property
    def name(self):
        return type(self).__name__

    def weigh_object(self, host_view, request):
        raise NotImplementedError()

    def weight_multiplier(self, host_view):
        raise NotImplementedError()


class VectorWeigher(BaseWeigher):
    """A weigher that scores many rows of a HostState at once."""

    def idle(self, hosts, request):
        """True when this weigher adds 0 to every host's total for
        `request`, known without scoring a host; False means "score them
        to find out". Most weighers are idle most of the time (no failed
        builds, no server group, no metrics), and scoring every host only
        to add zeros costs as much as the weighers that count.
        """
        return False

    def raw_weights(self, hosts, rows, request):
        """Raw scores for `rows` (an int array), same order."""
        raise NotImplementedError()

    def multipliers(self, hosts, rows):
        """The multiplier of each of `rows` (an array of floats)."""
        raise NotImplementedError()
