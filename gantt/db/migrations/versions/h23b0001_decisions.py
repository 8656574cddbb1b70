"""Decisions: the selections answered for each claimed instance, so that a
conductor asking again after a lost reply gets the same decision.

Revision ID: h23b0001
Revises: h20a0001
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa

revision = 'h23b0001'
down_revision = 'h20a0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'decisions',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('instance_uuid', sa.String(36), nullable=False),
        sa.Column('request_digest', sa.String(64), nullable=False),
        sa.Column('selections', sa.Text, nullable=False),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.UniqueConstraint('instance_uuid',
                            name='uniq_decisions0instance_uuid'))
