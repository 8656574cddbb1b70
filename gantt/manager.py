"""RPC endpoints of gantt-scheduler: check each argument, then delegate.

``SchedulerManager`` answers the conductor's calls through the Scheduler;
``ReportManager`` stores what computes cast through the Database. Bad input
never stops the server: a call gets a Gantt exception back, a cast is
logged as a WARNING naming its sender and nothing is stored.
"""

import os

from oslo_log import log as logging
import oslo_messaging
from oslo_utils import uuidutils

from gantt import arguments
from gantt import exception
from gantt import instance_endpoints
from gantt import limits
from gantt import manager_reservations
from gantt import numa_given
from gantt import report_intake
from gantt.objects import base as obj_base
from gantt import request as request_mod
from gantt import rpc
from gantt import stored_spec
from gantt.rpcapi import releases
from gantt import telemetry as telemetry_mod

LOG = logging.getLogger(__name__)

BINARY = 'gantt-scheduler'


def _sender(ctxt):
    """Who sent a message, for log lines: request id, user and project."""
    return 'request %s (user %s, project %s)' % (
        getattr(ctxt, 'request_id', None), getattr(ctxt, 'user_id', None),
        getattr(ctxt, 'project_id', None))


def _a(noun):
    return ('an ' if noun[:1].lower() in 'aeiou' else 'a ') + noun


def _describe(value):
    if isinstance(value, rpc.MalformedEntity):
        return 'a malformed object (%s: %s)' % (
            type(value.error).__name__, value.error)
    if isinstance(value, obj_base.GanttObject):
        return _a('%s object' % value.obj_name())
    return _a(type(value).__name__)


def _is_object(value, name):
    return (isinstance(value, obj_base.GanttObject) and
            value.obj_name() == name)


def _object_problem(value, name, required=()):
    """Why value is not a usable ``name`` object, or None when it is."""
    if not _is_object(value, name):
        return 'expected %s, got %s' % (_a('%s object' % name),
                                        _describe(value))
    missing = [f for f in required if obj_base.field(value, f) in (None, '')]
    if missing:
        return '%s lacks %s' % (name, ', '.join(missing))
    return None


def _uuid_list_problem(value, what):
    if not isinstance(value, (list, tuple)):
        return '%s must be a list of UUIDs, got %s' % (what, _describe(value))
    bad = [u for u in value if not uuidutils.is_uuid_like(u)]
    if bad:
        return '%s holds %d value(s) that are not UUIDs, e.g. %s' % (
            what, len(bad), limits.brief(bad[0]))
    return None


def _compute(host):
    """'compute <host>' for a log line, the host quoted in bounded size."""
    if isinstance(host, str) and len(host) <= 255:
        return 'compute %s' % host
    return 'compute %s' % limits.brief(host)


def _limit_problem(limit):
    """Why ``limit`` (None or a count of hosts) is unusable, or None."""
    if limit is not None and (isinstance(limit, bool) or
                              not isinstance(limit, int) or limit < 0):
        return 'limit must be a non-negative integer, got %s' % (
            limits.brief(limit))
    return None


def _host_problem(host):
    return arguments.name_problem(host, 'host')


