"""The Database: Gantt's one entry point to its store.

It owns a private oslo.db transaction context configured from the ``conf``
it is given (an embedded SQLite file under ``state_path`` unless
``[database] connection`` names a shared PostgreSQL or MySQL database).
Every statement runs on a connection of that context's engine, so oslo.db
translates driver errors (DBDeadlock, DBConnectionError, ...), and every
write entry point runs its whole transaction again on a deadlock or a lost
connection (``[database] db_max_retries`` and the db_*retry_interval
options). Every write transaction first takes a change sequence value
(gantt.db.change_seq); a reader that has seen the horizon H has seen every
row stamped <= H.
"""

import contextlib
import os
import threading
import time

from oslo_db import api as oslo_db_api
from oslo_db import options as db_options
from oslo_db.sqlalchemy import enginefacade
import sqlalchemy as sa

from gantt.db import aggregate
from gantt.db import allocation
from gantt.db import audit
from gantt.db import change_seq
from gantt.db import changes
from gantt.db import claim_record
from gantt.db import claim_release
from gantt.db import compute_node
from gantt.db import decision
from gantt.db import instance
from gantt.db import move
from gantt.db import numa_claim
from gantt.db import provider
from gantt.db import report_batch
from gantt.db import request_spec
from gantt.db import reservation
from gantt.db import server_group
from gantt.db import service
from gantt.db import sqlite_lock
from gantt import exception

SQLITE_BUSY_TIMEOUT_MS = 30000
SQLITE_POOL_SIZE = 5
SQLITE_POOL_OVERFLOW = 20
# A server connection back in the pool for longer than this is pinged
# before it is handed out again (see _ping_when_idle).
PING_AFTER_IDLE_S = 1.0

# [database] options handed to the transaction context when set.
_FACADE_KEYS = (
    'slave_connection', 'sqlite_fk', 'mysql_sql_mode',
    'mysql_wsrep_sync_wait', 'connection_recycle_time', 'connection_debug',
    'max_pool_size', 'max_overflow', 'pool_timeout', 'sqlite_synchronous',
    'connection_trace', 'max_retries', 'retry_interval',
    'connection_parameters',
)


def _bump(conn):
    """A change sequence value for this write transaction (the counter
    row moved on, or the next PostgreSQL sequence value)."""
    return change_seq.next_value(conn)


class _Scope:
    """A fresh object per transaction for the facade to keep its state on.

    Using the caller's context would make two threads sharing one context
    share one transaction; Gantt never nests its transactions.
    """


def _call(fn, *args, **kwargs):
    """Run one whole transaction; what Database wraps in its retry."""
    return fn(*args, **kwargs)


def _retrying(conf):
    """``_call`` retried, the whole transaction each time, on a deadlock
    or a lost connection, as often and as spaced as [database] says."""
    db = conf.database
    return oslo_db_api.wrap_db_retry(
        max_retries=db.db_max_retries, retry_interval=db.db_retry_interval,
        inc_retry_interval=db.db_inc_retry_interval,
        max_retry_interval=db.db_max_retry_interval,
        retry_on_deadlock=True, retry_on_disconnect=True)(_call)


def connection_url(conf):
    """The database URL ``conf`` selects (the SQLite default included)."""
    url = conf.database.connection
    if url:
        return url
    state_path = conf.state_path
    os.makedirs(state_path, exist_ok=True)
    return 'sqlite:///%s' % os.path.join(state_path, 'gantt.sqlite')


