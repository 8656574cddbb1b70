"""Reservations: capacity held for a RequestSpec until a deadline.

Each reserved instance is a consumer whose allocation rows carry the
reservation's ``deadline``; past it the rows count as free in every fit
check (gantt.db.reservation) and are released by the next sweep.

Revision ID: r21a0001
Revises: h23b0002
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = 'r21a0001'
down_revision = 'h23b0002'
branch_labels = None
depends_on = None


# Microseconds kept on MySQL too (a plain DATETIME keeps whole seconds),
# as gantt.db.models.PreciseDateTime.
_DEADLINE = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql')


def upgrade():
    with op.batch_alter_table('allocations') as batch:
        batch.add_column(sa.Column('deadline', _DEADLINE, nullable=True))
    op.create_index('allocations_deadline_idx', 'allocations',
                    ['resource_provider_id', 'resource_class', 'deadline'])
    op.create_table(
        'reservations',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('project_id', sa.String(255), nullable=True),
        sa.Column('user_id', sa.String(255), nullable=True),
        sa.Column('flavor', sa.String(255), nullable=True),
        sa.Column('instances', sa.Integer, nullable=False),
        # [{"consumer": uuid, "host": h, "node": n, "consumed_by": uuid}]
        sa.Column('slots', sa.Text, nullable=False),
        sa.Column('deadline', _DEADLINE, nullable=False),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.UniqueConstraint('uuid', name='uniq_reservations0uuid'))
    op.create_index('reservations_deadline_idx', 'reservations',
                    ['deadline'])
