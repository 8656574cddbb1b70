"""Filters that place an instance relative to other instances.

DifferentHostFilter and SameHostFilter follow the different_host and
same_host hints (instance UUIDs), SimpleCIDRAffinityFilter the
build_near_host_ip and cidr hints, and the server group filters the policy
of the request's instance group, counting the rows already picked for
earlier instances of the same request.
"""

import ipaddress

from oslo_log import log as logging
import numpy as np

from gantt import exception
from gantt.filters import base

LOG = logging.getLogger(__name__)

_LOW64 = (1 << 64) - 1
_UNSET = object()


def _hint_values(request, name):
    """The non-empty values of hint `name`, as a list of strings."""
    value = request.hints.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    return [v for v in value if v]


class DifferentHostFilter(base.VectorFilter):
    """Remove hosts running any instance named in the different_host hint."""

    run_filter_once_per_request = True
    reason = 'runs an instance of the different_host hint'

    def filter_mask(self, hosts, request):
        mask = base.all_rows(hosts)
        uuids = _hint_values(request, 'different_host')
        mask[hosts.rows_of_instances(uuids)] = False
        return mask

    def host_passes(self, host_view, request):
        uuids = _hint_values(request, 'different_host')
        instances = host_view.instances
        return not any(uuid in instances for uuid in uuids)


class SameHostFilter(base.VectorFilter):
    """Keep only hosts running an instance named in the same_host hint."""

    run_filter_once_per_request = True
    reason = 'runs no instance of the same_host hint'

    def filter_mask(self, hosts, request):
        uuids = _hint_values(request, 'same_host')
        if not uuids:
            return base.all_rows(hosts)
        mask = base.all_rows(hosts, False)
        mask[hosts.rows_of_instances(uuids)] = True
        return mask

    def host_passes(self, host_view, request):
        uuids = _hint_values(request, 'same_host')
        if not uuids:
            return True
        instances = host_view.instances
        return any(uuid in instances for uuid in uuids)


def _single_hint(request, name, default=None):
    """The one value of hint `name`; `default` when absent or empty."""
    value = request.hints.get(name)
    if isinstance(value, (list, tuple)):
        if len(value) > 1:
            raise exception.InvalidHint(
                hint=name, reason='expected one value, got %d' % len(value))
        value = value[0] if value else None
    return value or default


def near_network(request):
    """The network of the build_near_host_ip and cidr hints, or None."""
    address = _single_hint(request, 'build_near_host_ip')
    if not address:
        return None
    cidr = _single_hint(request, 'cidr', '/24')
    try:
        ipaddress.ip_address(address)
    except ValueError as e:
        raise exception.InvalidHint(hint='build_near_host_ip', reason=str(e))
    if not str(cidr).startswith('/'):
        raise exception.InvalidHint(hint='cidr', reason='%r is not of the '
                                    'form /prefixlen or /netmask' % cidr)
    try:
        return ipaddress.ip_network(address + cidr, strict=False)
    except ValueError as e:
        raise exception.InvalidHint(hint='cidr', reason=str(e))


def _parse_ip(value):
    """(version, high 64 bits, low 64 bits) of an IP; version 0 if none."""
    try:
        ip = ipaddress.ip_address(value)
    except (TypeError, ValueError):
        return 0, 0, 0
    number = int(ip)
    return ip.version, number >> 64, number & _LOW64


class _HostAddresses(object):
    """host_ip of every row as numbers, re-parsed only where it changed."""

    def __init__(self):
        empty = np.zeros(0, dtype=np.uint64)
        self._cached = (np.zeros(0, dtype=object), np.zeros(0, np.int64),
                        empty, empty)

    def columns(self, hosts):
        current = hosts.host_ip[:hosts.n]
        source, version, high, low = self._cached
        n, kept = len(current), min(len(source), len(current))
        if len(source) != n:
            pad = n - kept
            source = np.concatenate(
                [source[:kept], np.full(pad, _UNSET, dtype=object)])
            version = np.concatenate([version[:kept], np.zeros(pad, np.int64)])
            high = np.concatenate([high[:kept], np.zeros(pad, np.uint64)])
            low = np.concatenate([low[:kept], np.zeros(pad, np.uint64)])
        stale = np.flatnonzero(source != current)
        if stale.size:
            source, version = source.copy(), version.copy()
            high, low = high.copy(), low.copy()
            for row in stale:
                source[row] = current[row]
                version[row], high[row], low[row] = _parse_ip(current[row])
        # Swapped in whole, so concurrent readers see one consistent set.
        self._cached = (source, version, high, low)
        return version, high, low


