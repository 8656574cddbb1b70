"""gantt-scheduler: the scheduler daemon (``--config-file gantt.conf``)."""

import sys

# First: gantt.rpc silences eventlet's deprecation notices and picks
# oslo.service's threading backend before oslo.messaging is imported.
from gantt import rpc  # noqa: F401,I100

from oslo_log import log as logging  # noqa: E402

from gantt import conf as gantt_conf  # noqa: E402
from gantt import service  # noqa: E402


def main(argv=None):
    conf = gantt_conf.build_conf(
        sys.argv[1:] if argv is None else argv,
        default_config_files=None)
    logging.setup(conf, 'gantt')
    return service.launch(conf)


if __name__ == '__main__':
    sys.exit(main())
