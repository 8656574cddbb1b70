"""The [database] group: oslo.db's options with Gantt's defaults.

The options themselves belong to oslo.db (and show in the sample under its
namespace); this module registers them on a Gantt configuration object.
"""

from oslo_config import cfg

from gantt.conf import groups
from oslo_db import options as db_options

# Gantt's defaults for oslo.db's transaction retry options.
DB_RETRY_DEFAULTS = {'db_max_retries': 5, 'db_retry_interval': 1,
                     'db_inc_retry_interval': True,
                     'db_max_retry_interval': 2}

GROUP = cfg.OptGroup(
    'database',
    title='Database options',
    help='Where Gantt stores hosts, inventories, allocations and '
         'aggregates. Leave connection unset for an embedded SQLite file '
         'under state_path; set it to a PostgreSQL or MySQL URL when several '
         'scheduler hosts share one database.')


def register_opts(conf):
    # oslo.db registers its options in [database]; the group object here
    # only adds help text. No default connection: Gantt derives a SQLite
    # path from state_path when it is unset.
    groups.register_group(conf, GROUP)
    db_options.set_defaults(conf)
    # A write is retried whole on a deadlock or a lost connection. oslo.db
    # would try 20 times, up to 10 s apart: minutes before a conductor
    # hears that the database is gone. Gantt gives up after about 9 s
    # (1 + 2 + 2 + 2 + 2) and answers ServiceUnavailable; the caller
    # retries later. [database] db_max_retries and friends override.
    for name, value in DB_RETRY_DEFAULTS.items():
        conf.set_default(name, value, group='database')


def list_opts():
    # Listed under the oslo.db namespace by the generator; nothing of
    # Gantt's own lives in this group.
    return {GROUP: []}