class SchedulerManager(manager_reservations.ReservationEndpoints,
                       instance_endpoints.InstanceEndpoints):
    """The scheduler API (namespace None), version 1.x: calls only.

    Every 1.x message is accepted; what appears at which version:

    * 1.0 - select_destinations(spec_obj, instance_uuids,
      return_alternates) answering Selection 1.0 lists; explain(spec_obj);
      ping().
    * 1.1 - select_destinations answers Selection 1.1 (``weight``) when
      asked at 1.1 (the serializer backports replies to the caller's
      version); explain(spec_obj, limit); claim_resources(consumer_uuid,
      allocation_request, project_id, user_id, consumer_generation),
      delete_allocations(consumer_uuid), move_allocations(
      source_consumer_uuid, target_consumer_uuid),
      get_allocations(consumer_uuid).
    * 1.2 - capacity(spec_obj, limit): how many more instances of the
      request fit, in total and per cell, zone and aggregate; server
      groups: create_server_group(uuid, name, policy, rules, project_id,
      user_id), update_server_group(uuid, name, rules),
      delete_server_group(uuid), get_server_group(uuid),
      list_server_groups(); select_gang(spec_objs, instance_uuids,
      return_alternates): several RequestSpecs placed all or nothing.
    * 1.3 - reservations (gantt.manager_reservations): reserve(spec_obj,
      instances, seconds, deadline, uuid), release_reservation(uuid),
      get_reservation(uuid), list_reservations(); a select_destinations
      whose RequestSpec has the scheduler hint ``reservation`` takes that
      reservation's slots over.
    * 1.4 - an instance's life (gantt.instance_endpoints): move_instance(
      instance_uuid, operation, migration_uuid, flavor, host, node,
      aggregates, ignore_hosts, force_hosts, force_nodes,
      availability_zone, allow_cross_cell_move, return_alternates),
      confirm_move(instance_uuid, migration_uuid), revert_move(
      instance_uuid, migration_uuid), delete_instance(instance_uuid),
      get_instance(instance_uuid). Every claim select_destinations and
      select_gang make stores each instance's RequestSpec with it.
    * 1.5 - select_destinations and select_gang answer Selection 1.2
      (``numa_topology``: the guest topology and PCI devices claimed)
      when asked at 1.5.
    * 1.6 - claim_resources(..., numa_topology) claims the pCPUs, pages
      and devices it names with the allocation request: an alternate's
      Selection 1.2 carries the ``numa_topology`` fitted for it (at 1.5
      and above), to be passed back here.
    * 1.7 - RequestSpec 1.1 (``pci_requests``: a port's PCI devices,
      claimed like the flavor's aliases) in every call that takes one.
    """

    target = oslo_messaging.Target(version='1.7')
    # The RequestSpec check, for the mixed-in endpoints.
    object_problem = staticmethod(_object_problem)

    def __init__(self, conf, scheduler, db=None, telemetry=None):
        self.conf = conf
        self.scheduler = scheduler
        self.db = db if db is not None else getattr(scheduler, 'db', None)
        self.telemetry = telemetry or telemetry_mod.NONE

    def _refuse(self, ctxt, method, reason):
        LOG.warning('Refused %(method)s from %(sender)s: %(reason)s',
                    {'method': method, 'sender': _sender(ctxt),
                     'reason': reason})
        raise exception.InvalidRequest(reason=reason)

    def _read(self, spec_obj):
        """The RequestSpec read once into the Request the engine uses."""
        return request_mod.from_spec(spec_obj, self.conf,
                                     self.scheduler.clock())

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def select_destinations(self, ctxt, spec_obj, instance_uuids,
                            return_alternates=False):
        problem = (_object_problem(spec_obj, 'RequestSpec') or
                   _uuid_list_problem(instance_uuids, 'instance_uuids'))
        if problem is None and not instance_uuids and not (
                uuidutils.is_uuid_like(
                    obj_base.field(spec_obj, 'instance_uuid'))):
            # Each claim needs a consumer.
            problem = ('instance_uuids is empty and the RequestSpec names '
                       'no instance_uuid')
        if problem:
            self._refuse(ctxt, 'select_destinations', problem)
        request = self._read(spec_obj)
        specs = stored_spec.per_instance(
            spec_obj, list(instance_uuids) or [request.instance_uuid])
        with self.telemetry.decision(ctxt, spec_obj,
                                     instance_uuids) as outcome:
            outcome.selections = self.scheduler.select_destinations(
                ctxt, request, list(instance_uuids),
                return_alternates=bool(return_alternates), specs=specs)
        return outcome.selections

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def select_gang(self, ctxt, spec_objs, instance_uuids,
                    return_alternates=False):
        """Per RequestSpec, per instance, [primary, alternates...]: every
        instance claimed, or none (NoValidHost names the request)."""
        problem = None
        if not isinstance(spec_objs, (list, tuple)) or not spec_objs:
            problem = 'spec_objs must be a non-empty list of RequestSpec, ' \
                'got %s' % _describe(spec_objs)
        elif (not isinstance(instance_uuids, (list, tuple)) or
              len(instance_uuids) != len(spec_objs)):
            problem = ('instance_uuids must be a list of %d UUID lists, one '
                       'per RequestSpec, got %s'
                       % (len(spec_objs), _describe(instance_uuids)))
        for index, (spec, uuids) in enumerate(
                zip(spec_objs, instance_uuids) if problem is None else ()):
            problem = (_object_problem(spec, 'RequestSpec') or
                       _uuid_list_problem(uuids, 'instance_uuids[%d]' %
                                          index))
            if problem is None and not uuids:
                problem = 'instance_uuids[%d] is empty' % index
            if problem:
                problem = 'request %d: %s' % (index, problem)
                break
        if problem is None:
            flat = [u for uuids in instance_uuids for u in uuids]
            if len(set(flat)) != len(flat):
                problem = 'an instance uuid appears twice in the gang'
        if problem:
            self._refuse(ctxt, 'select_gang', problem)
        specs = {}
        for spec, uuids in zip(spec_objs, instance_uuids):
            specs.update(stored_spec.per_instance(spec, uuids))
        return self.scheduler.select_gang(
            ctxt, [self._read(spec) for spec in spec_objs],
            [list(uuids) for uuids in instance_uuids],
            return_alternates=bool(return_alternates), specs=specs)

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def explain(self, ctxt, spec_obj, limit=None):
        problem = (_object_problem(spec_obj, 'RequestSpec') or
                   _limit_problem(limit))
        if problem:
            self._refuse(ctxt, 'explain', problem)
        request = self._read(spec_obj)
        if limit is None:
            return self.scheduler.explain(ctxt, request)
        return self.scheduler.explain(ctxt, request, limit=limit)

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def capacity(self, ctxt, spec_obj, limit=None):
        problem = (_object_problem(spec_obj, 'RequestSpec', ('flavor',)) or
                   _limit_problem(limit))
        if problem:
            self._refuse(ctxt, 'capacity', problem)
        return self.scheduler.capacity(ctxt, self._read(spec_obj),
                                       limit=limit)

    def ping(self, ctxt):
        # watermark: the change sequence this worker has read up to.
        hosts = getattr(self.scheduler, 'host_manager', None)
        return {'binary': BINARY, 'host': self.conf.host,
                'pid': os.getpid(), 'rpc_version': self.target.version,
                'watermark': getattr(hosts, 'watermark', None)}

    # Claims (1.1): thin wrappers over the Database's claim methods.

    def _consumer_problem(self, value, what='consumer_uuid'):
        return _uuid_list_problem([value], what)

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def claim_resources(self, ctxt, consumer_uuid, allocation_request,
                        project_id, user_id, consumer_generation=None,
                        numa_topology=None):
        """True when claimed, False when the capacity is gone.

        With ``numa_topology`` (1.6: the InstanceNUMATopology an
        alternate's Selection carries) its pCPUs, pages and devices are
        claimed in the allocation's transaction; False, nothing claimed,
        when any of them was taken meanwhile. Without it only the
        allocation request is claimed, even for a request that needs a
        NUMA/PCI placement (the behaviour of callers older than 1.6).
        """
        problem = (self._consumer_problem(consumer_uuid) or
                   arguments.allocation_request_problem(allocation_request) or
                   arguments.name_problem(project_id, 'project_id') or
                   arguments.name_problem(user_id, 'user_id') or
                   numa_given.problem(numa_topology))
        if problem is None and consumer_generation is not None and (
                isinstance(consumer_generation, bool) or
                not isinstance(consumer_generation, int)):
            problem = 'consumer_generation must be an integer, got %s' % (
                limits.brief(consumer_generation))
        numa = None
        if problem is None and numa_topology is not None:
            hosts = self.scheduler.host_manager
            try:
                with hosts.lock:
                    numa = numa_given.claim_args(
                        hosts.snapshot(), allocation_request, numa_topology)
            except ValueError as exc:
                problem = str(exc)
        if problem:
            self._refuse(ctxt, 'claim_resources', problem)
        try:
            self.db.claim(consumer_uuid, allocation_request,
                          project_id, user_id,
                          consumer_generation=consumer_generation,
                          **({'numa': numa} if numa else {}))
        except exception.ClaimConflict as exc:
            LOG.info('Claim for consumer %(consumer)s from %(sender)s lost: '
                     '%(reason)s', {'consumer': consumer_uuid,
                                    'sender': _sender(ctxt), 'reason': exc})
            return False
        return True

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def delete_allocations(self, ctxt, consumer_uuid):
        """Release the consumer's allocations; False when it held none."""
        problem = self._consumer_problem(consumer_uuid)
        if problem:
            self._refuse(ctxt, 'delete_allocations', problem)
        return bool(self.db.delete_allocations(consumer_uuid))

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def move_allocations(self, ctxt, source_consumer_uuid,
                         target_consumer_uuid):
        """Move allocations; False when the source held none."""
        problem = (
            self._consumer_problem(source_consumer_uuid,
                                   'source_consumer_uuid') or
            self._consumer_problem(target_consumer_uuid,
                                   'target_consumer_uuid'))
        if problem is None and source_consumer_uuid == target_consumer_uuid:
            problem = 'source and target consumer are both %s' % (
                source_consumer_uuid,)
        if problem:
            self._refuse(ctxt, 'move_allocations', problem)
        return bool(self.db.move_allocations(source_consumer_uuid,
                                             target_consumer_uuid))

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def get_allocations(self, ctxt, consumer_uuid):
        problem = self._consumer_problem(consumer_uuid)
        if problem:
            self._refuse(ctxt, 'get_allocations', problem)
        return self.db.get_allocations(consumer_uuid)

    # Server groups (1.2): thin wrappers over the Database's.

    def _group_problem(self, uuid, name=None, rules=None):
        problem = self._consumer_problem(uuid, 'uuid')
        if problem is None and name is not None and (
                not isinstance(name, str) or len(name) > 255):
            problem = 'name must be a string of at most 255 characters, ' \
                'got %s' % _describe(name)
        if problem is None and rules is not None and not isinstance(
                rules, dict):
            problem = 'rules must be a dict, got %s' % _describe(rules)
        return problem

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def create_server_group(self, ctxt, uuid, name, policy, rules=None,
                            project_id=None, user_id=None):
        problem = self._group_problem(uuid, name, rules)
        if problem:
            self._refuse(ctxt, 'create_server_group', problem)
        return self.db.create_server_group(uuid, name, policy, rules,
                                           project_id, user_id)

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def update_server_group(self, ctxt, uuid, name=None, rules=None):
        problem = self._group_problem(uuid, name, rules)
        if problem:
            self._refuse(ctxt, 'update_server_group', problem)
        return self.db.update_server_group(uuid, name, rules)

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def delete_server_group(self, ctxt, uuid):
        problem = self._group_problem(uuid)
        if problem:
            self._refuse(ctxt, 'delete_server_group', problem)
        return bool(self.db.delete_server_group(uuid))

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def get_server_group(self, ctxt, uuid):
        problem = self._group_problem(uuid)
        if problem:
            self._refuse(ctxt, 'get_server_group', problem)
        return self.db.get_server_group(uuid)

    def list_server_groups(self, ctxt):
        return self.db.get_server_groups()


