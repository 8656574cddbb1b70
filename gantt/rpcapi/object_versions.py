"""Which object versions each RPC version carries: one manifest per version.

A client capped at an API version sends every object backported to the
manifest of that version; a server answers a message of version V with
results backported to V's manifest. Add a row whenever an API version is
added, even when no object changed (copy the previous row).
"""

import functools

from oslo_utils import versionutils

from gantt.rpcapi import releases

# What each API carried in the first release (children included).
_SCHEDULER_1_0 = {
    'RequestSpec': '1.0', 'Flavor': '1.0', 'ImageMeta': '1.0',
    'ImageMetaProps': '1.0', 'Destination': '1.0', 'SchedulerRetries': '1.0',
    'SchedulerLimits': '1.0', 'InstanceGroup': '1.0', 'RequestGroup': '1.0',
    'RequestLevelParams': '1.0', 'Selection': '1.0',
}
_REPORT_1_0 = {
    'ComputeNode': '1.0', 'ComputeNodeList': '1.0',
    'ComputeResources': '1.0', 'ComputeStats': '1.0',
    'HypervisorInfo': '1.0', 'HVSpec': '1.0', 'MonitorMetric': '1.0',
    'ServiceStatus': '1.0', 'Aggregate': '1.0', 'InstanceInfo': '1.0',
    'InstanceInfoList': '1.0',
}

_REPORT_1_2 = dict(_REPORT_1_0, ComputeNode='1.2', ComputeNodeList='1.2',
                   ResourceProvider='1.0', Inventory='1.0',
                   NUMATopology='1.0', NUMACell='1.0',
                   NUMAPagesTopology='1.0', PciDevice='1.0')

# API -> {API version: {object name: object version}}.
MANIFESTS = {
    releases.SCHEDULER: {
        '1.0': _SCHEDULER_1_0,
        # Selection 1.1 (weight) in select_destinations replies.
        '1.1': dict(_SCHEDULER_1_0, Selection='1.1'),
        # 1.2 adds capacity() and the server group and gang calls; the
        # group calls carry plain dicts, no object changed.
        '1.2': dict(_SCHEDULER_1_0, Selection='1.1'),
        # 1.3 adds the reservation calls (plain dicts); no object changed.
        '1.3': dict(_SCHEDULER_1_0, Selection='1.1'),
        # 1.4 adds the instance calls (move_instance takes a Flavor and
        # answers Selections); no object changed.
        '1.4': dict(_SCHEDULER_1_0, Selection='1.1'),
        # Selection 1.2 (numa_topology: the guest topology and PCI
        # devices claimed) in select_destinations and select_gang replies.
        '1.5': dict(_SCHEDULER_1_0, Selection='1.2',
                    InstanceNUMATopology='1.0', InstanceNUMACell='1.0'),
        # 1.6: claim_resources takes an InstanceNUMATopology; no object
        # changed.
        '1.6': dict(_SCHEDULER_1_0, Selection='1.2',
                    InstanceNUMATopology='1.0', InstanceNUMACell='1.0'),
        # RequestSpec 1.1 (pci_requests: a port's PCI devices).
        '1.7': dict(_SCHEDULER_1_0, Selection='1.2',
                    InstanceNUMATopology='1.0', InstanceNUMACell='1.0',
                    RequestSpec='1.1', InstancePCIRequest='1.0'),
    },
    releases.REPORT: {
        '1.0': _REPORT_1_0,
        # ComputeNode 1.1 (provider_tree of ResourceProvider/Inventory).
        '1.1': dict(_REPORT_1_0, ComputeNode='1.1', ComputeNodeList='1.1',
                    ResourceProvider='1.0', Inventory='1.0'),
        # ComputeNode 1.2 (numa topology and PCI devices).
        '1.2': _REPORT_1_2,
        # The same objects, sent on the report topic.
        '1.3': _REPORT_1_2,
    },
}

# oslo.messaging namespace -> API.
NAMESPACES = {None: releases.SCHEDULER, 'report': releases.REPORT}


def _tuple(version):
    return versionutils.convert_version_to_tuple(version)


def newest(api):
    """The newest API version with a manifest."""
    return max(MANIFESTS[api], key=_tuple)


@functools.lru_cache(maxsize=64)
def manifest(api, version=None):
    """The object manifest of ``api`` at ``version`` (None: the newest).

    A version between two rows (or newer than all, from a newer peer)
    takes the newest row not above it. Every message asks, so answers are
    cached; the manifests are shared, never to be changed by a caller.
    """
    rows = MANIFESTS[api]
    if version is None:
        return rows[newest(api)]
    wanted = _tuple(version)
    known = [v for v in rows if _tuple(v) <= wanted]
    if not known:
        return rows[min(rows, key=_tuple)]
    return rows[max(known, key=_tuple)]


def for_message(namespace, version):
    """The manifest a reply to a message (namespace, version) carries."""
    api = NAMESPACES.get(namespace)
    if api is None:
        return None
    return manifest(api, version or '1.0')
