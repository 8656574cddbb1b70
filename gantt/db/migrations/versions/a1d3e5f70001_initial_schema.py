"""Initial schema: change counter, services, hosts, providers, claims,
aggregates, instances and request specs.

Revision ID: a1d3e5f70001
Revises:
Create Date: 2026-11-21
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = 'a1d3e5f70001'
down_revision = None
branch_labels = None
depends_on = None


def _id():
    return sa.Column('id', sa.Integer, primary_key=True)


def _seq():
    return sa.Column('change_seq', sa.BigInteger, nullable=False,
                     server_default='0')


def _long_text():
    # MEDIUMTEXT on MySQL, whose TEXT holds 64 KiB only.
    return sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql')


def upgrade():
    counter = op.create_table(
        'change_seq',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=False),
        sa.Column('value', sa.BigInteger, nullable=False))
    op.bulk_insert(counter, [{'id': 1, 'value': 0}])

    op.create_table(
        'services', _id(),
        sa.Column('binary', sa.String(255), nullable=False),
        sa.Column('host', sa.String(255), nullable=False),
        sa.Column('version', sa.Integer),
        sa.Column('rpc_version', sa.String(32)),
        sa.Column('last_seen_up', sa.DateTime),
        _seq(),
        sa.UniqueConstraint('binary', 'host',
                            name='uniq_services0binary0host'))
    op.create_index('services_change_seq_idx', 'services', ['change_seq'])

    op.create_table(
        'compute_nodes', _id(),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('host', sa.String(255), nullable=False),
        sa.Column('hypervisor_hostname', sa.String(255), nullable=False),
        sa.Column('cell_uuid', sa.String(36)),
        sa.Column('report_seq', sa.BigInteger, nullable=False),
        sa.Column('data', _long_text(), nullable=False),
        sa.Column('last_seen_up', sa.DateTime),
        sa.Column('deleted', sa.Boolean, nullable=False),
        _seq(),
        sa.UniqueConstraint('uuid', name='uniq_compute_nodes0uuid'))
    op.create_index('compute_nodes_change_seq_idx', 'compute_nodes',
                    ['change_seq'])
    op.create_index('compute_nodes_host_idx', 'compute_nodes', ['host'])

    op.create_table(
        'resource_providers', _id(),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', sa.String(255)),
        sa.Column('root_provider_uuid', sa.String(36), nullable=False),
        sa.Column('parent_provider_uuid', sa.String(36)),
        sa.Column('generation', sa.Integer, nullable=False),
        _seq(),
        sa.UniqueConstraint('uuid', name='uniq_resource_providers0uuid'))
    op.create_index('resource_providers_change_seq_idx',
                    'resource_providers', ['change_seq'])
    op.create_index('resource_providers_root_idx', 'resource_providers',
                    ['root_provider_uuid'])

    op.create_table(
        'inventories', _id(),
        sa.Column('resource_provider_id', sa.Integer,
                  sa.ForeignKey('resource_providers.id'), nullable=False),
        sa.Column('resource_class', sa.String(255), nullable=False),
        sa.Column('total', sa.BigInteger, nullable=False),
        sa.Column('reserved', sa.BigInteger, nullable=False),
        sa.Column('min_unit', sa.BigInteger, nullable=False),
        sa.Column('max_unit', sa.BigInteger, nullable=False),
        sa.Column('step_size', sa.BigInteger, nullable=False),
        sa.Column('allocation_ratio', sa.Float, nullable=False),
        sa.Column('capacity', sa.BigInteger, nullable=False),
        sa.Column('used', sa.BigInteger, nullable=False),
        _seq(),
        sa.UniqueConstraint('resource_provider_id', 'resource_class',
                            name='uniq_inventories0provider0class'))
    op.create_index('inventories_change_seq_idx', 'inventories',
                    ['change_seq'])

    op.create_table(
        'consumers', _id(),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('project_id', sa.String(255)),
        sa.Column('user_id', sa.String(255)),
        sa.Column('generation', sa.Integer, nullable=False),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.Column('updated_at', sa.DateTime, nullable=False),
        sa.UniqueConstraint('uuid', name='uniq_consumers0uuid'))
    op.create_index('consumers_updated_at_idx', 'consumers', ['updated_at'])

    op.create_table(
        'allocations', _id(),
        sa.Column('consumer_id', sa.Integer, sa.ForeignKey('consumers.id'),
                  nullable=False),
        sa.Column('resource_provider_id', sa.Integer,
                  sa.ForeignKey('resource_providers.id'), nullable=False),
        sa.Column('resource_class', sa.String(255), nullable=False),
        sa.Column('used', sa.BigInteger, nullable=False),
        sa.UniqueConstraint('consumer_id', 'resource_provider_id',
                            'resource_class',
                            name='uniq_allocations0consumer0provider0class'))
    op.create_index('allocations_provider_class_idx', 'allocations',
                    ['resource_provider_id', 'resource_class'])

    op.create_table(
        'aggregates', _id(),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', sa.String(255)),
        sa.Column('metadata', sa.Text, nullable=False),
        sa.Column('deleted', sa.Boolean, nullable=False),
        _seq(),
        sa.UniqueConstraint('uuid', name='uniq_aggregates0uuid'))
    op.create_index('aggregates_change_seq_idx', 'aggregates',
                    ['change_seq'])

    op.create_table(
        'aggregate_hosts', _id(),
        sa.Column('aggregate_id', sa.Integer, sa.ForeignKey('aggregates.id'),
                  nullable=False),
        sa.Column('host', sa.String(255), nullable=False),
        sa.UniqueConstraint('aggregate_id', 'host',
                            name='uniq_aggregate_hosts0aggregate0host'))
    op.create_index('aggregate_hosts_host_idx', 'aggregate_hosts', ['host'])

    op.create_table(
        'instances', _id(),
        sa.Column('instance_uuid', sa.String(36), nullable=False),
        sa.Column('host', sa.String(255)),
        sa.Column('node', sa.String(255)),
        sa.Column('deleted', sa.Boolean, nullable=False),
        _seq(),
        sa.UniqueConstraint('instance_uuid', name='uniq_instances0uuid'))
    op.create_index('instances_change_seq_idx', 'instances', ['change_seq'])
    op.create_index('instances_host_idx', 'instances', ['host'])

    op.create_table(
        'request_specs', _id(),
        sa.Column('instance_uuid', sa.String(36), nullable=False),
        sa.Column('spec', _long_text(), nullable=False),
        sa.Column('updated_at', sa.DateTime),
        sa.UniqueConstraint('instance_uuid',
                            name='uniq_request_specs0instance_uuid'))
