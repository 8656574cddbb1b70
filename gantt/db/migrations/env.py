"""Alembic environment: runs on the connection gantt.db.migration passes."""

from alembic import context
import sqlalchemy as sa

from gantt.db import models

config = context.config
target_metadata = models.Base.metadata


def _run(connection):
    context.configure(
        connection=connection, target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == 'sqlite')
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connection = config.attributes.get('connection')
    if connection is not None:
        _run(connection)
        return
    # Plain `alembic` command line use: the URL comes from its config.
    engine = sa.create_engine(config.get_main_option('sqlalchemy.url'))
    with engine.begin() as connection:
        _run(connection)


if context.is_offline_mode():
    raise SystemExit('Gantt migrations run online only '
                     '(gantt-manage db sync).')
run_migrations_online()
