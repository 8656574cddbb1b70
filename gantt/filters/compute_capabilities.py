"""Pass hosts whose capabilities satisfy the flavor's extra specs.

An extra spec with the scope `capabilities:` names a host attribute
(hypervisor_type, free_ram_mb, ...) or, failing that, a key of the host's
stats; further `:`-separated keys walk into dict or JSON values
(`capabilities:cpu_info:arch`). A spec with no scope (`ssd`,
`group_policy`) is read the same way but only on a host that has that
attribute or stats key; a host without it is not judged by it. The value is
matched as text with the extra-spec operators (a count such as vcpus_total
reads '48', a ratio '1.5'). `hw:maxphysaddr_bits: N` asks for
`capabilities:cpu_info:maxphysaddr:bits: >= N`. Specs of any other scope
are not ours.
"""

import json

import numpy as np

from gantt.filters import base
from gantt.filters import extra_specs_ops
from gantt.filters import host_columns

SCOPE = 'capabilities'


MAXPHYSADDR_BITS = 'hw:maxphysaddr_bits'
MAXPHYSADDR_PATH = SCOPE + ':cpu_info:maxphysaddr:bits'


def capability_specs(extra_specs):
    """(attribute path, requirement, scoped) for every extra spec this
    filter reads; an unscoped spec is a one-part path."""
    specs = dict(extra_specs)
    bits = specs.pop(MAXPHYSADDR_BITS, None)
    if bits is not None:
        specs[MAXPHYSADDR_PATH] = '>= %s' % bits
    for key, req in sorted(specs.items()):
        path = key.split(':')
        scoped = len(path) > 1
        if scoped:
            if path[0] != SCOPE:
                continue
            path = path[1:]
        yield path, req, scoped


def has_capability(view, name):
    """Whether the host has attribute or stats key `name` at all."""
    return name in host_columns.ATTRIBUTES or name in view.stats


def descend(value, keys):
    """Walk `keys` into dicts (or JSON text of dicts); None when lost."""
    for key in keys:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return None
        if not isinstance(value, dict):
            return None
        value = value.get(key)
        if value is None:
            return None
    return value


def capability(view, path):
    """The host value `path` names, or None when the host lacks it."""
    value = host_columns.attribute(view, path[0])
    if value is None:
        value = view.stats.get(path[0])
    if value is None:
        return None
    return descend(value, path[1:])


class ComputeCapabilitiesFilter(base.VectorFilter):
    """Hosts whose capabilities satisfy the flavor's extra specs."""

    run_filter_once_per_request = True
    reason = 'host capabilities do not match the flavor extra specs'

    def host_passes(self, host_view, request):
        for path, req, scoped in capability_specs(request.extra_specs):
            if not scoped and not has_capability(host_view, path[0]):
                continue
            cap = capability(host_view, path)
            if cap is None or not extra_specs_ops.match(str(cap), req):
                return False
        return True

    def filter_mask(self, hosts, request):
        mask = base.all_rows(hosts)
        for path, req, scoped in capability_specs(request.extra_specs):
            if not mask.any():
                break
            mask &= _spec_mask(hosts, path, req, scoped)
        return mask


def _spec_mask(hosts, path, req, scoped=True):
    """Rows whose value at `path` satisfies `req` (or, for an unscoped
    spec, that lack what it names), matching each distinct value once."""
    results = {}

    def satisfied(cap):
        if cap is None:
            return False
        text = str(cap)
        if text not in results:
            results[text] = extra_specs_ops.match(text, req)
        return results[text]

    name, keys = path[0], path[1:]
    stats = host_columns.stats_values(hosts)
    values = host_columns.column(hosts, name)
    if values is not None and not keys:
        mask = extra_specs_ops.match_numbers(values, req)
        if mask is not None:
            return mask
    if values is not None:
        uniques, codes = host_columns.distinct(values)
        table = np.array([value is not None and satisfied(descend(value, keys))
                          for value in uniques], dtype=bool)
        mask = table[codes] if len(uniques) else base.all_rows(hosts, False)
        # A host with no such attribute may still report it in its stats.
        for code, value in enumerate(uniques):
            if value is None:
                for row in np.flatnonzero(codes == code):
                    mask[row] = satisfied(descend(stats[row].get(name), keys))
        return mask
    if name == 'stats':
        per_row = stats
    else:
        per_row = host_columns.view_values(hosts, name)
    attribute = name in host_columns.ATTRIBUTES
    mask = base.all_rows(hosts, False)
    for row, value in enumerate(per_row):
        if value is None:
            if not scoped and not attribute and name not in stats[row]:
                # Nothing here by that name: not this spec's business.
                mask[row] = True
                continue
            value = stats[row].get(name)
        mask[row] = satisfied(descend(value, keys))
    return mask