def _tune_sqlite(engine, synchronous):
    """Pool SQLite file connections; make each wait for locks, use WAL.

    oslo.db gives SQLite files a NullPool. Closing the last connection to
    a WAL database checkpoints and removes the WAL, so a connection per
    transaction costs ~20 ms; a small pool keeps them open. A file has no
    server to drop the connection, so checkouts skip the pre-ping query.
    """
    in_memory = engine.url.database in (None, '', ':memory:')
    if not in_memory and isinstance(engine.pool, sa.pool.NullPool):
        old = engine.pool
        # The same arguments QueuePool.recreate() passes, events included.
        engine.pool = sa.pool.QueuePool(
            old._creator, pool_size=SQLITE_POOL_SIZE,
            max_overflow=SQLITE_POOL_OVERFLOW, recycle=old._recycle,
            echo=old.echo, logging_name=old._orig_logging_name,
            reset_on_return=old._reset_on_return, pre_ping=False,
            _dispatch=old.dispatch, dialect=old._dialect)

    _begin_on_driver(engine)

    @sa.event.listens_for(engine, 'connect')
    def _on_connect(dbapi_con, record):
        dbapi_con.execute('PRAGMA busy_timeout = %d' % SQLITE_BUSY_TIMEOUT_MS)
        if synchronous:
            dbapi_con.execute('PRAGMA synchronous = NORMAL')
        if not in_memory:
            mode = dbapi_con.execute('PRAGMA journal_mode').fetchone()[0]
            if mode.lower() != 'wal':
                dbapi_con.execute('PRAGMA journal_mode = WAL')


def _begin_on_driver(engine):
    """Issue oslo.db's SQLite BEGIN on the driver connection.

    oslo.db turns the driver's own transaction handling off and emits
    BEGIN from a 'begin' listener through Connection.execute, ~80 us of
    Python per transaction; every refresh and every claim is one. This
    swaps that listener for one that does the same (same ``in_transaction``
    marker, which oslo.db's commit and rollback listeners clear) on the
    DBAPI connection, ~5 us. If oslo.db's listener is not found under its
    name, it is left as it is.
    """
    theirs = [fn for fn in engine.dispatch.begin
              if getattr(fn, '__name__', '') == '_sqlite_emit_begin']
    if len(theirs) != 1:
        return
    sa.event.remove(engine, 'begin', theirs[0])

    @sa.event.listens_for(engine, 'begin')
    def _sqlite_begin_on_driver(conn):
        if 'in_transaction' not in conn.info:
            conn.connection.dbapi_connection.execute('BEGIN')
            conn.info['in_transaction'] = True


def _ping_when_idle(engine):
    """Ping a pooled server connection at checkout only after it sat idle.

    oslo.db has the pool ping (SELECT 1) every connection it hands out:
    one more round trip per transaction, two per decision (the change
    feed's read and the claim). A connection checked in less than
    PING_AFTER_IDLE_S ago was working then; an older one is pinged as
    before, and one found dead is replaced. A connection lost in between
    fails its first statement instead, which invalidates the pool, and
    writes and the change feed's read run again on fresh connections
    (oslo.db's retry on disconnect).
    """
    engine.pool._pre_ping = False
    dialect = engine.dialect

    @sa.event.listens_for(engine, 'checkin')
    def _idle_since(dbapi_con, record):
        record.info['gantt_idle_since'] = time.monotonic()

    @sa.event.listens_for(engine, 'checkout')
    def _ping_if_idle(dbapi_con, record, proxy):
        since = record.info.get('gantt_idle_since')
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_S:
            return
        try:
            dialect.do_ping(dbapi_con)
        except dialect.loaded_dbapi.Error as exc:
            if dialect.is_disconnect(exc, dbapi_con, None):
                # The pool drops this connection and checks out another.
                raise sa.exc.DisconnectionError(str(exc)) from exc
            raise


def _tune_engine(engine, synchronous):
    if engine.dialect.name == 'sqlite':
        _tune_sqlite(engine, synchronous)
    elif getattr(engine.pool, '_pre_ping', False):
        _ping_when_idle(engine)


