"""Turn an [upgrade_levels] value into the version cap a client sends.

A value is a version (``1.1``), a release alias from
:mod:`gantt.rpcapi.releases`, ``auto`` (the lowest version any registered
scheduler speaks, read from the services table; the oldest supported
release's when that table cannot be read), or unset (the newest).
"""

import re

from oslo_log import log as logging
from oslo_utils import versionutils

from gantt import exception
from gantt.rpcapi import releases

LOG = logging.getLogger(__name__)

AUTO = 'auto'
# The binary that serves both APIs; auto caps follow its registrations.
SERVER_BINARY = 'gantt-scheduler'

_VERSION_RE = re.compile(r'^(\d+)\.(\d+)$')


def _tuple(version):
    return versionutils.convert_version_to_tuple(version)


def _bad(value, api, why):
    return exception.UnsupportedVersion(
        version=repr(value), reason='[upgrade_levels] %s %s' % (api, why))


def parse(value, api, newest, aliases=None):
    """The static meaning of ``value``: None (newest), AUTO, or 'X.Y'.

    A release alias maps through ``aliases`` ({name: version}). A version
    of another major, a word that is neither an alias nor ``auto``, or
    anything that does not parse raises UnsupportedVersion naming the
    value. A version above ``newest`` means newest, with a warning.
    """
    if value is None or value.strip() == '':
        return None
    value = value.strip()
    if value == AUTO:
        return AUTO
    aliases = aliases or {}
    version = aliases.get(value, value)
    match = _VERSION_RE.match(version)
    if match is None:
        raise _bad(value, api,
                   'must be a version such as %s, a release alias%s, or '
                   'auto' % (newest, ' (%s)' % ', '.join(sorted(aliases))
                             if aliases else ''))
    newest_major = _tuple(newest)[0]
    if int(match.group(1)) != newest_major:
        raise _bad(value, api, 'must be a %d.x version; this client speaks '
                   '%d.0 to %s' % (newest_major, newest_major, newest))
    if _tuple(version) > _tuple(newest):
        LOG.warning('[upgrade_levels] %(api)s = %(value)s is above %(newest)s,'
                    ' the newest this code knows; sending up to %(newest)s',
                    {'api': api, 'value': value, 'newest': newest})
        return None
    return version


def service_speaks(service, api):
    """The ``api`` version a services-table row says its service speaks.

    A scheduler's row carries its scheduler API version in ``rpc_version``;
    everything else follows from its service ``version``.
    """
    rpc_version = service.get('rpc_version')
    if (api == releases.SCHEDULER and isinstance(rpc_version, str) and
            _VERSION_RE.match(rpc_version)):
        return rpc_version
    return releases.speaks(service.get('version'), api)


def lowest_registered(api, services, newest):
    """The lowest ``api`` version among ``services`` rows, or None if none.

    Rows of another major than ``newest`` are skipped with a warning
    (gantt-status fails on them).
    """
    major = _tuple(newest)[0]
    found = []
    for service in services:
        version = service_speaks(service, api)
        if _tuple(version)[0] != major:
            LOG.warning('Ignoring %(binary)s on %(host)s for '
                        '[upgrade_levels] %(api)s = auto: it speaks '
                        '%(version)s, not %(major)d.x',
                        {'binary': service.get('binary'),
                         'host': service.get('host'), 'api': api,
                         'version': version, 'major': major})
            continue
        found.append(version)
    if not found:
        return None
    return min(found, key=_tuple)


def resolve(value, api, newest, aliases=None, get_services=None):
    """The cap (None = newest) for ``value``, computing ``auto``.

    ``get_services()`` returns the services-table rows of the scheduler
    binary; called only for ``auto``. No registered scheduler means the
    newest with a warning: a client must start even before any scheduler
    ever did. A database that cannot be read (down, or any error) means the
    oldest supported release's version, with a warning saying why: some
    scheduler may be that old, and a message it cannot read is lost.
    """
    cap = parse(value, api, newest, aliases)
    if cap != AUTO:
        return cap
    try:
        services = list(get_services()) if get_services else []
    except Exception as exc:
        return _oldest_supported(api, newest, exc)
    lowest = lowest_registered(api, services, newest)
    if lowest is None:
        LOG.warning('[upgrade_levels] %(api)s = auto: no %(binary)s is '
                    'registered yet; sending up to the newest version '
                    '%(newest)s', {'api': api, 'binary': SERVER_BINARY,
                                   'newest': newest})
        return None
    if _tuple(lowest) >= _tuple(newest):
        LOG.info('[upgrade_levels] %(api)s = auto: every scheduler speaks '
                 '%(newest)s or newer; no cap', {'api': api,
                                                 'newest': newest})
        return None
    LOG.info('[upgrade_levels] %(api)s = auto: capped at %(cap)s, the '
             'lowest version a registered scheduler speaks',
             {'api': api, 'cap': lowest})
    return lowest


def _oldest_supported(api, newest, error):
    """The cap when the registered services cannot be read, logged."""
    oldest = releases.oldest_supported(api)
    release = releases.release_speaking(oldest, api)
    LOG.warning('[upgrade_levels] %(api)s = auto: cannot read the '
                'registered services (%(error)s); sending up to %(oldest)s, '
                'what the oldest supported release (%(release)sservice '
                'version %(minimum)d) speaks, until a refresh reads them', {
                    'api': api, 'error': error, 'oldest': oldest,
                    'release': release + ', ' if release else '',
                    'minimum': releases.MINIMUM_SERVICE_VERSION})
    return None if _tuple(oldest) >= _tuple(newest) else oldest
