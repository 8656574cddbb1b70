"""Versioned notifications through oslo.messaging's Notifier.

Event types: ``scheduler.select_destinations.start`` / ``.end``
(SelectDestinationsPayload), ``scheduler.select_destinations.error``
(NoValidHostPayload) and ``scheduler.report.stale`` (HostStalePayload).
Each payload is the primitive of a versioned object. With the default
driver ``noop`` nothing is built and nothing is sent.
"""

from oslo_log import log as logging
import oslo_messaging

from gantt import context
from gantt.objects import base as obj_base
from gantt.objects import notification as payloads
from gantt import rpc

LOG = logging.getLogger(__name__)

SELECT_START = 'scheduler.select_destinations.start'
SELECT_END = 'scheduler.select_destinations.end'
SELECT_ERROR = 'scheduler.select_destinations.error'
REPORT_STALE = 'scheduler.report.stale'


def enabled(conf):
    return conf.notifications.driver not in (None, '', 'noop')


class Notifier(object):
    """Sends Gantt's notifications; every method is a no-op when off.

    A notification that cannot be sent is logged, never raised: the
    decision it describes has already been made.
    """

    def __init__(self, conf, binary='gantt-scheduler', transport=None):
        self.conf = conf
        self._notifier = None
        self._transport = None
        if not enabled(conf):
            return
        if transport is None:
            transport = self._transport = (
                oslo_messaging.get_notification_transport(
                    conf, url=conf.notifications.transport_url or None))
        self._notifier = oslo_messaging.Notifier(
            transport, publisher_id='%s:%s' % (binary, conf.host),
            driver=conf.notifications.driver,
            topics=list(conf.notifications.topics),
            serializer=rpc.RequestContextSerializer(
                oslo_messaging.NoOpSerializer()))

    @property
    def active(self):
        return self._notifier is not None

    def cleanup(self):
        if self._transport is not None:
            self._transport.cleanup()
            self._transport = None

    def _send(self, ctxt, priority, event_type, payload):
        if self._notifier is None:
            return
        try:
            getattr(self._notifier, priority)(
                ctxt or context.get_admin_context(), event_type,
                payload.obj_to_primitive())
        except Exception:
            LOG.exception('Could not send notification %s', event_type)

    def select_start(self, ctxt, spec, instance_uuids):
        if self._notifier is None:
            return
        self._send(ctxt, 'info', SELECT_START,
                   _select_payload(ctxt, spec, instance_uuids))

    def select_end(self, ctxt, spec, instance_uuids, selections, duration):
        if self._notifier is None:
            return
        payload = _select_payload(ctxt, spec, instance_uuids)
        chosen = [s[0] for s in selections if s]
        payload.hosts = [c.service_host or '' for c in chosen]
        payload.nodes = [c.nodename or '' for c in chosen]
        payload.duration = duration
        self._send(ctxt, 'info', SELECT_END, payload)

    def select_error(self, ctxt, spec, instance_uuids, reason, trace,
                     duration):
        if self._notifier is None:
            return
        stages = [payloads.FilterStagePayload(
            name=s.name, removed=int(s.removed),
            remaining=int(s.before - s.removed), reason=str(s.reason))
            for s in (trace.stages or ())] if trace is not None else []
        payload = payloads.NoValidHostPayload(
            request_id=getattr(ctxt, 'request_id', None),
            project_id=obj_base.field(spec, 'project_id'),
            user_id=obj_base.field(spec, 'user_id'),
            instance_uuids=list(instance_uuids or ()),
            reason=reason, stages=stages, duration=duration,
            emptied_by=trace.emptied_by if trace is not None else None)
        self._send(ctxt, 'error', SELECT_ERROR, payload)

    def report_stale(self, uuid, host, nodename, last_seen, age):
        if self._notifier is None:
            return
        self._send(None, 'warn', REPORT_STALE, payloads.HostStalePayload(
            uuid=uuid, host=host, nodename=nodename, last_seen=last_seen,
            age=float(age),
            service_down_time=int(self.conf.service_down_time)))


def _select_payload(ctxt, spec, instance_uuids):
    return payloads.SelectDestinationsPayload(
        request_id=getattr(ctxt, 'request_id', None),
        project_id=obj_base.field(spec, 'project_id'),
        user_id=obj_base.field(spec, 'user_id'),
        instance_uuids=list(instance_uuids or ()))
