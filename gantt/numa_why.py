"""Why a host cannot take a request's NUMA topology or PCI devices, in
words an operator acts on: not enough free pCPUs on any cell, a page size
pool exhausted, no device of an alias near the guest cells, a thread
policy unmet. The words come from the fit rule's own refusals
(gantt.numa_fit.cell_refusal), so they say what the fit decided."""

import collections

from gantt import numa_columns
from gantt import numa_fit
from gantt import numa_request
from gantt import pci_pools

# Removed hosts looked at for the summary: enough to name the reasons,
# few enough to cost little on a refusal over thousands of hosts.
SAMPLE = 200


_WORDS = {numa_request.PAGES_SMALL: 'small', numa_request.PAGES_LARGE: 'large',
          numa_request.PAGES_ANY: 'any'}


def _pages(topo):
    size = topo.pagesize
    if size in _WORDS:
        return '%s pages (hw:mem_page_size=%s)' % (_WORDS[size],
                                                   _WORDS[size])
    return '%d KiB pages (hw:mem_page_size=%d)' % (size, size)


def _cell_words(refusal, topo):
    if refusal == numa_fit.NO_MEMORY:
        if topo.pagesize:
            return ('page size pool exhausted: no NUMA cell has enough '
                    'free %s for the guest memory' % _pages(topo))
        return 'not enough free memory on any NUMA cell'
    if refusal == numa_fit.NO_PCPUS:
        return 'not enough dedicated pCPUs on any NUMA cell'
    if refusal == numa_fit.NO_FREE_PCPUS:
        return 'not enough free pCPUs on any NUMA cell'
    if refusal == numa_fit.NO_SHARED_CPUS:
        return 'not enough shared CPUs on any NUMA cell'
    if refusal == numa_fit.NO_PINNING:
        if topo.thread_policy == numa_request.ISOLATE:
            return ('hw:cpu_thread_policy=isolate unmet: no NUMA cell has '
                    'enough free whole cores')
        if topo.thread_policy == numa_request.REQUIRE:
            return ('hw:cpu_thread_policy=require unmet: no NUMA cell has '
                    'enough free thread siblings')
        return ('no NUMA cell can pin the guest CPUs and its emulator '
                'thread')
    return ('shared CPUs or memory of every NUMA cell at their allocation '
            'ratio')


def _pci_words(request, near=False):
    if near:
        return ('no free device of %s near the guest NUMA cells '
                '(hw:pci_numa_affinity_policy=%s)'
                % (request.label,
                   request.numa_policy or numa_request.PCI_LEGACY))
    return 'not enough free devices of %s (%d asked)' % (
        request.label, request.count)


def host_reason(hosts, row, constraints):
    """Why host `row` cannot take `constraints` (numa_request
    .Constraints), or None when it can."""
    pools = hosts.pci_pools[row] or ()
    for request in constraints.pci:
        if pci_pools.candidates(pools, request) is None:
            return _pci_words(request)
    topo = constraints.topology
    if topo is None:
        if pci_pools.support(pools, constraints.pci):
            return None
        return 'the PCI aliases asked cannot be served together'
    cells = hosts.numa_cells[row] or ()
    if not cells:
        return 'the host reports no NUMA topology'
    if len(cells) < len(topo.cells):
        return 'fewer NUMA cells than the guest\'s %d' % len(topo.cells)
    cpu_ratio, ram_ratio = numa_columns.ratios(hosts, row)
    for index, guest in enumerate(topo.cells):
        reserved = 1 if topo.emulator_threads_isolated and not index else 0
        refusals = [numa_fit.cell_refusal(cell, guest, topo, cpu_ratio,
                                          ram_ratio, reserved)
                    for cell in cells]
        if None not in refusals:
            return _cell_words(max(refusals, key=numa_fit.REFUSALS.index),
                               topo)
    if numa_fit.fit(cells, topo, cpu_ratio, ram_ratio) is None:
        return 'the guest NUMA cells do not fit the host cells together'
    if constraints.pci and numa_fit.fit(cells, topo, cpu_ratio, ram_ratio,
                                        pools, constraints.pci) is None:
        for request in constraints.pci:
            if numa_fit.fit(cells, topo, cpu_ratio, ram_ratio, pools,
                            (request,)) is None:
                return _pci_words(request, near=True)
        return _pci_words(constraints.pci[0], near=True)
    return None


def summary(hosts, rows, constraints):
    """'3 hosts: not enough free pCPUs on any NUMA cell; 1 host: ...' for
    the removed `rows` (at most SAMPLE of them are looked at)."""
    counts = collections.Counter()
    for row in list(rows)[:SAMPLE]:
        counts[host_reason(hosts, int(row), constraints) or
               'taken by this request\'s earlier instances'] += 1
    text = '; '.join('%d host%s: %s' % (n, '' if n == 1 else 's', why)
                     for why, n in counts.most_common())
    if len(rows) > SAMPLE:
        text += ' (the first %d of %d hosts looked at)' % (SAMPLE, len(rows))
    return text