class ReportManager:
    """The report API (namespace 'report'), version 1.x: casts only.

    Every 1.x message is accepted; what appears at which version:

    * 1.0 - update_resource_stats(compute_node: ComputeNode 1.0),
      update_aggregates, delete_aggregate, update_instance_info,
      delete_instance_info, sync_instance_info.
    * 1.1 - compute_node may be ComputeNode 1.1 (``provider_tree``).
    * 1.2 - compute_node may be ComputeNode 1.2 (``numa``, ``pci_devices``).
    * 1.3 - the same, received on the report topic as well (a queue of
      its own; see gantt.rpc.report_topic).

    Each compute's ``service.version`` is recorded in the services table
    with the report API version it implies (once per worker and change).
    """

    target = oslo_messaging.Target(version='1.3', namespace='report')

    def __init__(self, conf, db, telemetry=None):
        self.conf = conf
        self.db = db
        self.telemetry = telemetry or telemetry_mod.NONE
        # (binary, host) -> service version already registered here.
        self._registered = {}
        # Reports arriving together are stored in one transaction.
        self.intake = report_intake.ReportIntake(self._store, self._stored)

    def _ignore(self, ctxt, method, sender, reason):
        LOG.warning('Ignored %(method)s from %(sender)s (%(ctxt)s): '
                    '%(reason)s; nothing stored',
                    {'method': method, 'sender': sender,
                     'ctxt': _sender(ctxt), 'reason': reason})

    def update_resource_stats(self, ctxt, compute_node):
        node = compute_node
        sender = 'an unknown compute'
        if _is_object(node, 'ComputeNode') and obj_base.field(node, 'host'):
            sender = 'compute %s' % node.host
        problem = _object_problem(
            node, 'ComputeNode',
            required=('uuid', 'host', 'hypervisor_hostname'))
        if problem is None:
            try:
                node.validate()
            except exception.InvalidReport as exc:
                problem = str(exc)
        if problem:
            self.telemetry.report('ignored')
            return self._ignore(ctxt, 'update_resource_stats', sender,
                                problem)
        self.intake.submit(node, (ctxt, sender))

    def _store(self, nodes):
        """Store a batch; each compute's report API version is recorded
        with it when first seen here (or changed)."""
        return self.db.save_compute_nodes(
            nodes, rpc_versions=[self._unregistered(n) for n in nodes])

    @staticmethod
    def _service_key(node):
        status = obj_base.field(node, 'service')
        return ((obj_base.field(status, 'binary', 'gantt-compute'),
                 node.host), obj_base.field(status, 'version'))

    def _unregistered(self, node):
        """The report API version to record for the node's compute, or
        None when this worker recorded its service version already."""
        key, version = self._service_key(node)
        if self._registered.get(key, object()) == version:
            return None
        return releases.speaks(version, releases.REPORT)

    def _stored(self, node, extra, saved):
        ctxt, sender = extra
        if isinstance(saved, Exception):
            self.telemetry.report('ignored')
            return self._ignore(ctxt, 'update_resource_stats', sender,
                                str(saved))
        self.telemetry.report('stored' if saved else 'stale')
        if not saved:
            LOG.debug('Stale report %(seq)s from %(sender)s for node %(uuid)s '
                      'ignored', {'seq': obj_base.field(node, 'report_seq'),
                                  'sender': sender, 'uuid': node.uuid})
            return
        key, version = self._service_key(node)
        self._registered[key] = version

    def update_aggregates(self, ctxt, aggregates):
        if _is_object(aggregates, 'Aggregate'):
            aggregates = [aggregates]
        if not isinstance(aggregates, (list, tuple)):
            problem = 'expected a list of Aggregate objects, got %s' % (
                _describe(aggregates))
        else:
            problem = next(filter(None, (
                _object_problem(a, 'Aggregate', required=('uuid',))
                for a in aggregates)), None)
        if problem:
            return self._ignore(ctxt, 'update_aggregates', 'the API',
                                problem)
        for aggregate in aggregates:
            self.db.save_aggregate(aggregate)

    def delete_aggregate(self, ctxt, aggregate):
        problem = _object_problem(aggregate, 'Aggregate', required=('uuid',))
        if problem:
            return self._ignore(ctxt, 'delete_aggregate', 'the API', problem)
        self.db.delete_aggregate(aggregate)

    def update_instance_info(self, ctxt, host, instance_info):
        problem = _host_problem(host)
        items = None
        if problem is None:
            items, problem = self._instance_items(instance_info)
        if problem is None:
            problem = _uuid_list_problem([i.uuid for i in items],
                                         'instance_info uuids')
        if problem is None:
            others = {obj_base.field(i, 'host') for i in items} - {None, host}
            if others:
                problem = 'instances reported for other hosts %s' % (
                    limits.brief(sorted(others)),)
        if problem:
            return self._ignore(ctxt, 'update_instance_info',
                                _compute(host), problem)
        by_node = {}
        for item in items:
            node = obj_base.field(item, 'node')
            by_node.setdefault(node, []).append(item.uuid)
        for node, uuids in by_node.items():
            self.db.add_instances(host, node, uuids)

    @staticmethod
    def _instance_items(instance_info):
        """(list of InstanceInfo, None) or (None, why it is unusable)."""
        if _is_object(instance_info, 'InstanceInfo'):
            items = [instance_info]
        elif _is_object(instance_info, 'InstanceInfoList'):
            items = list(instance_info.objects)
        elif isinstance(instance_info, (list, tuple)):
            items = list(instance_info)
        else:
            return None, ('expected InstanceInfo or InstanceInfoList, got %s'
                          % _describe(instance_info))
        for item in items:
            problem = _object_problem(item, 'InstanceInfo',
                                      required=('uuid',))
            if problem:
                return None, problem
        return items, None

    def delete_instance_info(self, ctxt, host, instance_uuid):
        problem = (_host_problem(host) or
                   _uuid_list_problem([instance_uuid], 'instance_uuid'))
        if problem:
            return self._ignore(ctxt, 'delete_instance_info',
                                _compute(host), problem)
        self.db.delete_instance(host, instance_uuid)

    def sync_instance_info(self, ctxt, host, instance_uuids):
        problem = (_host_problem(host) or
                   _uuid_list_problem(instance_uuids, 'instance_uuids'))
        if problem:
            return self._ignore(ctxt, 'sync_instance_info',
                                _compute(host), problem)
        self.db.sync_instances(host, list(instance_uuids))
