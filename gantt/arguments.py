"""Checks of RPC arguments that are not versioned objects.

Each ``*_problem`` function returns why a value is unusable, quoting it in
bounded size (gantt.limits.brief), or None when it is fine; the endpoints
in gantt.manager refuse with that reason.
"""

from oslo_utils import uuidutils

from gantt import limits
from gantt.objects import fields


def name_problem(value, what, nullable=False):
    """A project, user or host name: a non-empty string of at most
    [limits] max_name_length."""
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not value:
        return '%s must be a non-empty string, got %s' % (
            what, limits.brief(value))
    if len(value) > limits.CURRENT.max_name_length:
        return '%s is a string of length %d, above [limits] ' \
               'max_name_length %d' % (what, len(value),
                                       limits.CURRENT.max_name_length)
    return None


def allocation_request_problem(value):
    """A placement-shaped allocation request whose providers are UUIDs
    and amounts integers within what a report may offer; the rest (known
    providers and classes, units) is the claim's to check."""
    if not isinstance(value, dict):
        return 'allocation_request must be a dict, got %s %s' % (
            type(value).__name__, limits.brief(value))
    allocations = value.get('allocations')
    if not isinstance(allocations, dict) or not allocations:
        return 'allocation_request has no "allocations" mapping'
    for rp_uuid, body in allocations.items():
        if not uuidutils.is_uuid_like(rp_uuid):
            return 'allocation_request names provider %s, not a UUID' % (
                limits.brief(rp_uuid))
        resources = body.get('resources') if isinstance(body, dict) else None
        if not isinstance(resources, dict) or not resources:
            return 'allocation for provider %s has no "resources" ' \
                   'mapping' % rp_uuid
        for rc, amount in resources.items():
            if (isinstance(amount, bool) or not isinstance(amount, int) or
                    not 0 < amount <= fields.MAX_RESOURCE_TOTAL):
                return 'amount %s of %s on provider %s is not an integer ' \
                       'in [1, %d]' % (limits.brief(amount),
                                       limits.brief(rc), rp_uuid,
                                       fields.MAX_RESOURCE_TOTAL)
    return None
