"""Moves in flight: per migration, the instance it moves, the operation,
the source it holds and the RequestSpec to restore on a revert.

Revision ID: l21a0001
Revises: r21a0001
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = 'l21a0001'
down_revision = 'r21a0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'moves',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('migration_uuid', sa.String(36), nullable=False),
        sa.Column('instance_uuid', sa.String(36), nullable=False),
        sa.Column('operation', sa.String(32), nullable=False),
        sa.Column('source_host', sa.String(255), nullable=True),
        sa.Column('source_node', sa.String(255), nullable=True),
        sa.Column('dest_host', sa.String(255), nullable=True),
        sa.Column('dest_node', sa.String(255), nullable=True),
        sa.Column('spec', sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql'),
                  nullable=True),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.UniqueConstraint('migration_uuid',
                            name='uniq_moves0migration_uuid'))
    op.create_index('moves_instance_idx', 'moves', ['instance_uuid'])
