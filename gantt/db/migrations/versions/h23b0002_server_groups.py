"""Server groups held by Gantt: the group with its policy and rules, and
its members with the host each was claimed on.

Revision ID: h23b0002
Revises: h23b0001
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa

revision = 'h23b0002'
down_revision = 'h23b0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'server_groups',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', sa.String(255), nullable=True),
        sa.Column('policy', sa.String(32), nullable=False),
        sa.Column('rules', sa.Text, nullable=False),
        sa.Column('project_id', sa.String(255), nullable=True),
        sa.Column('user_id', sa.String(255), nullable=True),
        sa.Column('generation', sa.Integer, nullable=False),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.Column('updated_at', sa.DateTime, nullable=False),
        sa.UniqueConstraint('uuid', name='uniq_server_groups0uuid'))
    op.create_table(
        'server_group_members',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('group_id', sa.Integer, sa.ForeignKey('server_groups.id'),
                  nullable=False),
        sa.Column('instance_uuid', sa.String(36), nullable=False),
        sa.Column('host', sa.String(255), nullable=True),
        sa.Column('node', sa.String(255), nullable=True),
        sa.UniqueConstraint('group_id', 'instance_uuid',
                            name='uniq_server_group_members0group0instance'))
    op.create_index('server_group_members_instance_idx',
                    'server_group_members', ['instance_uuid'])
