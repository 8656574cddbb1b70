"""PNG charts of a simulation run (matplotlib, Agg backend, no display).

utilisation.png: every host's fullest resource class over time, a heat
map with hosts sorted by their final use; latency.png: the histogram of
select_destinations latencies the conductor saw; refusals.png: refused
requests by what emptied the host list; staleness.png: how old the
hosts' last reports were over time (median, 95th percentile, oldest).
matplotlib is an optional extra: ``pip install gantt[plot]``.
"""

import os

FILES = ('utilisation.png', 'latency.png', 'refusals.png',
         'staleness.png')


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise RuntimeError('--plot needs matplotlib: pip install '
                           '"gantt[plot]" (or matplotlib) into this '
                           'environment')
    matplotlib.use('Agg')
    from matplotlib import pyplot
    return pyplot


def check_available():
    """Raise RuntimeError, saying how to install it, without matplotlib."""
    _pyplot()


def write_all(directory, results, samples=None):
    """Write the charts into ``directory`` (created); returns the paths.

    ``results`` is the conductor's Results; ``samples`` a Sampler's
    samples, or None when the store was not readable (utilisation and
    staleness are then drawn empty, saying why).
    """
    plt = _pyplot()
    os.makedirs(directory, exist_ok=True)
    paths = []
    for name, draw in (('utilisation.png', _utilisation),
                       ('latency.png', _latency),
                       ('refusals.png', _refusals),
                       ('staleness.png', _staleness)):
        fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
        draw(ax, results, samples)
        fig.tight_layout()
        path = os.path.join(directory, name)
        fig.savefig(path, format='png')
        plt.close(fig)
        paths.append(path)
    return paths


def _no_data(ax, why):
    ax.text(0.5, 0.5, why, ha='center', va='center',
            transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def _utilisation(ax, results, samples):
    ax.set_title('Utilisation per host (fullest of VCPU, RAM, disk)')
    if not samples or not samples[-1][1]:
        _no_data(ax, 'no database samples (pass --database-connection)')
        return
    import numpy as np
    final = samples[-1][1]
    hosts = sorted(final, key=lambda h: (final[h], h))
    grid = np.array([[s[1].get(h, 0.0) for s in samples] for h in hosts])
    times = [s[0] for s in samples]
    image = ax.imshow(grid, aspect='auto', origin='lower', cmap='viridis',
                      vmin=0.0, vmax=1.0, interpolation='nearest',
                      extent=(times[0], times[-1] if len(times) > 1
                              else times[0] + 1, 0, len(hosts)))
    ax.set_xlabel('seconds since scheduling started')
    ax.set_ylabel('hosts (sorted by final use)')
    ax.figure.colorbar(image, ax=ax, label='used fraction')


def _latency(ax, results, samples):
    ax.set_title('select_destinations latency seen by the conductor')
    values = list(results.latencies_ms)
    if not values:
        _no_data(ax, 'no requests')
        return
    ax.hist(values, bins=min(50, max(5, len(values) // 10)),
            color='tab:blue')
    ax.set_xlabel('milliseconds')
    ax.set_ylabel('requests')


def _refusals(ax, results, samples):
    ax.set_title('Refused requests by what emptied the host list')
    counts = dict(getattr(results, 'refusal_reasons', {}) or {})
    if not counts:
        _no_data(ax, 'no request was refused')
        return
    names = sorted(counts, key=lambda n: (-counts[n], n))
    ax.barh(names[::-1], [counts[n] for n in names[::-1]],
            color='tab:red')
    ax.set_xlabel('requests')


def _staleness(ax, results, samples):
    ax.set_title('Age of the hosts\' last reports')
    if not samples or not samples[-1][2]:
        _no_data(ax, 'no database samples (pass --database-connection)')
        return
    import numpy as np
    times, median, p95, oldest = [], [], [], []
    for t, _use, ages in samples:
        known = [a for a in ages.values() if a is not None]
        if not known:
            continue
        times.append(t)
        median.append(float(np.median(known)))
        p95.append(float(np.percentile(known, 95)))
        oldest.append(max(known))
    ax.plot(times, median, label='median')
    ax.plot(times, p95, label='95th percentile')
    ax.plot(times, oldest, label='oldest')
    ax.set_xlabel('seconds since scheduling started')
    ax.set_ylabel('seconds since last report')
    ax.legend(loc='upper left')
