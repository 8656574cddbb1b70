"""PostgreSQL stamps changes from a sequence instead of the counter row,
so concurrent writers no longer queue on one row (gantt.db.change_seq).
Other dialects keep the counter.

Revision ID: h19a0002
Revises: h19a0001
Create Date: 2026-12-03
"""

from alembic import op

from gantt.db import change_seq

revision = 'h19a0002'
down_revision = 'h19a0001'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if change_seq.uses_sequence(bind.dialect):
        change_seq.create_postgresql_objects(bind)


def downgrade():
    bind = op.get_bind()
    if change_seq.uses_sequence(bind.dialect):
        change_seq.drop_postgresql_objects(bind)