class Database:
    """Gantt's store: sessions, the change feed, reports, claims."""

    def __init__(self, conf):
        self.conf = conf
        conf.register_opts(db_options.database_opts, 'database')
        self.url = connection_url(conf)
        self._tc = enginefacade.transaction_context()
        # thread_checkin yields to eventlet on every checkin; Gantt runs
        # real threads, where it only costs time.
        kwargs = {'connection': self.url, 'thread_checkin': False}
        for key in _FACADE_KEYS:
            value = getattr(conf.database, key, None)
            if value is not None:
                kwargs[key] = value
        self._tc.configure(**kwargs)
        self._connection_writer = self._tc.writer.connection
        self._retry = _retrying(conf)
        synchronous = conf.database.sqlite_synchronous
        self._tc.append_on_engine_create(
            lambda engine: _tune_engine(engine, synchronous))
        self._snapshot_reads = self.url.startswith(('postgresql', 'mysql'))
        # The change feed's parsed reports, by node uuid and digest.
        self._parsed_nodes = {}
        path = sa.engine.make_url(self.url).database
        # PostgreSQL writers take sequence values and run side by side;
        # this process lets as many in as its pool holds connections, so
        # a burst of RPC threads queues here rather than on the pool.
        # Writers stamped from the counter row queue one at a time.
        self._process_writers = (
            threading.BoundedSemaphore(
                conf.database.max_pool_size or SQLITE_POOL_SIZE)
            if change_seq.uses_sequence(sa.engine.make_url(self.url)
                                        .get_backend_name())
            else threading.Lock())
        self._sqlite_lock = (
            sqlite_lock.WriterLock(path)
            if self.url.startswith('sqlite') and path not in (None, '',
                                                              ':memory:')
            else None)

    def _write_lock(self):
        """What a writer holds before it takes a connection.

        Where every write transaction bumps the one change_seq row
        (SQLite, MySQL), writers run one at a time. Queueing this
        process's writers here, rather than in the database, keeps a burst
        of RPC threads (64 per worker) from each holding a pooled
        connection while they wait on that row lock, which exhausts the
        pool. SQLite writers also queue across processes on a file lock.
        On PostgreSQL as many writers as the pool holds run at once.
        """
        if self._sqlite_lock is None:
            return self._process_writers
        return self._sqlite_lock.held()

    @property
    def engine(self):
        return self._tc.writer.get_engine()

    def dispose(self):
        """Close pooled connections (call before forking, or when done)."""
        if self._tc.is_started:
            self.engine.dispose()

    # Sessions

    @contextlib.contextmanager
    def writer(self):
        """A write transaction, its change sequence bumped and taken.

        The new sequence is ``session.info['change_seq']``; stamp every row
        written with it. Bumping first also serialises writers.
        """
        with self._write_lock(), \
                self._tc.writer.using(_Scope()) as session:
            # Core statements go straight to the Connection: the ORM
            # Session's execute() costs more and adds nothing to them.
            session.info['change_seq'] = _bump(session.connection())
            yield session

    @contextlib.contextmanager
    def claim_writer(self):
        """A write transaction for claims: yields (connection, change seq).

        Serialised and stamped like writer(), but on the facade's bare
        Connection: claims are Core statements only, and the ORM Session
        would only add cost to each of them.
        """
        with self._write_lock(), \
                self._connection_writer.using(_Scope()) as conn:
            yield conn, _bump(conn)

    @contextlib.contextmanager
    def reader(self):
        """A read transaction that sees one consistent snapshot."""
        with self._tc.reader.using(_Scope()) as session:
            if self._snapshot_reads:
                session.connection(execution_options={
                    'isolation_level': 'REPEATABLE READ'})
            yield session

    def _write(self, fn, *args, **kwargs):
        """``fn(session, ...)`` in a write transaction, retried whole."""
        return self._retry(self._write_once, fn, *args, **kwargs)

    def _write_once(self, fn, *args, **kwargs):
        try:
            with self.writer() as session:
                return fn(session, *args, **kwargs)
        except _Unchanged as e:
            return e.result

    def _write_claims(self, fn, *args):
        """``fn(connection, seq, ...)`` in a claim transaction, retried
        whole. A retry after a connection lost during COMMIT finds the
        first attempt's work if it was committed: a claim then replaces
        the allocations with the same ones (or, given a consumer
        generation, conflicts), a release or a move finds nothing left.
        """
        return self._retry(self._write_claims_once, fn, *args)

    def _write_claims_once(self, fn, *args):
        with self.claim_writer() as (conn, seq):
            return fn(conn, seq, *args)

    def _read(self, fn, *args, **kwargs):
        with self.reader() as session:
            return fn(session, *args, **kwargs)

    # The change feed

    def current_seq(self):
        """The change feed's horizon: every change stamped at or below it
        is committed (gantt.db.change_seq.horizon). No session."""
        with self.engine.connect() as conn:
            return change_seq.horizon(conn)

    def get_changes(self, since, numa_holding=None):
        """Every row stamped after ``since`` (gantt.db.changes), read in
        one transaction on a bare Connection: the feed is Core statements
        only, and the ORM Session would only add cost to each of them.
        Read again, whole, after a lost connection.

        From a sequence, the horizon is taken first, outside any
        transaction, so the snapshot read next sees every change below
        it; a horizon not past ``since`` ends the refresh there.
        ``numa_holding``: see gantt.db.changes.get_changes.
        """
        return self._retry(self._get_changes_once, since, numa_holding)

    def _get_changes_once(self, since, numa_holding=None):
        with self.engine.connect() as conn:
            seq = None
            if change_seq.uses_sequence(conn.dialect):
                # Outside any transaction: no BEGIN or COMMIT round trip.
                conn.execution_options(isolation_level='AUTOCOMMIT')
                seq = change_seq.horizon(conn)
                conn.commit()
                if seq <= since:
                    # Nothing committed past the watermark: no snapshot
                    # to read.
                    return changes.Changes(seq, [], [], [], [])
                conn.execution_options(
                    isolation_level=conn.default_isolation_level)
            if self._snapshot_reads:
                conn.execution_options(isolation_level='REPEATABLE READ')
            with conn.begin():
                return changes.get_changes(conn, since, seq=seq,
                                           parsed=self._parsed_nodes,
                                           numa_holding=numa_holding)

    # Compute reports and services

    def save_compute_node(self, node):
        """Store a compute report; False when it is not newer than ours.
        Raises the GanttException that refused it (nothing is stored)."""
        result = self.save_compute_nodes([node])[0]
        if isinstance(result, exception.GanttException):
            raise result
        return result

    def save_compute_nodes(self, nodes, rpc_versions=None):
        """Store many reports in one transaction (one commit, one seq);
        see gantt.db.report_batch.save.

        Returns one result per node: True, False (stale), or the
        GanttException that refused it (that node alone is rolled back).
        ``rpc_versions`` (one per node, or None) names the report API
        version to record with each node's compute service.
        """
        return self._retry(self._save_compute_nodes_once, nodes,
                           rpc_versions)

    def _save_compute_nodes_once(self, nodes, rpc_versions):
        try:
            with self.writer() as session:
                results = report_batch.save(session, nodes,
                                            rpc_versions=rpc_versions)
                if True not in results:
                    # Nothing stored: leave no trace, counter included.
                    raise _Unchanged(results)
                return results
        except _Unchanged as e:
            return e.result

    def delete_compute_node(self, uuid):
        return self._write(compute_node.delete, uuid)

    def register_service(self, binary, host, version=None,
                         rpc_version=None):
        return self._write(service.register, binary, host, version,
                           rpc_version)

    def get_services(self, binary=None):
        return self._read(service.get_all, binary)

    def get_service(self, binary, host):
        return self._read(service.get, binary, host)

    def delete_service(self, binary, host, with_nodes=False):
        """Forget a service's record, and with ``with_nodes`` (a compute
        that is gone) the nodes of its host too; (the record removed or
        None, nodes removed). A later report brings a node back.
        """
        return self._write(_forget_service, binary, host, with_nodes)

    # Aggregates and instances

    def save_aggregate(self, agg):
        return self._write(aggregate.save, agg)

    def delete_aggregate(self, agg):
        return self._write(aggregate.delete, agg)

    def add_instances(self, host, node, instance_uuids):
        return self._write(instance.add, host, node,
                           instance_uuids)

    def delete_instance(self, host, instance_uuid):
        return self._write(instance.delete, host, instance_uuid)

    def sync_instances(self, host, instance_uuids, node=None):
        return self._write(instance.sync, host, instance_uuids,
                           node)

    # Request specs

    def save_request_spec(self, instance_uuid, spec):
        return self._write(request_spec.save, instance_uuid, spec)

    def get_request_spec(self, instance_uuid):
        return self._read(request_spec.get, instance_uuid)

    def delete_request_spec(self, instance_uuid):
        return self._write(request_spec.delete, instance_uuid)

    # Providers outside node trees (gantt.db.provider)

    def create_provider(self, uuid, name):
        return self._write(provider.create, uuid, name)

    def delete_provider(self, uuid):
        return self._write(provider.delete, uuid)

    def get_provider(self, uuid):
        return self._read(provider.show, uuid)

    def list_sharing_providers(self):
        return self._read(provider.list_sharing)

    def set_provider_inventory(self, uuid, inventories):
        return self._write(provider.set_provider_inventory, uuid,
                           inventories)

    def set_provider_traits(self, uuid, traits):
        return self._write(provider.set_provider_traits, uuid, traits)

    def set_provider_aggregates(self, uuid, aggregate_uuids):
        return self._write(provider.set_provider_aggregates, uuid,
                           aggregate_uuids)

    # Claims (the logic is gantt.db.allocation)

    def claim(self, consumer_uuid, allocation_request, project_id,
              user_id, consumer_generation=None, instance=None, numa=None):
        """Claim for the consumer; see gantt.allocation.claim.

        ``instance`` = (host, node) also records the consumer as an
        instance on that host in the same transaction (one commit per
        placed instance instead of two); nothing is recorded when the
        claim fails. ``numa`` = (node uuid, numa_fit.Fitted, page limits)
        claims the fitted pCPUs, pages and devices in the same transaction
        too (gantt.db.numa_claim). Returns the change sequence the claim
        was stamped with.
        """
        return self._write_claims(_claim, consumer_uuid,
                                  allocation_request, project_id, user_id,
                                  consumer_generation, instance, numa)

    def claim_all(self, requests):
        return self._write_claims(allocation.claim_all, requests)

    def claim_instances(self, claims, digest=None, decided=None,
                        group=None, reservation=None, specs=None,
                        moving=None):
        """Claim for every instance of a request in one transaction, or
        for none; see gantt.db.allocation.claim_all.

        ``claims`` holds (instance uuid, allocation request, project id,
        user id, host, node); each instance is recorded on its host in the
        same transaction, and with ``decided`` ({instance uuid: encoded
        selections}) the decision under ``digest`` (gantt.decisions). With
        ``group`` (a server group as a dict: uuid, policy, rules, name,
        members, project_id, user_id), the instances join it, its policy
        checked under the group row's lock (gantt.db.server_group). A
        lost connection or a failure at any point leaves nothing behind:
        the transaction is rolled back (retried whole on a deadlock or a
        lost connection). Returns the change sequence the claims were
        stamped with.

        With ``reservation`` (a dict: uuid, project_id, user_id, flavor,
        slots, deadline) the claims are its slots: their allocation rows
        carry the deadline and the reservation is recorded in the same
        transaction (gantt.db.reservation).

        With ``specs`` ({instance uuid: RequestSpec primitive or its JSON})
        each instance's spec is stored (gantt.stored_spec); with
        ``moving`` (gantt.db.move.begin's dict) the instance's source goes
        to its migration consumer first.
        """
        return self._write_claims(_claim_instances, list(claims), digest,
                                  decided or {}, group, reservation,
                                  specs or {}, moving)

    # Reservations (gantt.db.reservation)

    def consume_reservation(self, uuid, instance_uuids, flavor,
                            project_id=None, user_id=None, specs=None):
        """(seq, [(slot, allocation request)]): the instances take the
        reservation's slots over, in one transaction; with ``specs``
        ({instance uuid: RequestSpec primitive or its JSON}) each
        instance's spec is stored in it, as claim_instances does."""
        return self._write_claims(_consume_reservation, uuid,
                                  list(instance_uuids), flavor, project_id,
                                  user_id, specs or {})

    def release_reservation(self, uuid):
        return self._write_claims(_release_reservation, uuid)

    def sweep_reservations(self):
        """Release every reservation past its deadline; their uuids.
        A read asks first, so a sweep that finds nothing writes nothing
        (and moves no worker's change feed)."""
        if not self._read(reservation.any_expired):
            return []
        return self._write_claims(_sweep_reservations)

    def list_reservations(self):
        return self._read(reservation.list_all)

    def get_reservation(self, uuid):
        return self._read(reservation.get, uuid)

    def next_reservation_deadline(self):
        return self._read(reservation.next_deadline)

    def expired_reservation_inventories(self):
        return self._read(reservation.expired_inventories)

    # Server groups (gantt.db.server_group)

    def create_server_group(self, uuid, name, policy, rules=None,
                            project_id=None, user_id=None):
        return self._write(server_group.create, uuid, name, policy, rules,
                           project_id, user_id)

    def update_server_group(self, uuid, name=None, rules=None):
        return self._write(server_group.update, uuid, name, rules)

    def delete_server_group(self, uuid):
        return self._write(server_group.delete, uuid)

    def get_server_group(self, uuid):
        return self._read(server_group.get, uuid)

    def get_server_groups(self):
        return self._read(server_group.get_all)

    def find_decisions(self, instance_uuids, digest, since):
        """Stored decisions under ``digest`` made since ``since`` (a naive
        UTC datetime), with what each instance holds now; see
        gantt.db.decision.find."""
        return self._read(decision.find, instance_uuids, digest, since)

    def delete_allocations(self, consumer_uuid):
        return self._write_claims(_delete_allocations, consumer_uuid)

    def move_allocations(self, source_consumer_uuid,
                         target_consumer_uuid):
        return self._write_claims(_move_allocations,
                                  source_consumer_uuid, target_consumer_uuid)

    def get_allocations(self, consumer_uuid):
        return self._read(allocation.get_allocations, consumer_uuid)

    # An instance's life (gantt.db.move)

    def confirm_move(self, instance_uuid, migration_uuid):
        return self._write_claims(move.confirm, instance_uuid,
                                  migration_uuid)

    def revert_move(self, instance_uuid, migration_uuid):
        return self._write_claims(move.revert, instance_uuid,
                                  migration_uuid)

    def forget_instance(self, instance_uuid):
        """The instance is deleted: drop all it holds (gantt.db.move)."""
        return self._write_claims(move.delete_instance, instance_uuid)

    def get_instance(self, instance_uuid):
        return self._read(move.show, instance_uuid)

    def get_moves(self, instance_uuid):
        return self._read(move.in_flight, instance_uuid)

    def overcommitted_providers(self):
        return self._read(allocation.overcommitted_providers)

    def audit_allocations(self, grace_seconds, fix=False):
        """Allocations of consumers no compute reports, older than grace."""
        if fix:
            return self._write(audit.find_orphans, grace_seconds, fix=True)
        return self._read(audit.find_orphans, grace_seconds, fix=False)

    # The placement-compatible API (gantt.api): its handlers compose the
    # store modules' functions, each call one transaction.

    def read(self, fn, *args, **kwargs):
        """``fn(session, ...)`` in one read transaction."""
        return self._read(fn, *args, **kwargs)

    def write(self, fn, *args, **kwargs):
        """``fn(session, ...)`` in one write transaction, retried whole."""
        return self._write(fn, *args, **kwargs)

    def replace_allocations(self, entries, check_generations=True):
        """Set several consumers' allocations at once (see
        gantt.db.allocation.replace_all)."""
        return self._write_claims(allocation.replace_all, entries,
                                  check_generations)


