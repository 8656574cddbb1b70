"""Placement microversions: which one a request asked for, and the range
gantt-api answers (1.0 up to MAX)."""

import microversion_parse

from gantt.api import errors

SERVICE_TYPE = 'placement'
MIN = (1, 0)
# The newest version whose request and response shapes gantt-api speaks
# for the resources it serves (what nova 34's report client sends).
MAX = (1, 39)
HEADER = 'OpenStack-API-Version'


def text(version):
    return '%d.%d' % version


def negotiate(headers):
    """The (major, minor) a request asked for: MIN when it names none,
    MAX for 'latest'; raises errors.Error 400 or 406 otherwise."""
    asked = microversion_parse.get_version(headers,
                                           service_type=SERVICE_TYPE)
    if asked is None:
        return MIN
    if asked.strip() == 'latest':
        return MAX
    try:
        major, minor = (int(p) for p in asked.strip().split('.'))
    except ValueError:
        raise errors.Error(400, 'invalid version string: %s (expected '
                           '"placement MAJOR.MINOR")' % asked.strip())
    if not MIN <= (major, minor) <= MAX:
        raise errors.Error(
            406, 'Unacceptable version header: %s; gantt-api answers %s to '
            '%s' % (asked, text(MIN), text(MAX)))
    return major, minor