class SimpleCIDRAffinityFilter(base.VectorFilter):
    """Keep only hosts whose IP is in the network near build_near_host_ip."""

    run_filter_once_per_request = True
    reason = 'outside the build_near_host_ip network'

    def __init__(self, conf):
        super().__init__(conf)
        self._addresses = _HostAddresses()

    def filter_mask(self, hosts, request):
        network = near_network(request)
        if network is None:
            return base.all_rows(hosts)
        version, high, low = self._addresses.columns(hosts)
        net = int(network.network_address)
        netmask = int(network.netmask)
        return ((version == network.version)
                & ((high & np.uint64(netmask >> 64))
                   == np.uint64(net >> 64))
                & ((low & np.uint64(netmask & _LOW64))
                   == np.uint64(net & _LOW64)))

    def host_passes(self, host_view, request):
        network = near_network(request)
        if network is None:
            return True
        try:
            return ipaddress.ip_address(host_view.host_ip) in network
        except (TypeError, ValueError):
            return False


class _ServerGroupFilter(base.VectorFilter):
    """Base of the server group filters: applies to one policy only."""

    policy = None

    def _group(self, request):
        group = request.instance_group
        if group is None or group.policy != self.policy:
            return None
        return group


def _picked_hosts(state, request):
    return {state.hosts[row] for row in request.placing.picked_rows}


class ServerGroupAffinityFilter(_ServerGroupFilter):
    """Keep only the hosts of an affinity group, once it has any."""

    policy = 'affinity'
    reason = 'not a host of the affinity server group'

    def _group_hosts(self, state, request):
        group = self._group(request)
        if group is None:
            return None
        hosts = set(group.hosts)
        return (hosts | _picked_hosts(state, request)) or None

    def filter_mask(self, hosts, request):
        group_hosts = self._group_hosts(hosts, request)
        if group_hosts is None:
            return base.all_rows(hosts)
        mask = base.all_rows(hosts, False)
        for host in group_hosts:
            mask[hosts.host_rows.get(host, [])] = True
        return mask

    def host_passes(self, host_view, request):
        # The hosts picked earlier in this request are known by row only.
        group_hosts = self._group_hosts(host_view.state, request)
        return group_hosts is None or host_view.host in group_hosts


def max_server_per_host(group):
    rules = group.rules
    value = rules.get('max_server_per_host')
    if value is None:
        return 1
    try:
        return int(value)
    except (TypeError, ValueError):
        LOG.warning('Server group %(group)s has an invalid '
                    'max_server_per_host rule %(value)r; using 1',
                    {'group': group.uuid or 'n/a',
                     'value': value})
        return 1


class ServerGroupAntiAffinityFilter(_ServerGroupFilter):
    """Remove hosts holding max_server_per_host members of the group.

    A host counts the group members it runs (at least one if it is among the
    group's hosts) plus the instances of this request already placed on it.
    The host the instance itself runs on passes, so it may be resized in
    place.
    """

    policy = 'anti-affinity'
    reason = 'holds members of the anti-affinity server group'

    def filter_mask(self, hosts, request):
        group = self._group(request)
        if group is None:
            return base.all_rows(hosts)
        count = np.zeros(hosts.n, dtype=np.int64)
        members = set(group.members)
        member_rows = [hosts.instance_row[uuid] for uuid in members
                       if uuid in hosts.instance_row]
        np.add.at(count, np.asarray(member_rows, dtype=np.int64), 1)
        for host in group.hosts:
            rows = hosts.host_rows.get(host, [])
            count[rows] = np.maximum(count[rows], 1)
        picked = request.placing.picked_rows
        np.add.at(count, np.asarray(picked, dtype=np.int64), 1)
        mask = count < max_server_per_host(group)
        own = hosts.instance_row.get(request.placing.instance_uuid)
        if own is not None and own not in picked:
            mask[own] = True
        return mask

    def host_passes(self, host_view, request):
        group = self._group(request)
        if group is None:
            return True
        instances = host_view.instances
        picked = request.placing.picked_rows
        if (request.placing.instance_uuid in instances
                and host_view.row not in picked):
            return True
        members = set(group.members)
        count = sum(1 for uuid in members if uuid in instances)
        if host_view.host in group.hosts:
            count = max(count, 1)
        count += picked.count(host_view.row)
        return count < max_server_per_host(group)
