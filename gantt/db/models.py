"""Gantt's tables, declared with SQLAlchemy 2 (the migrations create them).

Every table a scheduler worker caches carries a ``change_seq`` column: the
change sequence value (gantt.db.change_seq) of the transaction that last
wrote the row. JSON payloads are stored as text so that SQLite, PostgreSQL
and MySQL all read them the same way.
"""

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy import orm

# A JSON document that may outgrow MySQL's TEXT (64 KiB): a report with
# many PCI devices or NUMA cells, a request spec with many hints.
LongText = sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql')

# A time compared with the present to the microsecond (reservation
# deadlines): MySQL keeps whole seconds in a plain DATETIME and rounds, so a
# deadline could be stored up to half a second late; DATETIME(6) there.
PreciseDateTime = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql')


class Base(orm.DeclarativeBase):
    pass


def _seq():
    return orm.mapped_column(sa.BigInteger, nullable=False, default=0,
                             server_default='0')


class ChangeSeq(Base):
    """The one-row change counter every write transaction bumps where the
    dialect has no sequence (SQLite, MySQL); see gantt.db.change_seq."""
    __tablename__ = 'change_seq'
    id = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    value = orm.mapped_column(sa.BigInteger, nullable=False, default=0)


class Service(Base):
    __tablename__ = 'services'
    __table_args__ = (
        sa.UniqueConstraint('binary', 'host',
                            name='uniq_services0binary0host'),
        sa.Index('services_change_seq_idx', 'change_seq'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    binary = orm.mapped_column(sa.String(255), nullable=False)
    host = orm.mapped_column(sa.String(255), nullable=False)
    version = orm.mapped_column(sa.Integer, nullable=True)
    rpc_version = orm.mapped_column(sa.String(32), nullable=True)
    last_seen_up = orm.mapped_column(sa.DateTime, nullable=True)
    change_seq = _seq()


class ComputeNode(Base):
    __tablename__ = 'compute_nodes'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_compute_nodes0uuid'),
        sa.Index('compute_nodes_change_seq_idx', 'change_seq'),
        sa.Index('compute_nodes_host_idx', 'host'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    uuid = orm.mapped_column(sa.String(36), nullable=False)
    host = orm.mapped_column(sa.String(255), nullable=False)
    hypervisor_hostname = orm.mapped_column(sa.String(255), nullable=False)
    cell_uuid = orm.mapped_column(sa.String(36), nullable=True)
    report_seq = orm.mapped_column(sa.BigInteger, nullable=False, default=0)
    # The whole ComputeNode primitive (obj_to_primitive) as JSON.
    data = orm.mapped_column(LongText, nullable=False)
    # Digest of the report's facts (gantt.db.report_batch.digest): a
    # report with the same digest changes nothing but liveness.
    report_digest = orm.mapped_column(sa.String(64), nullable=True)
    last_seen_up = orm.mapped_column(sa.DateTime, nullable=True)
    deleted = orm.mapped_column(sa.Boolean, nullable=False, default=False)
    change_seq = _seq()


class ResourceProvider(Base):
    __tablename__ = 'resource_providers'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_resource_providers0uuid'),
        sa.Index('resource_providers_change_seq_idx', 'change_seq'),
        sa.Index('resource_providers_root_idx', 'root_provider_uuid'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    uuid = orm.mapped_column(sa.String(36), nullable=False)
    name = orm.mapped_column(sa.String(255), nullable=True)
    root_provider_uuid = orm.mapped_column(sa.String(36), nullable=False)
    parent_provider_uuid = orm.mapped_column(sa.String(36), nullable=True)
    generation = orm.mapped_column(sa.Integer, nullable=False, default=0)
    change_seq = _seq()


class Inventory(Base):
    """What a provider offers of one resource class, and how much is used.

    ``capacity`` is derived, floor((total - reserved) * allocation_ratio),
    and kept beside the figures so a claim is one conditional UPDATE.
    """
    __tablename__ = 'inventories'
    __table_args__ = (
        sa.UniqueConstraint('resource_provider_id', 'resource_class',
                            name='uniq_inventories0provider0class'),
        sa.Index('inventories_change_seq_idx', 'change_seq'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    resource_provider_id = orm.mapped_column(
        sa.Integer, sa.ForeignKey('resource_providers.id'), nullable=False)
    resource_class = orm.mapped_column(sa.String(255), nullable=False)
    total = orm.mapped_column(sa.BigInteger, nullable=False)
    reserved = orm.mapped_column(sa.BigInteger, nullable=False, default=0)
    min_unit = orm.mapped_column(sa.BigInteger, nullable=False, default=1)
    max_unit = orm.mapped_column(sa.BigInteger, nullable=False)
    step_size = orm.mapped_column(sa.BigInteger, nullable=False, default=1)
    allocation_ratio = orm.mapped_column(sa.Float, nullable=False,
                                         default=1.0)
    capacity = orm.mapped_column(sa.BigInteger, nullable=False)
    used = orm.mapped_column(sa.BigInteger, nullable=False, default=0)
    change_seq = _seq()


class Consumer(Base):
    __tablename__ = 'consumers'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_consumers0uuid'),
        sa.Index('consumers_updated_at_idx', 'updated_at'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    uuid = orm.mapped_column(sa.String(36), nullable=False)
    project_id = orm.mapped_column(sa.String(255), nullable=True)
    user_id = orm.mapped_column(sa.String(255), nullable=True)
    generation = orm.mapped_column(sa.Integer, nullable=False, default=0)
    created_at = orm.mapped_column(sa.DateTime, nullable=False)
    updated_at = orm.mapped_column(sa.DateTime, nullable=False)


class Allocation(Base):
    __tablename__ = 'allocations'
    __table_args__ = (
        sa.UniqueConstraint('consumer_id', 'resource_provider_id',
                            'resource_class',
                            name='uniq_allocations0consumer0provider0class'),
        sa.Index('allocations_provider_class_idx', 'resource_provider_id',
                 'resource_class'),
        sa.Index('allocations_deadline_idx', 'resource_provider_id',
                 'resource_class', 'deadline'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    consumer_id = orm.mapped_column(
        sa.Integer, sa.ForeignKey('consumers.id'), nullable=False)
    resource_provider_id = orm.mapped_column(
        sa.Integer, sa.ForeignKey('resource_providers.id'), nullable=False)
    resource_class = orm.mapped_column(sa.String(255), nullable=False)
    used = orm.mapped_column(sa.BigInteger, nullable=False)
    # Set on a reservation's rows (gantt.db.reservation): past it they
    # count as free, whether or not a sweep has removed them yet.
    deadline = orm.mapped_column(PreciseDateTime, nullable=True)


class Aggregate(Base):
    __tablename__ = 'aggregates'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_aggregates0uuid'),
        sa.Index('aggregates_change_seq_idx', 'change_seq'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    uuid = orm.mapped_column(sa.String(36), nullable=False)
    name = orm.mapped_column(sa.String(255), nullable=True)
    # 'metadata' is reserved by declarative classes; the column keeps it.
    metadata_ = orm.mapped_column('metadata', sa.Text, nullable=False,
                                  default='{}')
    deleted = orm.mapped_column(sa.Boolean, nullable=False, default=False)
    change_seq = _seq()


class AggregateHost(Base):
    __tablename__ = 'aggregate_hosts'
    __table_args__ = (
        sa.UniqueConstraint('aggregate_id', 'host',
                            name='uniq_aggregate_hosts0aggregate0host'),
        sa.Index('aggregate_hosts_host_idx', 'host'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    aggregate_id = orm.mapped_column(
        sa.Integer, sa.ForeignKey('aggregates.id'), nullable=False)
    host = orm.mapped_column(sa.String(255), nullable=False)


class Instance(Base):
    __tablename__ = 'instances'
    __table_args__ = (
        sa.UniqueConstraint('instance_uuid', name='uniq_instances0uuid'),
        sa.Index('instances_change_seq_idx', 'change_seq'),
        sa.Index('instances_host_idx', 'host'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    instance_uuid = orm.mapped_column(sa.String(36), nullable=False)
    host = orm.mapped_column(sa.String(255), nullable=True)
    node = orm.mapped_column(sa.String(255), nullable=True)
    deleted = orm.mapped_column(sa.Boolean, nullable=False, default=False)
    change_seq = _seq()


class RequestSpec(Base):
    __tablename__ = 'request_specs'
    __table_args__ = (
        sa.UniqueConstraint('instance_uuid',
                            name='uniq_request_specs0instance_uuid'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    instance_uuid = orm.mapped_column(sa.String(36), nullable=False)
    # The RequestSpec primitive as JSON.
    spec = orm.mapped_column(LongText, nullable=False)
    updated_at = orm.mapped_column(sa.DateTime, nullable=True)


class Decision(Base):
    """The selections a select_destinations call answered for one claimed
    instance (its primary, then alternates, as Selection primitives in
    JSON), kept while the claim stands so that the same call asked again
    gets the same answer (gantt.decisions)."""
    __tablename__ = 'decisions'
    __table_args__ = (
        sa.UniqueConstraint('instance_uuid',
                            name='uniq_decisions0instance_uuid'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    instance_uuid = orm.mapped_column(sa.String(36), nullable=False)
    # gantt.decisions.digest of the request and its instance uuids.
    request_digest = orm.mapped_column(sa.String(64), nullable=False)
    selections = orm.mapped_column(sa.Text, nullable=False)
    created_at = orm.mapped_column(sa.DateTime, nullable=False)


class ServerGroup(Base):
    """A server group Gantt holds: its policy is checked in every claim of
    a member (gantt.db.server_group)."""
    __tablename__ = 'server_groups'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_server_groups0uuid'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    uuid = orm.mapped_column(sa.String(36), nullable=False)
    name = orm.mapped_column(sa.String(255), nullable=True)
    policy = orm.mapped_column(sa.String(32), nullable=False)
    # {"max_server_per_host": n} as JSON.
    rules = orm.mapped_column(sa.Text, nullable=False)
    project_id = orm.mapped_column(sa.String(255), nullable=True)
    user_id = orm.mapped_column(sa.String(255), nullable=True)
    # Moved on by every claim of a member: the row lock that serialises
    # the group's claims.
    generation = orm.mapped_column(sa.Integer, nullable=False)
    created_at = orm.mapped_column(sa.DateTime, nullable=False)
    updated_at = orm.mapped_column(sa.DateTime, nullable=False)


class ServerGroupMember(Base):
    __tablename__ = 'server_group_members'
    __table_args__ = (
        sa.UniqueConstraint('group_id', 'instance_uuid',
                            name='uniq_server_group_members0group0instance'),
        sa.Index('server_group_members_instance_idx', 'instance_uuid'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    group_id = orm.mapped_column(
        sa.Integer, sa.ForeignKey('server_groups.id'), nullable=False)
    instance_uuid = orm.mapped_column(sa.String(36), nullable=False)
    host = orm.mapped_column(sa.String(255), nullable=True)
    node = orm.mapped_column(sa.String(255), nullable=True)


class Move(Base):
    """A move in flight: the migration consumer holding the source, the
    instance it moves, and the RequestSpec a revert restores."""
    __tablename__ = 'moves'
    __table_args__ = (
        sa.UniqueConstraint('migration_uuid',
                            name='uniq_moves0migration_uuid'),
        sa.Index('moves_instance_idx', 'instance_uuid'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    migration_uuid = orm.mapped_column(sa.String(36), nullable=False)
    instance_uuid = orm.mapped_column(sa.String(36), nullable=False)
    operation = orm.mapped_column(sa.String(32), nullable=False)
    source_host = orm.mapped_column(sa.String(255), nullable=True)
    source_node = orm.mapped_column(sa.String(255), nullable=True)
    dest_host = orm.mapped_column(sa.String(255), nullable=True)
    dest_node = orm.mapped_column(sa.String(255), nullable=True)
    # The instance's RequestSpec primitive (JSON) from before the move.
    spec = orm.mapped_column(LongText, nullable=True)
    created_at = orm.mapped_column(sa.DateTime, nullable=False)


class Reservation(Base):
    """Capacity held for a RequestSpec until ``deadline``: one consumer per
    reserved instance (its claim rows carry the deadline), until a
    select_destinations naming the reservation takes the slots over
    (gantt.db.reservation)."""
    __tablename__ = 'reservations'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_reservations0uuid'),
        sa.Index('reservations_deadline_idx', 'deadline'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    uuid = orm.mapped_column(sa.String(36), nullable=False)
    project_id = orm.mapped_column(sa.String(255), nullable=True)
    user_id = orm.mapped_column(sa.String(255), nullable=True)
    flavor = orm.mapped_column(sa.String(255), nullable=True)
    instances = orm.mapped_column(sa.Integer, nullable=False)
    # [{"consumer": uuid, "host": h, "node": n, "consumed_by": uuid}]
    slots = orm.mapped_column(sa.Text, nullable=False)
    deadline = orm.mapped_column(PreciseDateTime, nullable=False)
    created_at = orm.mapped_column(sa.DateTime, nullable=False)


class ResourceClass(Base):
    """A custom resource class, recorded on first use (standard ones are
    os-resource-classes', gantt.resource_classes.STANDARD)."""
    __tablename__ = 'resource_classes'
    __table_args__ = (
        sa.UniqueConstraint('name', name='uniq_resource_classes0name'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    name = orm.mapped_column(sa.String(255), nullable=False)


class Trait(Base):
    __tablename__ = 'traits'
    __table_args__ = (
        sa.UniqueConstraint('name', name='uniq_traits0name'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    name = orm.mapped_column(sa.String(255), nullable=False)


class ProviderTrait(Base):
    __tablename__ = 'provider_traits'
    __table_args__ = (
        sa.UniqueConstraint('resource_provider_id', 'trait_id',
                            name='uniq_provider_traits0provider0trait'),
        sa.Index('provider_traits_trait_idx', 'trait_id'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    resource_provider_id = orm.mapped_column(
        sa.Integer, sa.ForeignKey('resource_providers.id'), nullable=False)
    trait_id = orm.mapped_column(sa.Integer, sa.ForeignKey('traits.id'),
                                 nullable=False)


class ProviderAggregate(Base):
    """A provider's membership of an aggregate (by aggregate uuid)."""
    __tablename__ = 'provider_aggregates'
    __table_args__ = (
        sa.UniqueConstraint('resource_provider_id', 'aggregate_uuid',
                            name='uniq_provider_aggregates0provider0agg'),
        sa.Index('provider_aggregates_agg_idx', 'aggregate_uuid'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    resource_provider_id = orm.mapped_column(
        sa.Integer, sa.ForeignKey('resource_providers.id'), nullable=False)
    aggregate_uuid = orm.mapped_column(sa.String(36), nullable=False)


class ProviderTombstone(Base):
    """A removed provider, so workers learn of the removal."""
    __tablename__ = 'provider_tombstones'
    __table_args__ = (
        sa.Index('provider_tombstones_change_seq_idx', 'change_seq'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    uuid = orm.mapped_column(sa.String(36), nullable=False)
    change_seq = _seq()


class NumaClaim(Base):
    """One NUMA resource a consumer holds on a node: a pinned pCPU (kind
    ``pcpu``, item the CPU number), a PCI device (``pci``, its address) or
    huge pages (``pages``, item ``<size_kb>@<consumer>``, amount pages).

    The unique (node, kind, item) index is what stops two claims taking
    one pCPU or device; page claims are conditional inserts
    (gantt.db.numa_claim).
    """
    __tablename__ = 'numa_claims'
    __table_args__ = (
        sa.UniqueConstraint('node_uuid', 'kind', 'item',
                            name='uniq_numa_claims0node0kind0item'),
        sa.Index('numa_claims_consumer_idx', 'consumer_uuid'),
        sa.Index('numa_claims_change_seq_idx', 'change_seq'),
    )
    id = orm.mapped_column(sa.Integer, primary_key=True)
    consumer_uuid = orm.mapped_column(sa.String(36), nullable=False)
    node_uuid = orm.mapped_column(sa.String(36), nullable=False)
    kind = orm.mapped_column(sa.String(8), nullable=False)
    cell = orm.mapped_column(sa.Integer, nullable=True)
    item = orm.mapped_column(sa.String(96), nullable=False)
    amount = orm.mapped_column(sa.BigInteger, nullable=False, default=1)
    change_seq = _seq()
