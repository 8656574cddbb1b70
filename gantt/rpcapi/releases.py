"""Gantt's releases and service versions, and the RPC versions each speaks.

``[upgrade_levels]`` accepts a release name from ``RELEASES`` as an alias
for the versions that release's schedulers understand. ``SERVICE_VERSIONS``
maps the integer service version every service records in the database
(a scheduler at start, a compute in ``ComputeNode.service.version`` of each
report) to the RPC versions that code speaks; ``auto`` caps read it.
"""

SCHEDULER = 'scheduler'
REPORT = 'report'
APIS = (SCHEDULER, REPORT)

# Release name -> the newest version of each API its services speak,
# oldest release first. Add the new release here when it is cut.
RELEASES = {
    'alpha': {SCHEDULER: '1.0', REPORT: '1.0'},
    'beta': {SCHEDULER: '1.1', REPORT: '1.1'},
    'gamma': {SCHEDULER: '1.2', REPORT: '1.3'},
    'delta': {SCHEDULER: '1.3', REPORT: '1.3'},
    'epsilon': {SCHEDULER: '1.4', REPORT: '1.3'},
    'zeta': {SCHEDULER: '1.5', REPORT: '1.3'},
    'eta': {SCHEDULER: '1.6', REPORT: '1.3'},
    'theta': {SCHEDULER: '1.7', REPORT: '1.3'},
}

# Service version -> the RPC versions a service of that version speaks.
# Bump SERVICE_VERSION (and add a row) whenever an API version changes.
SERVICE_VERSIONS = {
    1: {SCHEDULER: '1.0', REPORT: '1.0'},
    2: {SCHEDULER: '1.1', REPORT: '1.1'},
    3: {SCHEDULER: '1.2', REPORT: '1.2'},
    # Reports on a queue of their own (gantt.rpc.report_topic).
    4: {SCHEDULER: '1.2', REPORT: '1.3'},
    # Reservations (scheduler 1.3).
    5: {SCHEDULER: '1.3', REPORT: '1.3'},
    # An instance's life: moves from the stored RequestSpec (1.4).
    6: {SCHEDULER: '1.4', REPORT: '1.3'},
    # Selections carry the claimed NUMA topology and PCI devices.
    7: {SCHEDULER: '1.5', REPORT: '1.3'},
    # claim_resources claims an alternate's NUMA topology.
    8: {SCHEDULER: '1.6', REPORT: '1.3'},
    # RequestSpecs carry PCI requests beside the flavor's (ports').
    9: {SCHEDULER: '1.7', REPORT: '1.3'},
}

# What this code is.
SERVICE_VERSION = max(SERVICE_VERSIONS)

# The oldest service version this code still serves and talks to; a
# service registered below it must be upgraded first (gantt-status says so).
MINIMUM_SERVICE_VERSION = 1


def aliases(api):
    """{release name: version of ``api``} for the version-cap parser."""
    return {name: versions[api] for name, versions in RELEASES.items()}


def oldest_supported(api):
    """The ``api`` version of the oldest release this code still supports.

    That is what a service at MINIMUM_SERVICE_VERSION speaks: every
    scheduler this code may meet understands it, so an ``auto`` cap that
    cannot read the registered services falls back to it.
    """
    return speaks(MINIMUM_SERVICE_VERSION, api)


def release_speaking(version, api):
    """The oldest release name whose ``api`` version is ``version``, or
    None."""
    for name, versions in RELEASES.items():
        if versions[api] == version:
            return name
    return None


def speaks(service_version, api):
    """The ``api`` version a service of ``service_version`` speaks.

    None (or 0: a compute that did not say) means the first version; a
    service newer than this code speaks at least the newest we know.
    """
    if not service_version:
        return SERVICE_VERSIONS[min(SERVICE_VERSIONS)][api]
    if service_version > SERVICE_VERSION:
        return SERVICE_VERSIONS[SERVICE_VERSION][api]
    known = [v for v in SERVICE_VERSIONS if v <= service_version]
    if not known:
        return SERVICE_VERSIONS[min(SERVICE_VERSIONS)][api]
    return SERVICE_VERSIONS[max(known)][api]
