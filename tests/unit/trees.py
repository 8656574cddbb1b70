"""Builders of hosts with provider trees and sharing providers for tests."""

from gantt import objects
from gantt import request as request_mod
from gantt import traits
from tests.unit import hosts as hosts_mod


def inv(total, reserved=0, ratio=1.0, used=0, min_unit=1, max_unit=None,
        step=1):
    return {'total': total, 'reserved': reserved, 'allocation_ratio': ratio,
            'used': used, 'min_unit': min_unit, 'max_unit': max_unit,
            'step_size': step}


def child(uuid, parent, inventories=None, traits=(), aggregates=()):
    return {'uuid': uuid, 'name': uuid, 'parent_provider_uuid': parent,
            'inventories': inventories or {}, 'traits': list(traits),
            'aggregates': list(aggregates)}


def make_world(hosts, trees=None, sharing=(), aggregates=()):
    """A HostState with provider trees and sharing providers.

    ``trees``: host name -> list of provider dicts (see child()); an entry
    whose uuid is the node's ('uuid-<name>') is the root: its inventories
    go to the root's columns as the inventory feed would put them, its
    traits/aggregates to the tree.
    ``sharing``: dicts with uuid, inventories, aggregates, traits (the
    sharing trait is added).
    """
    state = hosts_mod.make_state(hosts, aggregates)
    for name, tree in (trees or {}).items():
        uuid = 'uuid-%s' % name
        for p in tree:
            if p['uuid'] != uuid:
                continue
            for rc, i in (p.get('inventories') or {}).items():
                state.set_inventory(uuid, rc, i['total'], i['reserved'],
                                    i['allocation_ratio'], i['used'],
                                    i['min_unit'], i['max_unit'],
                                    i['step_size'])
        state.set_tree(uuid, tree)
    for sp in sharing:
        state.set_sharing(sp['uuid'], sp['uuid'],
                          list(sp.get('traits', ())) +
                          [traits.SHARES_VIA_AGGREGATE],
                          sp.get('aggregates', ()), sp['inventories'])
    return state


def spec(vcpus=1, ram=512, disk=1, extra_specs=None, image_traits=(),
         root_required=(), root_forbidden=(), same_subtree=(),
         requested_resources=()):
    objects.register_all()
    props = {'traits_required': list(image_traits)} if image_traits else {}
    return objects.RequestSpec.from_components(
        {'vcpus': vcpus, 'memory_mb': ram, 'root_gb': disk,
         'ephemeral_gb': 0, 'swap': 0, 'extra_specs': extra_specs or {}},
        image={'properties': props} if props else None,
        request_level_params=objects.RequestLevelParams(
            root_required=set(root_required),
            root_forbidden=set(root_forbidden),
            same_subtree=[list(s) for s in same_subtree]),
        requested_resources=list(requested_resources))


def groups(**kwargs):
    return request_mod.from_spec(spec(**kwargs)).groups
