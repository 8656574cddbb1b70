"""The endpoint of nova's scheduler RPC API (4.0-4.5) in gantt-scheduler.

Each method reads nova's objects into Gantt's (gantt.nova.translate) and
hands them to Gantt's own endpoints, so a nova conductor's request is
checked, decided, claimed and counted exactly as a Gantt conductor's.
Selections go back as nova's, at the version the caller reads; no host
goes back as nova's NoValidHost.
"""

from oslo_db import exception as db_exception
from oslo_log import log as logging
import oslo_messaging
from oslo_utils import versionutils

from gantt import exception
from gantt.nova import base as nova_base
from gantt.nova import exception as nova_exception
from gantt.nova import translate
from gantt import rpc

LOG = logging.getLogger(__name__)

#: The first RequestSpec version of a nova that reads Selection 1.1: an
#: older caller gets Selection 1.0 (without availability_zone).
SELECTION_1_1_SPEC = (1, 13)


def selection_version(spec):
    """The Selection version the sender of nova RequestSpec ``spec`` reads."""
    sent = versionutils.convert_version_to_tuple(spec.VERSION)
    return '1.1' if sent >= SELECTION_1_1_SPEC else '1.0'


def _is_nova(value, *names):
    return (isinstance(value, nova_base.NovaObject) and
            value.obj_name() in names)


def _fanned_out(store, *args):
    """Store what a fanout cast carries; every worker of every scheduler
    gets the same message, so another may insert the same row first: then
    the second try finds it and updates it."""
    try:
        return store(*args)
    except db_exception.DBDuplicateEntry:
        LOG.debug('Another worker stored the same fanout cast first; '
                  'storing again as an update')
        return store(*args)


