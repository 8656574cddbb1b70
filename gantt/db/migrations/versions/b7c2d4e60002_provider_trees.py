"""Provider trees: custom resource classes, traits, provider traits and
aggregates, and tombstones of removed providers.

Revision ID: b7c2d4e60002
Revises: a1d3e5f70001
Create Date: 2026-11-21
"""

from alembic import op
import sqlalchemy as sa

revision = 'b7c2d4e60002'
down_revision = 'a1d3e5f70001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'resource_classes',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('name', sa.String(255), nullable=False),
        sa.UniqueConstraint('name', name='uniq_resource_classes0name'))
    op.create_table(
        'traits',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('name', sa.String(255), nullable=False),
        sa.UniqueConstraint('name', name='uniq_traits0name'))
    op.create_table(
        'provider_traits',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('resource_provider_id', sa.Integer,
                  sa.ForeignKey('resource_providers.id'), nullable=False),
        sa.Column('trait_id', sa.Integer, sa.ForeignKey('traits.id'),
                  nullable=False),
        sa.UniqueConstraint('resource_provider_id', 'trait_id',
                            name='uniq_provider_traits0provider0trait'))
    op.create_index('provider_traits_trait_idx', 'provider_traits',
                    ['trait_id'])
    op.create_table(
        'provider_aggregates',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('resource_provider_id', sa.Integer,
                  sa.ForeignKey('resource_providers.id'), nullable=False),
        sa.Column('aggregate_uuid', sa.String(36), nullable=False),
        sa.UniqueConstraint('resource_provider_id', 'aggregate_uuid',
                            name='uniq_provider_aggregates0provider0agg'))
    op.create_index('provider_aggregates_agg_idx', 'provider_aggregates',
                    ['aggregate_uuid'])
    op.create_table(
        'provider_tombstones',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('change_seq', sa.BigInteger, nullable=False,
                  server_default='0'))
    op.create_index('provider_tombstones_change_seq_idx',
                    'provider_tombstones', ['change_seq'])
