"""gantt-status: pre-upgrade checks (``gantt-status upgrade check``)."""

import sys

# First: gantt.rpc silences eventlet's deprecation notices and picks
# oslo.service's threading backend before oslo.messaging is imported.
from gantt import rpc  # noqa: F401,I100

from oslo_config import cfg  # noqa: E402
from oslo_upgradecheck import upgradecheck  # noqa: E402

from gantt import conf as gantt_conf  # noqa: E402


class Checks(upgradecheck.UpgradeCommands):
    """Checks an operator runs before starting upgraded schedulers."""

    def __init__(self, conf):
        self.conf = conf

    def _check_database_at_head(self):
        from gantt.db import migration
        try:
            current = migration.current(self.conf)
        except Exception as exc:
            return upgradecheck.Result(
                upgradecheck.Code.FAILURE,
                'Cannot read the database revision: %s' % exc)
        head = migration.head()
        if current != head:
            return upgradecheck.Result(
                upgradecheck.Code.FAILURE,
                'Database at revision %s, not at head %s. Run '
                '"gantt-manage db sync".' % (current, head))
        return upgradecheck.Result(upgradecheck.Code.SUCCESS,
                                   'Database at revision %s' % current)

    _upgrade_checks = (
        ('Database at head', _check_database_at_head),
    )


def main(argv=None):
    conf = gantt_conf.register_all(cfg.ConfigOpts())
    return upgradecheck.main(
        conf, project='gantt', upgrade_command=Checks(conf),
        argv=sys.argv[1:] if argv is None else argv)


if __name__ == '__main__':
    sys.exit(main())
