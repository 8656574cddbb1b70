"""A real store for tests: a migrated SQLite file (or PostgreSQL schema,
or MySQL database).

``DatabaseFixture()`` gives a fresh SQLite file in a temporary directory;
``DatabaseFixture(postgres_url)`` a fresh schema in that PostgreSQL
database, ``DatabaseFixture(mysql_url=url)`` a fresh database on that
MySQL server, dropped afterwards, so parallel test workers never meet.
"""

import uuid as uuid_lib

import fixtures
import sqlalchemy as sa
import testtools

from gantt.db import api
from gantt.db import migration
from gantt import objects

PROJECT = 'project-a'
USER = 'user-a'


def make_conf(state_path, connection=None):
    """A parsed Gantt conf with its state under ``state_path``."""
    from gantt.conf import build_conf
    conf = build_conf()
    conf.set_override('state_path', state_path)
    if connection:
        conf.set_override('connection', connection, group='database')
    return conf


def _with_search_path(url, schema):
    joiner = '&' if '?' in url else '?'
    return '%s%soptions=-csearch_path%%3D%s' % (url, joiner, schema)


def fresh_mysql_database(test, server_url, prefix='gantt_test_'):
    """Create a database of its own on the MySQL server ``server_url``
    names (its user may create ``gantt%`` databases), dropped when
    ``test`` (a fixture or test case) cleans up; the URL that opens it."""
    url = sa.engine.make_url(server_url)
    name = '%s%s' % (prefix, uuid_lib.uuid4().hex[:12])
    admin = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql('CREATE DATABASE %s CHARACTER SET utf8mb4' % name)

    def drop():
        with admin.begin() as conn:
            conn.exec_driver_sql('DROP DATABASE %s' % name)
        admin.dispose()
    test.addCleanup(drop)
    return url.set(database=name).render_as_string(hide_password=False)


class DatabaseFixture(fixtures.Fixture):
    """A Database migrated to head; ``.db``, ``.conf``, ``.url``."""

    def __init__(self, postgres_url=None, mysql_url=None):
        super().__init__()
        self.postgres_url = postgres_url
        self.mysql_url = mysql_url

    def _setUp(self):
        self.state_path = self.useFixture(fixtures.TempDir()).path
        connection = None
        if self.postgres_url:
            schema = 'gantt_test_%s' % uuid_lib.uuid4().hex[:12]
            admin = sa.create_engine(self.postgres_url)
            with admin.begin() as conn:
                conn.exec_driver_sql('CREATE SCHEMA %s' % schema)

            def drop():
                with admin.begin() as conn:
                    conn.exec_driver_sql('DROP SCHEMA %s CASCADE' % schema)
                admin.dispose()
            self.addCleanup(drop)
            connection = _with_search_path(self.postgres_url, schema)
        elif self.mysql_url:
            connection = fresh_mysql_database(self, self.mysql_url)
        self.conf = make_conf(self.state_path, connection)
        self.db = api.Database(self.conf)
        self.addCleanup(self.db.dispose)
        self.url = self.db.url
        migration.upgrade(self.conf, database=self.db)


def make_node(uuid=None, host='host1', nodename=None, report_seq=1,
              vcpus=8, memory_mb=4096, local_gb=100, reserved_vcpus=0,
              reserved_memory_mb=0, reserved_disk_gb=0,
              cpu_allocation_ratio=1.0, ram_allocation_ratio=1.0,
              disk_allocation_ratio=1.0, cell_uuid=None):
    """A valid ComputeNode report."""
    objects.register_all()
    from gantt.objects import compute_node
    uuid = uuid or str(uuid_lib.uuid4())
    return compute_node.ComputeNode(
        uuid=uuid, host=host, hypervisor_hostname=nodename or host,
        cell_uuid=cell_uuid, report_seq=report_seq,
        resources=compute_node.ComputeResources(
            vcpus=vcpus, memory_mb=memory_mb, local_gb=local_gb,
            reserved_vcpus=reserved_vcpus,
            reserved_memory_mb=reserved_memory_mb,
            reserved_disk_gb=reserved_disk_gb,
            cpu_allocation_ratio=cpu_allocation_ratio,
            ram_allocation_ratio=ram_allocation_ratio,
            disk_allocation_ratio=disk_allocation_ratio),
        service=compute_node.ServiceStatus(binary='gantt-compute',
                                           disabled=False, version=1))


def alloc_req(rp_uuid, **resources):
    """A placement-shaped allocation request on one provider."""
    return {'allocations': {rp_uuid: {'resources': resources}},
            'mappings': {'': [rp_uuid]}}


class StoreTestCase(testtools.TestCase):
    """A test with a fresh store; subclasses may set ``postgres_url`` or
    ``mysql_url``."""

    postgres_url = None
    mysql_url = None

    def setUp(self):
        super().setUp()
        fixture = self.useFixture(DatabaseFixture(self.postgres_url,
                                                  self.mysql_url))
        self.conf = fixture.conf
        self.db = fixture.db

    def add_node(self, **kwargs):
        node = make_node(**kwargs)
        self.assertTrue(self.db.save_compute_node(node))
        return node

    def inventory(self, rp_uuid, rc):
        """The inventory dict of one provider and class (from the feed)."""
        for inv in self.db.get_changes(0).inventories:
            if inv['provider_uuid'] == rp_uuid and inv['resource_class'] == rc:
                return inv
        return None

    def used(self, rp_uuid, rc):
        return self.inventory(rp_uuid, rc)['used']

    def set_inventory(self, rp_uuid, rc, **values):
        """Change inventory figures directly (min_unit, step_size, ...)."""
        from gantt.db import models
        inv = models.Inventory.__table__
        rp = models.ResourceProvider.__table__
        with self.db.writer() as session:
            rp_id = session.execute(sa.select(rp.c.id).where(
                rp.c.uuid == rp_uuid)).scalar_one()
            session.execute(sa.update(inv)
                            .where(inv.c.resource_provider_id == rp_id)
                            .where(inv.c.resource_class == rc)
                            .values(**values))

    def count(self, table):
        with self.db.reader() as session:
            return session.execute(
                sa.select(sa.func.count()).select_from(
                    sa.table(table))).scalar_one()