def _claim(conn, seq, consumer_uuid, allocation_request, project_id,
           user_id, consumer_generation, where, numa=None):
    """Claim, the NUMA placement too if given, record the instance on
    ``where`` if given; the claim's seq."""
    allocation.claim(conn, seq, consumer_uuid, allocation_request,
                     project_id, user_id, consumer_generation)
    if numa is not None:
        numa_claim.claim(conn, seq, consumer_uuid, *numa)
    if where is not None:
        host, node = where
        instance.upsert(conn, seq, host, node, [consumer_uuid])
    return seq


def _claim_instances(conn, seq, claims, digest, decided, group,
                     held=None, specs=None, moving=None):
    """Claim every instance, with the pCPUs, pages and devices of its NUMA
    placement when it has one, record it on its host, join its server
    group, store its RequestSpec and keep the decision; with ``held``, as
    the slots of that reservation; the claims' seq. A move first hands the
    instance's source to its migration."""
    if group is not None:
        # First: the group row's lock orders the group's claims.
        server_group.join(conn, group, [(c[0], c[4], c[5]) for c in claims])
    if moving is not None:
        dest = next(c for c in claims if c[0] == moving['instance_uuid'])
        move.begin(conn, seq, moving, dest[4], dest[5])
    if held is not None:
        reservation.create(conn, held['uuid'], held.get('project_id'),
                           held.get('user_id'), held.get('flavor'),
                           held['slots'], held['deadline'])
    allocation.claim_all(conn, seq, [c[:4] for c in claims],
                         deadline=None if held is None else held['deadline'])
    for c in claims:
        numa = c[6] if len(c) > 6 else None
        if numa is not None:
            numa_claim.claim(conn, seq, c[0], *numa)
    claim_record.record(conn, seq, [(c[0], c[4], c[5]) for c in claims],
                        specs or {}, digest, decided)
    return seq


