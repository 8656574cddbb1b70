"""The server group policies and rules, stated once for the claim.

A group has one policy: ``affinity`` (every member on one host),
``anti-affinity`` (at most ``max_server_per_host`` members per host, 1
unless the rule says otherwise), or the soft variants, which weighers
prefer and nothing enforces. :func:`violation` is what the claim
transaction asks (gantt.db.server_group); the filters in
gantt.filters.affinity keep hosts that would be refused out of the ranking.
"""

from gantt.objects import fields

POLICIES = fields.InstanceGroupPolicy.ALL
RULES = ('max_server_per_host',)


def max_server_per_host(rules):
    """The rule's value, 1 when unset; ValueError when not a positive
    integer."""
    value = (rules or {}).get('max_server_per_host')
    if value is None:
        return 1
    if isinstance(value, bool):
        raise ValueError('max_server_per_host must be a positive integer, '
                         'got %r' % (value,))
    number = int(value)
    if number < 1 or str(number) != str(value).strip():
        raise ValueError('max_server_per_host must be a positive integer, '
                         'got %r' % (value,))
    return number


def problem(policy, rules):
    """Why ``policy`` and ``rules`` do not make a group, or None."""
    if policy not in POLICIES:
        return 'policy must be one of %s, got %r' % (', '.join(POLICIES),
                                                     policy)
    if not isinstance(rules, dict):
        return 'rules must be a mapping, got %r' % (type(rules).__name__,)
    unknown = sorted(set(rules) - set(RULES))
    if unknown:
        return 'unknown rules %s (known: %s)' % (', '.join(map(repr,
                                                           unknown)),
                                                 ', '.join(RULES))
    if rules and policy != fields.InstanceGroupPolicy.ANTI_AFFINITY:
        return 'rules apply to the anti-affinity policy only'
    try:
        max_server_per_host(rules)
    except (TypeError, ValueError) as e:
        return str(e)
    return None


def violation(policy, rules, members, joining):
    """Why placing ``joining`` [(instance, host)] next to ``members``
    {instance: host} breaks the policy: (host, reason), or None."""
    held = sorted({h for h in members.values() if h})
    hosts = {}
    for host in [h for h in members.values() if h] + [h for _i, h in
                                                      joining]:
        hosts[host] = hosts.get(host, 0) + 1
    if policy == fields.InstanceGroupPolicy.AFFINITY:
        if len(hosts) > 1:
            held = held or sorted(hosts)[:1]
            for _instance, host in joining:
                if host not in held:
                    return host, ('the members are on %s' %
                                  ', '.join(held))
    elif policy == fields.InstanceGroupPolicy.ANTI_AFFINITY:
        limit = max_server_per_host(rules)
        for _instance, host in joining:
            if hosts[host] > limit:
                return host, ('it would hold %d members, max_server_per_host'
                              ' is %d' % (hosts[host], limit))
    return None
