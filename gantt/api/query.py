"""The filters of placement's list queries, read and refused in its
words: member_of (aggregates; repeated from 1.24, forbidden with '!'
from 1.32) and required (traits; forbidden with '!' from 1.22)."""

from oslo_utils import uuidutils

from gantt.api import errors

_BAD = 'Invalid query string parameters: '


def member_of(req, key='member_of'):
    """([set of aggregates any of which is required, ...], set of
    forbidden aggregates) from the request's ``key`` parameters."""
    values = req.GET.getall(key)
    version = req.environ['gantt.version']
    if len(values) > 1 and version < (1, 24):
        raise errors.Error(400, 'Multiple %s parameters are not supported'
                           % key)
    groups, forbidden = [], set()
    for value in values:
        if ',' in value and not value.startswith(('in:', '!in:')):
            raise errors.Error(
                400, "Multiple values for '%s' must be prefixed with the "
                "'in:' or '!in:' keyword using the valid microversion. "
                "Got: %s" % (key, value))
        negated = value.startswith('!')
        body = value[1:] if negated else value
        if body.startswith('in:'):
            body = body[3:]
        uuids = set(body.split(','))
        for uuid in uuids:
            if not uuidutils.is_uuid_like(uuid):
                raise errors.Error(
                    400, "%sExpected '%s' parameter to contain valid "
                    "UUID(s). Got: %s" % (_BAD, key, uuid))
        if negated:
            if version < (1, 32):
                raise errors.Error(
                    400, 'Forbidden %s parameters are not supported in the '
                    'specified microversion' % key)
            forbidden |= uuids
        else:
            groups.append(uuids)
    return groups, forbidden


def required(req, key='required'):
    """(set of required traits, set of forbidden traits) from the
    request's last ``key`` parameter."""
    values = req.GET.getall(key)
    if not values:
        return set(), set()
    value = values[-1]
    may_forbid = req.environ['gantt.version'] >= (1, 22)
    names = [name.strip() for name in value.split(',')]
    forbidden = {name[1:] for name in names if name.startswith('!')}
    if not all(names) or not all(forbidden):
        raise errors.Error(
            400, "%sExpected '%s' parameter value of the form: %s. Got an "
            "empty trait in: %s" % (
                _BAD, key, 'HW_CPU_X86_VMX,!CUSTOM_MAGIC' if may_forbid
                else 'HW_CPU_X86_VMX,CUSTOM_MAGIC', value))
    if forbidden and not may_forbid:
        raise errors.Error(
            400, "%sExpected '%s' parameter value of the form: "
            "HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: %s" % (_BAD, key, value))
    return {n for n in names if not n.startswith('!')}, forbidden