def _consume_reservation(conn, seq, uuid, instance_uuids, flavor,
                         project_id, user_id, specs=None):
    taken = reservation.consume(conn, seq, uuid, instance_uuids, flavor,
                                project_id, user_id)
    request_spec.save_all(conn, specs or {})
    return seq, taken


def _release_reservation(conn, seq, uuid):
    return reservation.release(conn, seq, uuid)


def _sweep_reservations(conn, seq):
    return reservation.sweep(conn, seq)


def _delete_allocations(conn, seq, consumer_uuid):
    """Release the claim whole (gantt.db.claim_release); whether it held
    allocations."""
    return claim_release.release(conn, seq, consumer_uuid).allocations


def _move_allocations(conn, seq, source_uuid, target_uuid):
    """Move, the NUMA claims with it; neither consumer holds what a stored
    decision gave it now."""
    decision.forget(conn, source_uuid)
    decision.forget(conn, target_uuid)
    numa_claim.move(conn, seq, source_uuid, target_uuid)
    return allocation.move_allocations(conn, seq, source_uuid, target_uuid)


class _Unchanged(Exception):
    """Raised inside a write to roll it back (counter bump included)."""

    def __init__(self, result):
        super().__init__(result)
        self.result = result


def _forget_service(session, binary, host, with_nodes):
    found = service.delete(session, binary, host)
    nodes = 0
    if found is not None and with_nodes:
        nodes = compute_node.delete_host(session, host)
    return found, nodes
