"""gantt-status: pre-upgrade checks (``gantt-status upgrade check``) and
liveness (``gantt-status health``, in gantt.cmd.health).

Before starting upgraded schedulers: the database is at head, no service
registered in it is older than this code still supports, and the
``[upgrade_levels]`` caps mean something this code can honour.
"""

import sys

# First: gantt.rpc silences eventlet's deprecation notices and picks
# oslo.service's threading backend before oslo.messaging is imported.
from gantt import rpc  # noqa: F401,I100

from oslo_config import cfg  # noqa: E402
from oslo_upgradecheck import upgradecheck  # noqa: E402
from oslo_utils import versionutils  # noqa: E402

from gantt import conf as gantt_conf  # noqa: E402
from gantt import exception  # noqa: E402
from gantt.rpcapi import object_versions  # noqa: E402
from gantt.rpcapi import releases  # noqa: E402
from gantt.rpcapi import version_cap  # noqa: E402

Code = upgradecheck.Code
Result = upgradecheck.Result


def _tuple(version):
    return versionutils.convert_version_to_tuple(version)


class Checks(upgradecheck.UpgradeCommands):
    """Checks an operator runs before starting upgraded schedulers.

    ``db`` (a gantt.db.api.Database) is opened from ``conf`` when not
    given.
    """

    def __init__(self, conf, db=None):
        self.conf = conf
        self._db = db

    @property
    def db(self):
        if self._db is None:
            from gantt.db import api as db_api
            self._db = db_api.Database(self.conf)
        return self._db

    def _check_database_at_head(self):
        from gantt.db import migration
        try:
            current = migration.current(self.conf, database=self.db)
        except Exception as exc:
            return Result(Code.FAILURE,
                          'Cannot read the database revision: %s' % exc)
        head = migration.head()
        if current != head:
            return Result(Code.FAILURE,
                          'Database at revision %s, not at head %s. Run '
                          '"gantt-manage db sync".' % (current, head))
        return Result(Code.SUCCESS, 'Database at revision %s' % current)

    def _services(self):
        return self.db.get_services()

    def _check_service_versions(self):
        try:
            services = self._services()
        except Exception as exc:
            return Result(Code.FAILURE,
                          'Cannot read the registered services: %s' % exc)
        minimum = releases.MINIMUM_SERVICE_VERSION
        too_old, wrong_major = [], []
        for service in services:
            name = '%s on %s' % (service['binary'], service['host'])
            version = service.get('version')
            if version is not None and 0 < version < minimum:
                too_old.append('%s (service version %s)' % (name, version))
            rpc_version = service.get('rpc_version')
            if rpc_version:
                api = (releases.SCHEDULER
                       if service['binary'] == version_cap.SERVER_BINARY
                       else releases.REPORT)
                newest = object_versions.newest(api)
                try:
                    major = _tuple(rpc_version)[0]
                except (ValueError, TypeError, AttributeError):
                    major = None
                if major != _tuple(newest)[0]:
                    wrong_major.append('%s (%s API %s, this code speaks '
                                       '%s)' % (name, api, rpc_version,
                                                newest))
        problems = []
        if too_old:
            problems.append(
                'registered below the minimum supported service version '
                '%d: %s. Upgrade them first, or, if they are gone, '
                'remove their records with "gantt-manage service delete '
                'BINARY HOST".' % (minimum, ', '.join(too_old)))
        if wrong_major:
            problems.append('registered with an RPC version this code '
                            'cannot talk to: %s.' % ', '.join(wrong_major))
        if problems:
            return Result(Code.FAILURE, ' '.join(problems))
        return Result(Code.SUCCESS, '%d registered service(s), none below '
                      'service version %d' % (len(services), minimum))

    def _check_version_pins(self):
        failures, warnings, notes = [], [], []
        for api in releases.APIS:
            value = getattr(self.conf.upgrade_levels, api)
            newest = object_versions.newest(api)
            if value is None or not value.strip():
                continue
            value = value.strip()
            version = releases.aliases(api).get(value, value)
            if value != version_cap.AUTO:
                try:
                    parsed = _tuple(version)
                except (ValueError, TypeError, AttributeError):
                    parsed = None
                if parsed and len(parsed) == 2 and parsed > _tuple(newest):
                    failures.append(
                        '[upgrade_levels] %s = %s is above %s, the newest '
                        'version this code knows' % (api, value, newest))
                    continue
            try:
                cap = version_cap.parse(value, api, newest,
                                        releases.aliases(api))
            except exception.UnsupportedVersion as exc:
                failures.append(str(exc))
                continue
            if cap == version_cap.AUTO:
                try:
                    rows = [s for s in self._services()
                            if s['binary'] == version_cap.SERVER_BINARY]
                except Exception as exc:
                    warnings.append(
                        '[upgrade_levels] %s = auto, but the services '
                        'cannot be read: %s; clients send up to %s, the '
                        'oldest supported release\'s version' % (
                            api, exc, releases.oldest_supported(api)))
                    continue
                lowest = version_cap.lowest_registered(api, rows, newest)
                if lowest is None:
                    warnings.append('[upgrade_levels] %s = auto, but no '
                                    'scheduler is registered: clients send '
                                    'up to %s' % (api, newest))
                else:
                    notes.append('%s = auto (now %s)' % (api, lowest))
            else:
                notes.append('%s = %s' % (api, cap))
        if failures:
            return Result(Code.FAILURE, '; '.join(failures))
        if warnings:
            return Result(Code.WARNING, '; '.join(warnings))
        return Result(Code.SUCCESS, 'Version pins: %s' % (
            ', '.join(notes) or 'none (clients send the newest)'))

    _upgrade_checks = (
        ('Database at head', _check_database_at_head),
        ('Service versions', _check_service_versions),
        ('RPC version pins', _check_version_pins),
    )


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ['health']:
        from gantt.cmd import health
        return health.main(argv[1:])
    conf = gantt_conf.register_all(cfg.ConfigOpts())
    return upgradecheck.main(
        conf, project='gantt', upgrade_command=Checks(conf), argv=argv)


if __name__ == '__main__':
    sys.exit(main())
