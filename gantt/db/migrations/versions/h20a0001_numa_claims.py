"""NUMA claims: pinned pCPUs, huge pages and PCI devices held by consumers.

Revision ID: h20a0001
Revises: h19a0002
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa

revision = 'h20a0001'
down_revision = 'h19a0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'numa_claims',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('consumer_uuid', sa.String(36), nullable=False),
        sa.Column('node_uuid', sa.String(36), nullable=False),
        sa.Column('kind', sa.String(8), nullable=False),
        sa.Column('cell', sa.Integer, nullable=True),
        sa.Column('item', sa.String(96), nullable=False),
        sa.Column('amount', sa.BigInteger, nullable=False),
        sa.Column('change_seq', sa.BigInteger, nullable=False,
                  server_default='0'),
        sa.UniqueConstraint('node_uuid', 'kind', 'item',
                            name='uniq_numa_claims0node0kind0item'))
    op.create_index('numa_claims_consumer_idx', 'numa_claims',
                    ['consumer_uuid'])
    op.create_index('numa_claims_change_seq_idx', 'numa_claims',
                    ['change_seq'])
