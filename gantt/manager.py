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

from gantt import exception
from gantt.objects import base as objects_base
from gantt import rpc

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
    if isinstance(value, objects_base.GanttObject):
        return _a('%s object' % value.obj_name())
    return _a(type(value).__name__)


def _is_object(value, name):
    return (isinstance(value, objects_base.GanttObject) and
            value.obj_name() == name)


def _field(obj, name):
    return getattr(obj, name) if obj.obj_attr_is_set(name) else None


def _object_problem(value, name, required=()):
    """Why value is not a usable ``name`` object, or None when it is."""
    if not _is_object(value, name):
        return 'expected %s, got %s' % (_a('%s object' % name),
                                        _describe(value))
    missing = [f for f in required if _field(value, f) in (None, '')]
    if missing:
        return '%s lacks %s' % (name, ', '.join(missing))
    return None


def _uuid_list_problem(value, what):
    if not isinstance(value, (list, tuple)):
        return '%s must be a list of UUIDs, got %s' % (what, _describe(value))
    bad = [u for u in value if not uuidutils.is_uuid_like(u)]
    if bad:
        return '%s holds %d value(s) that are not UUIDs, e.g. %r' % (
            what, len(bad), bad[0])
    return None


def _host_problem(host):
    if not isinstance(host, str) or not host:
        return 'host must be a non-empty string, got %r' % (host,)
    return None


class SchedulerManager:
    """The scheduler API (namespace None), version 1.x: calls only."""

    target = oslo_messaging.Target(version='1.0')

    def __init__(self, conf, scheduler):
        self.conf = conf
        self.scheduler = scheduler

    def _refuse(self, ctxt, method, reason):
        LOG.warning('Refused %(method)s from %(sender)s: %(reason)s',
                    {'method': method, 'sender': _sender(ctxt),
                     'reason': reason})
        raise exception.InvalidRequest(reason=reason)

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def select_destinations(self, ctxt, spec_obj, instance_uuids,
                            return_alternates=False):
        problem = (_object_problem(spec_obj, 'RequestSpec') or
                   _uuid_list_problem(instance_uuids, 'instance_uuids'))
        if problem:
            self._refuse(ctxt, 'select_destinations', problem)
        return self.scheduler.select_destinations(
            ctxt, spec_obj, list(instance_uuids),
            return_alternates=bool(return_alternates))

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def explain(self, ctxt, spec_obj):
        problem = _object_problem(spec_obj, 'RequestSpec')
        if problem:
            self._refuse(ctxt, 'explain', problem)
        return self.scheduler.explain(ctxt, spec_obj)

    def ping(self, ctxt):
        return {'binary': BINARY, 'host': self.conf.host,
                'pid': os.getpid(), 'rpc_version': self.target.version}


class ReportManager:
    """The report API (namespace 'report'), version 1.x: casts only."""

    target = oslo_messaging.Target(version='1.0', namespace='report')

    def __init__(self, conf, db):
        self.conf = conf
        self.db = db

    def _ignore(self, ctxt, method, sender, reason):
        LOG.warning('Ignored %(method)s from %(sender)s (%(ctxt)s): '
                    '%(reason)s; nothing stored',
                    {'method': method, 'sender': sender,
                     'ctxt': _sender(ctxt), 'reason': reason})

    def update_resource_stats(self, ctxt, compute_node):
        node = compute_node
        sender = 'an unknown compute'
        if _is_object(node, 'ComputeNode') and _field(node, 'host'):
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
            return self._ignore(ctxt, 'update_resource_stats', sender,
                                problem)
        try:
            saved = self.db.save_compute_node(ctxt, node)
        except exception.GanttException as exc:
            return self._ignore(ctxt, 'update_resource_stats', sender,
                                str(exc))
        if not saved:
            LOG.debug('Stale report %(seq)s from %(sender)s for node %(uuid)s '
                      'ignored', {'seq': _field(node, 'report_seq'),
                                  'sender': sender, 'uuid': node.uuid})

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
            self.db.save_aggregate(ctxt, aggregate)

    def delete_aggregate(self, ctxt, aggregate):
        problem = _object_problem(aggregate, 'Aggregate', required=('uuid',))
        if problem:
            return self._ignore(ctxt, 'delete_aggregate', 'the API', problem)
        self.db.delete_aggregate(ctxt, aggregate)

    def update_instance_info(self, ctxt, host, instance_info):
        problem = _host_problem(host)
        items = None
        if problem is None:
            items, problem = self._instance_items(instance_info)
        if problem is None:
            problem = _uuid_list_problem([i.uuid for i in items],
                                         'instance_info uuids')
        if problem is None:
            others = {_field(i, 'host') for i in items} - {None, host}
            if others:
                problem = 'instances reported for other hosts %s' % (
                    sorted(others),)
        if problem:
            return self._ignore(ctxt, 'update_instance_info',
                                'compute %s' % (host,), problem)
        by_node = {}
        for item in items:
            by_node.setdefault(_field(item, 'node'), []).append(item.uuid)
        for node, uuids in by_node.items():
            self.db.add_instances(ctxt, host, node, uuids)

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
                                'compute %s' % (host,), problem)
        self.db.delete_instance(ctxt, host, instance_uuid)

    def sync_instance_info(self, ctxt, host, instance_uuids):
        problem = (_host_problem(host) or
                   _uuid_list_problem(instance_uuids, 'instance_uuids'))
        if problem:
            return self._ignore(ctxt, 'sync_instance_info',
                                'compute %s' % (host,), problem)
        self.db.sync_instances(ctxt, host, list(instance_uuids))