class NovaSchedulerEndpoint:
    """nova's scheduler API, namespace None, on nova's exchange.

    * 4.0 - select_destinations(request_spec, filter_properties): the
      legacy dicts; answers a list of {'host', 'nodename', 'limits'}.
    * 4.1 - update_aggregates(aggregates), delete_aggregate(aggregate).
    * 4.2 - update_instance_info(host_name, instance_info),
      delete_instance_info(host_name, instance_uuid),
      sync_instance_info(host_name, instance_uuids).
    * 4.3 - select_destinations(spec_obj): a RequestSpec object.
    * 4.4 - select_destinations(spec_obj, instance_uuids).
    * 4.5 - select_destinations(..., return_objects, return_alternates):
      lists of Selection objects (a primary, then alternates when both
      are true), with the allocation request each claims.

    A rebuild (hint ``_nova_check_type`` = rebuild) is checked on the
    instance's host without a claim, as nova's own scheduler does.
    """

    target = oslo_messaging.Target(version='4.5')

    def __init__(self, conf, scheduler_manager, report_manager):
        self.conf = conf
        self.scheduler = scheduler_manager
        self.report = report_manager

    # -- select_destinations ---------------------------------------------

    def _spec(self, spec_obj, request_spec, filter_properties):
        """(Gantt RequestSpec, Selection version) of either form."""
        if spec_obj is not None:
            if not _is_nova(spec_obj, 'RequestSpec'):
                raise exception.InvalidRequest(
                    reason='spec_obj must be a nova RequestSpec, got %r'
                    % (spec_obj,))
            return (translate.request_spec(spec_obj),
                    selection_version(spec_obj))
        if not isinstance(request_spec, dict):
            raise exception.InvalidRequest(
                reason='select_destinations needs spec_obj or the legacy '
                       'request_spec dict, got neither')
        return (translate.legacy_request_spec(request_spec,
                                              filter_properties), '1.0')

    @staticmethod
    def _instance_uuids(spec, instance_uuids):
        """The consumers to claim for; before 4.4 callers sent none."""
        if instance_uuids is not None:
            return list(instance_uuids)
        count = spec.num_instances or 1
        if count == 1 and spec.instance_uuid:
            return [spec.instance_uuid]
        raise exception.InvalidRequest(
            reason='no instance_uuids for %d instance(s): Gantt claims '
                   'for each instance, so callers before RPC 4.4 must ask '
                   'for one instance whose spec names it' % count)

    @oslo_messaging.expected_exceptions(nova_exception.NoValidHost,
                                        exception.GanttException)
    def select_destinations(self, ctxt, request_spec=None,
                            filter_properties=None, spec_obj=None,
                            instance_uuids=None, return_objects=False,
                            return_alternates=False):
        if isinstance(spec_obj, rpc.MalformedEntity):
            raise exception.InvalidRequest(
                reason='spec_obj is a malformed object: %s' % spec_obj.error)
        try:
            spec, version = self._spec(spec_obj, request_spec,
                                       filter_properties)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            # A value nova's object allowed that Gantt's refuses (or a
            # legacy dict of the wrong shape): say which.
            raise exception.InvalidRequest(
                reason='cannot read the nova request: %s: %s' % (
                    type(exc).__name__, exc))
        uuids = self._instance_uuids(spec, instance_uuids)
        alternates = bool(return_objects and return_alternates)
        rebuild = spec_obj is not None and translate.is_rebuild(spec_obj)
        try:
            if rebuild:
                chosen = self._rebuild(ctxt, spec, uuids)
            else:
                chosen = self.scheduler.select_destinations(
                    ctxt, spec, uuids, return_alternates=alternates)
        except oslo_messaging.ExpectedException as wrapped:
            # Gantt's endpoint marks its exceptions as expected; take
            # out the one it raised.
            exc = wrapped.exc_info[1]
            if isinstance(exc, exception.NoValidHost):
                raise nova_exception.NoValidHost(
                    str(exc), reason=exc.kwargs.get('reason', str(exc)))
            raise exc
        except exception.NoValidHost as exc:
            # From the rebuild's check, which Gantt's endpoint does not
            # wrap.
            raise nova_exception.NoValidHost(
                str(exc), reason=exc.kwargs.get('reason', str(exc)))
        cell = self.conf.nova.default_cell_uuid
        networks = (spec_obj.get('network_metadata')
                    if spec_obj is not None else None)
        selections = [[translate.selection(s, cell, networks)
                       for s in per_instance] for per_instance in chosen]
        if not return_objects:
            return [per_instance[0].to_dict() for per_instance in selections]
        # Sent as primitives at the caller's version: a conductor cannot
        # ask for a backport of what it does not know.
        return [[s.obj_to_primitive(target_version=version)
                 for s in per_instance] for per_instance in selections]

    def _rebuild(self, ctxt, spec, uuids):
        """A rebuild on the instance's host (its requested destination),
        as nova's scheduler does it: the filters are asked, the resources
        the instance already holds are not asked for again, nothing is
        claimed and no alternates are offered."""
        chosen = self.scheduler.scheduler.select_destinations(
            ctxt, translate.without_resources(spec), uuids,
            return_alternates=False, dry_run=True)
        for per_instance in chosen:
            for sel in per_instance:
                sel.allocation_request = None
                sel.allocation_request_version = None
        return chosen

    # -- casts from nova's API and computes ------------------------------

    def update_aggregates(self, ctxt, aggregates):
        if _is_nova(aggregates, 'AggregateList'):
            aggregates = list(aggregates.objects)
        elif _is_nova(aggregates, 'Aggregate'):
            aggregates = [aggregates]
        if not isinstance(aggregates, (list, tuple)) or not all(
                _is_nova(a, 'Aggregate') for a in aggregates):
            LOG.warning('Ignored update_aggregates: expected nova '
                        'Aggregate objects, got %r', aggregates)
            return
        _fanned_out(self.report.update_aggregates,
                    ctxt, [translate.aggregate(a) for a in aggregates])

    def delete_aggregate(self, ctxt, aggregate):
        if not _is_nova(aggregate, 'Aggregate'):
            LOG.warning('Ignored delete_aggregate: expected a nova '
                        'Aggregate, got %r', aggregate)
            return
        _fanned_out(self.report.delete_aggregate, ctxt,
                    translate.aggregate(aggregate))

    def update_instance_info(self, ctxt, host_name, instance_info):
        if _is_nova(instance_info, 'InstanceList'):
            instances = list(instance_info.objects)
        elif _is_nova(instance_info, 'Instance'):
            instances = [instance_info]
        else:
            LOG.warning('Ignored update_instance_info from %s: expected a '
                        'nova Instance or InstanceList, got %r',
                        host_name, instance_info)
            return
        _fanned_out(self.report.update_instance_info, ctxt, host_name,
                    translate.instance_info(host_name, instances))

    def delete_instance_info(self, ctxt, host_name, instance_uuid):
        _fanned_out(self.report.delete_instance_info, ctxt, host_name,
                    instance_uuid)

    def sync_instance_info(self, ctxt, host_name, instance_uuids):
        _fanned_out(self.report.sync_instance_info, ctxt, host_name,
                    instance_uuids)
