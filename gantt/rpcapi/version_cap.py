"""Parse an [upgrade_levels] value into the version cap a client sends."""

import re

from oslo_log import log as logging

from gantt import exception

LOG = logging.getLogger(__name__)

_VERSION_RE = re.compile(r'^(\d+)\.(\d+)$')


def parse(value, api, newest, aliases=None):
    """Return the cap for ``api`` given its configured ``value``.

    None or empty means no cap (send the newest, ``newest``). A release
    alias maps to its version through ``aliases``. ``auto`` (the lowest
    version any registered service speaks) is not implemented yet and
    also means newest, with a warning. Anything else must be a
    ``major.minor`` of the same major as ``newest``, or
    UnsupportedVersion names the bad value.
    """
    if value is None or value.strip() == '':
        return None
    value = value.strip()
    if value == 'auto':
        LOG.warning('[upgrade_levels] %(api)s = auto is not supported yet; '
                    'sending up to the newest version %(newest)s',
                    {'api': api, 'newest': newest})
        return None
    if aliases and value in aliases:
        value = aliases[value]
    match = _VERSION_RE.match(value)
    if match is None:
        raise exception.UnsupportedVersion(
            version=repr(value),
            reason='[upgrade_levels] %s must be a version such as %s, a '
                   'release alias%s, or auto'
                   % (api, newest,
                      ' (%s)' % ', '.join(sorted(aliases)) if aliases
                      else ''))
    newest_major = int(newest.split('.')[0])
    if int(match.group(1)) != newest_major:
        raise exception.UnsupportedVersion(
            version=repr(value),
            reason='[upgrade_levels] %s must be a %d.x version; this '
                   'client speaks %d.0 to %s'
                   % (api, newest_major, newest_major, newest))
    return value
