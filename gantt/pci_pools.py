"""PCI device pools of a host, and whether they can serve PCI requests.

A pool groups a host's available devices that look the same to a request:
same vendor, product, NUMA node, type, tags and parent (a PF's VFs share
a pool; a PF or a whole device is a pool of its own). :func:`support`
answers, as the compute controller's PCI stats do, whether every request
of an instance can be served, taking NUMA affinity into account when the
instance's cells are known; :func:`take` says which devices.
"""

import typing

from oslo_utils import strutils

from gantt import numa_request
from gantt.objects import base as obj_base

_PF = 'type-PF'
_NETWORK_TYPES = ('type-PF', 'type-VF', 'vdpa')


class Pool(typing.NamedTuple):
    """``props`` (what specs match against) and the free devices'
    addresses (the pool's count is their number)."""

    props: dict
    addresses: tuple

    @property
    def count(self):
        return len(self.addresses)


def _props(dev):
    """The pool key of a device (a PciDevice or a dict with its fields)."""
    get = (dev.get if isinstance(dev, dict)
           else lambda name, default=None: obj_base.field(dev, name,
                                                          default))
    props = {'vendor_id': get('vendor_id'), 'product_id': get('product_id'),
             'numa_node': get('numa_node'), 'dev_type': get('dev_type')}
    props.update(get('tags') or {})
    if get('physical_network') is not None:
        props['physical_network'] = get('physical_network')
    for name in ('trusted', 'remote_managed'):
        value = get(name)
        if value is not None:
            props[name] = 'true' if value else 'false'
    if props['dev_type'] in _NETWORK_TYPES and (
            props.get('remote_managed') is None):
        props['remote_managed'] = 'false'
    props['address'] = get('parent_addr') or get('address')
    return props


def pools(devices):
    """The pools of the available ones among `devices`, in a stable order
    (fewest keys first, then first seen)."""
    found = {}
    for dev in devices or ():
        status = (dev.get('status') if isinstance(dev, dict)
                  else obj_base.field(dev, 'status'))
        if (status or 'available') != 'available':
            continue
        props = _props(dev)
        key = tuple(sorted((k, str(v)) for k, v in props.items()))
        address = (dev.get('address') if isinstance(dev, dict)
                   else dev.address)
        if key in found:
            found[key][1].append(address)
        else:
            found[key] = (props, [address])
    result = [Pool(props, tuple(addrs)) for props, addrs in found.values()]
    result.sort(key=lambda p: len(p.props))
    return tuple(result)


def _value(v):
    return v.lower() if isinstance(v, str) else v


def matches(props, specs):
    """Whether pool `props` matches any of `specs` (case-insensitive
    strings; a list value must be contained)."""
    for spec in specs:
        for k, v in spec.items():
            got = props.get(k)
            if isinstance(v, list) and isinstance(got, list):
                if not all(x in got for x in v):
                    break
            elif _value(got) != _value(v):
                break
        else:
            return True
    return False


# Keys of an alias spec that select providers, not devices.
_IGNORED = ('resource_class', 'traits', 'rp_uuids')


def _spec_filter(pools_, request):
    specs = [{k: v for k, v in s.items() if k not in _IGNORED}
             for s in request.specs]
    return [p for p in pools_ if matches(p[0], specs)]


def _on_nodes(pools_, nodes):
    return [p for p in pools_ if p[0].get('numa_node') in nodes]


def _numa_filter(pools_, request, cell_ids, sockets):
    if cell_ids is None:
        return pools_
    policy = request.numa_policy or numa_request.PCI_LEGACY
    count = request.count
    near = _on_nodes(pools_, set(cell_ids))
    if policy == numa_request.PCI_REQUIRED or _total(near) >= count:
        return near
    if policy == numa_request.PCI_SOCKET:
        if sockets is None or any(s is None for s in sockets.values()):
            return []
        wanted = {sockets.get(c) for c in cell_ids}
        nodes = {c for c, s in sockets.items() if s in wanted}
        return _on_nodes(pools_, nodes)
    near = _on_nodes(pools_, set(cell_ids) | {None})
    if policy == numa_request.PCI_LEGACY or _total(near) >= count:
        return near
    allowed = set(cell_ids) | {None}
    return sorted(pools_, key=lambda p: p[0].get('numa_node') not in allowed)


def _total(pools_):
    return sum(p[1] for p in pools_)


def _without_unrequested(pools_, request, dev_type, flag=None):
    if flag is None:
        if all(s.get('dev_type') != dev_type for s in request.specs):
            return [p for p in pools_ if p[0].get('dev_type') != dev_type]
        return pools_
    if all(not strutils.bool_from_string(s.get(flag))
           for s in request.specs):
        return [p for p in pools_
                if not strutils.bool_from_string(p[0].get(flag))]
    return pools_


def _live_migratable(pools_, request):
    wanted = {s.get('live_migratable') for s in request.specs}
    if wanted in ({'true'}, {'false'}):
        value = wanted.pop()
        return [p for p in pools_ if p[0].get('live_migratable') == value]
    return pools_


def _candidates(pools_, request, cell_ids, sockets):
    """The pools that may serve `request`, best first, or None."""
    found = _spec_filter(pools_, request)
    if _total(found) < request.count:
        return None
    found = _numa_filter(found, request, cell_ids, sockets)
    if _total(found) < request.count:
        return None
    found = _without_unrequested(found, request, _PF)
    if _total(found) < request.count:
        return None
    found = _without_unrequested(found, request, 'vdpa')
    found = _without_unrequested(found, request, None, 'remote_managed')
    found = _live_migratable(found, request)
    if _total(found) < request.count:
        return None
    return found


def candidates(host_pools, request):
    """The pools of `host_pools` that may serve `request`, NUMA aside,
    or None."""
    work = [[p.props, p.count, p.addresses] for p in host_pools]
    found = _candidates(work, request, None, None)
    return [Pool(e[0], e[2]) for e in found] if found else None


def take(host_pools, requests, cell_ids=None, sockets=None):
    """The addresses each of `requests` would get from `host_pools`
    (a list per request), or None when one cannot be served.

    `cell_ids` are the host cells the instance was fitted to (None: no
    NUMA topology, affinity is not considered); `sockets` maps each host
    cell to its socket, for the socket policy.
    """
    # Working entries: [props, free count, addresses left].
    work = [[p.props, p.count, list(p.addresses)] for p in host_pools]
    taken = []
    for request in requests:
        found = _candidates(work, request, cell_ids, sockets)
        if not found:
            return None
        need, got = request.count, []
        for entry in found:
            n = min(need, entry[1])
            got.extend(entry[2][:n])
            del entry[2][:n]
            entry[1] -= n
            need -= n
            if entry[1] == 0:
                work.remove(entry)
            if not need:
                break
        taken.append(got)
    return taken


def support(host_pools, requests, cell_ids=None, sockets=None):
    """Whether `host_pools` can serve every one of `requests`."""
    return take(host_pools, requests, cell_ids, sockets) is not None


def free_count(host_pools):
    return sum(p.count for p in host_pools)
