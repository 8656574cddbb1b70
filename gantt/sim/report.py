"""The simulation's verdict: latency percentiles, outcomes and host usage.

Usage and overcommit come from the database, not from what the conductor
believes it placed, so the report checks the scheduler's claims end to end;
so do the NUMA claim figures (pCPUs, huge pages, devices) of gantt.sim.
numa_audit.
"""

import json
import math

from gantt.sim import scenario


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


def read_inventories(db):
    """Every inventory in db as utilisation() takes them. Read alone: the
    change feed would parse every compute node's report too."""
    import sqlalchemy as sa

    from gantt.db import models

    table = models.Inventory.__table__
    with db.reader() as session:
        return [{'resource_class': row.resource_class, 'total': row.total,
                 'reserved': row.reserved,
                 'allocation_ratio': row.allocation_ratio,
                 'used': row.used}
                for row in session.execute(sa.select(
                    table.c.resource_class, table.c.total,
                    table.c.reserved, table.c.allocation_ratio,
                    table.c.used))]


def database_figures(db):
    """(utilisation spread, overcommitted host count) read from db."""
    return (utilisation(read_inventories(db)),
            count_overcommitted(db.overcommitted_providers()))


class Report(object):
    """Everything gantt-sim prints, as a dict or as a few lines of text."""

    def __init__(self, hosts, requests, results, utilisation_spread=None,
                 overcommitted_hosts=None, load_s=None, numa_claims=None):
        self.hosts = hosts
        self.requests = requests
        self.results = results
        self.utilisation = utilisation_spread
        self.overcommitted_hosts = overcommitted_hosts
        self.load_s = load_s
        self.numa_claims = numa_claims

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
            'by_kind': by_kind(res),
            'numa_claims': self.numa_claims,
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
        kinds = d['by_kind']
        if set(kinds) - {scenario.PLAIN}:
            lines.append('  by flavor kind: ' + '; '.join(
                '%s placed %d, refused %d%s, p50 %s ms' % (
                    kind, f['placed'], f['no_valid_host'],
                    ', errors %d' % f['errors'] if f['errors'] else '',
                    f['p50_ms'])
                for kind, f in kinds.items()))
        claims = d['numa_claims']
        if claims is not None:
            lines.append(
                '  NUMA claims in the store: %(pcpus)d pinned pCPUs, '
                '%(huge_page_mib)d MiB of huge pages, %(devices)d PCI '
                'devices for %(instances)d instances' % claims)
            lines.append(
                '    given twice %(given_twice)d, page pools over '
                '%(pools_over)d, not free on their host %(outside_host)d, '
                'instances not holding what their flavor asks '
                '%(instances_not_matching)d' % claims)
        for sample in d['no_valid_host_samples']:
            lines.append('  no valid host: %s' % sample)
        for sample in d['error_samples']:
            lines.append('  error: %s' % sample)
        return '\n'.join(lines)


def by_kind(results):
    """{kind: {placed, no_valid_host, errors, p50_ms}} in scenario.KINDS
    order."""
    out = {}
    seen = getattr(results, 'by_kind', None) or {}
    for kind in sorted(seen, key=lambda k: (
            scenario.KINDS.index(k) if k in scenario.KINDS
            else len(scenario.KINDS), k)):
        counts = seen[kind]
        out[kind] = {'placed': counts.get('placed', 0),
                     'no_valid_host': counts.get('no_valid_host', 0),
                     'errors': counts.get('error', 0),
                     'p50_ms': _round(percentile(
                         (getattr(results, 'kind_latencies_ms', None)
                          or {}).get(kind), 50))}
    return out


def _round(value, digits=2):
    return None if value is None else round(value, digits)
