"""Client of the scheduler API: what a conductor imports to ask Gantt."""

from gantt import rpc
from gantt.rpcapi import version_cap


class SchedulerAPI:
    """Client side of the scheduler API (exchange gantt, namespace None).

    API version history:

    * 1.0 - Initial version: select_destinations(spec_obj, instance_uuids,
      return_alternates), explain(spec_obj), ping().
    """

    VERSION = '1.0'
    # Release name -> last version that release's scheduler understands.
    VERSION_ALIASES = {}

    def __init__(self, conf, transport, client=None):
        self.conf = conf
        cap = version_cap.parse(conf.upgrade_levels.scheduler, 'scheduler',
                                self.VERSION, self.VERSION_ALIASES)
        self.version_cap = cap
        if client is None:
            client = rpc.get_client(conf, transport, version='1.0',
                                    version_cap=cap)
        self.client = client

    def select_destinations(self, ctxt, spec_obj, instance_uuids,
                            return_alternates=False):
        """Claim a host per instance; a list of Selection lists back.

        Each inner list holds the claimed primary first, then alternates
        when return_alternates is True. Raises NoValidHost.
        """
        cctxt = self.client.prepare(version='1.0')
        return cctxt.call(ctxt, 'select_destinations', spec_obj=spec_obj,
                          instance_uuids=instance_uuids,
                          return_alternates=return_alternates)

    def explain(self, ctxt, spec_obj):
        """Dry run: ranked hosts and per-filter counts, nothing claimed."""
        cctxt = self.client.prepare(version='1.0')
        return cctxt.call(ctxt, 'explain', spec_obj=spec_obj)

    def ping(self, ctxt):
        """Ask one scheduler worker who it is; proves the service is up."""
        cctxt = self.client.prepare(version='1.0')
        return cctxt.call(ctxt, 'ping')
