"""The simulation's verdict: latency percentiles, outcomes and host usage.

Usage and overcommit come from the database, not from what the conductor
believes it placed, so the report checks the scheduler's claims end to end.
"""

import json
import math


UTILISATION_CLASSES = ('MEMORY_MB', 'VCPU')


def percentile(values, q):
    """The q-th percentile (0..100) of values, linearly interpolated.

    None for no values; matches numpy's default ('linear') method.
    """
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * (q / 100.0)
    low = int(math.floor(pos))
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def utilisation(inventories, classes=UTILISATION_CLASSES):
    """Min, mean and max used fraction of capacity per resource class.

    ``inventories`` are dicts with resource_class, total, reserved,
    allocation_ratio and used (one per provider and class); capacity is
    (total - reserved) * allocation_ratio, floored, as claims count it.
    """
    fractions = {rc: [] for rc in classes}
    for inv in inventories:
        rc = inv['resource_class']
        if rc not in fractions:
            continue
        capacity = math.floor(
            (inv['total'] - inv['reserved']) * inv['allocation_ratio'])
        if capacity <= 0:
            continue
        fractions[rc].append(inv['used'] / float(capacity))
    spread = {}
    for rc, values in fractions.items():
        if values:
            spread[rc] = {'min': min(values),
                          'mean': sum(values) / len(values),
                          'max': max(values)}
        else:
            spread[rc] = {'min': None, 'mean': None, 'max': None}
    return spread


def count_overcommitted(rows):
    """Hosts holding more than their capacity of any class.

    ``rows`` are Database.overcommitted_providers() tuples
    (provider_uuid, resource_class, used, capacity); a provider over in
    two classes is one host.
    """
    return len({row[0] for row in rows})


def database_figures(db):
    """(utilisation spread, overcommitted host count) read from db."""
    changes = db.get_changes(0)
    inventories = changes.inventories
    return (utilisation(inventories),
            count_overcommitted(db.overcommitted_providers()))


class Report(object):
    """Everything gantt-sim prints, as a dict or as a few lines of text."""

    def __init__(self, hosts, requests, results, utilisation_spread=None,
                 overcommitted_hosts=None, load_s=None):
        self.hosts = hosts
        self.requests = requests
        self.results = results
        self.utilisation = utilisation_spread
        self.overcommitted_hosts = overcommitted_hosts
        self.load_s = load_s

    def as_dict(self):
        res = self.results
        lat = res.latencies_ms
        elapsed = res.elapsed_s or None
        return {
            'hosts': self.hosts,
            'requests': self.requests,
            'placed': res.placed,
            'no_valid_host': res.no_valid_host,
            'errors': len(res.errors),
            'error_samples': sorted(set(res.errors))[:5],
            'no_valid_host_samples': sorted(set(res.refusals))[:5],
            'p50_ms': _round(percentile(lat, 50)),
            'p99_ms': _round(percentile(lat, 99)),
            'max_ms': _round(max(lat) if lat else None),
            'decisions_per_s': _round(len(lat) / elapsed if elapsed else None),
            'load_s': _round(self.load_s),
            'schedule_s': _round(res.elapsed_s),
            'utilisation': {
                rc: {k: _round(v, 4) for k, v in figures.items()}
                for rc, figures in (self.utilisation or {}).items()},
            'overcommitted_hosts': self.overcommitted_hosts,
        }

    def as_json(self):
        return json.dumps(self.as_dict(), sort_keys=True)

    def as_text(self):
        d = self.as_dict()
        lines = [
            'Gantt simulation: %(hosts)d hosts, %(requests)d requests' % d,
            '  placed %(placed)d, no valid host %(no_valid_host)d, '
            'errors %(errors)d' % d,
            '  latency p50 %s ms, p99 %s ms, max %s ms; %s decisions/s' % (
                d['p50_ms'], d['p99_ms'], d['max_ms'], d['decisions_per_s']),
        ]
        for rc, f in sorted(d['utilisation'].items()):
            if f['mean'] is None:
                continue
            lines.append('  %-9s used of capacity: min %.1f%%, mean %.1f%%, '
                         'max %.1f%%' % (rc, 100 * f['min'], 100 * f['mean'],
                                         100 * f['max']))
        lines.append('  overcommitted hosts: %s' % (
            'unknown (no database)' if d['overcommitted_hosts'] is None
            else d['overcommitted_hosts']))
        for sample in d['no_valid_host_samples']:
            lines.append('  no valid host: %s' % sample)
        for sample in d['error_samples']:
            lines.append('  error: %s' % sample)
        return '\n'.join(lines)


def _round(value, digits=2):
    return None if value is None else round(value, digits)
