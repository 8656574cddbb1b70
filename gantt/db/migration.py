"""Schema migrations, driven through alembic's API (no alembic.ini needed).

``upgrade(conf)`` brings the database ``conf`` names to the newest schema;
``current(conf)`` says which revision it is at (None when empty).
"""

import os

from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration

from gantt.db import api

MIGRATIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          'migrations')


def _alembic_config(connection=None):
    config = alembic_config.Config()
    config.set_main_option('script_location', MIGRATIONS)
    config.attributes['connection'] = connection
    return config


def upgrade(conf, revision='head', database=None):
    """Upgrade the schema to ``revision``; returns the revision reached."""
    database = database or api.Database(conf)
    with database.engine.begin() as connection:
        command.upgrade(_alembic_config(connection), revision)
    return current(conf, database=database)


def current(conf, database=None):
    """The database's revision, or None when no migration has run."""
    database = database or api.Database(conf)
    with database.engine.connect() as connection:
        return alembic_migration.MigrationContext.configure(
            connection).get_current_revision()


def head():
    """The newest revision the code knows."""
    from alembic import script
    return script.ScriptDirectory.from_config(
        _alembic_config()).get_current_head()
