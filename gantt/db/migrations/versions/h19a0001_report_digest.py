"""Compute nodes keep a digest of their last report's facts, so a report
that changes nothing is recognised without reading the stored report.

Revision ID: h19a0001
Revises: b7c2d4e60002
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa

revision = 'h19a0001'
down_revision = 'b7c2d4e60002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('compute_nodes') as batch:
        batch.add_column(sa.Column('report_digest', sa.String(64),
                                   nullable=True))


def downgrade():
    with op.batch_alter_table('compute_nodes') as batch:
        batch.drop_column('report_digest')
