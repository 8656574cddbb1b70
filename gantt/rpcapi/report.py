"""Client of the report API: what a compute (or the API) imports to tell
Gantt what it has. Every method is a cast."""

from gantt import rpc
from gantt.rpcapi import version_cap

NAMESPACE = 'report'


class ReportClient:
    """Client side of the report API (exchange gantt, namespace 'report').

    API version history:

    * 1.0 - Initial version: update_resource_stats(compute_node),
      update_aggregates(aggregates), delete_aggregate(aggregate),
      update_instance_info(host, instance_info),
      delete_instance_info(host, instance_uuid),
      sync_instance_info(host, instance_uuids).
    """

    VERSION = '1.0'
    # Release name -> last version that release's scheduler understands.
    VERSION_ALIASES = {}

    def __init__(self, conf, transport, client=None):
        self.conf = conf
        cap = version_cap.parse(conf.upgrade_levels.report, 'report',
                                self.VERSION, self.VERSION_ALIASES)
        self.version_cap = cap
        if client is None:
            client = rpc.get_client(conf, transport, namespace=NAMESPACE,
                                    version='1.0', version_cap=cap)
        self.client = client

    def _cast(self, ctxt, method, **kwargs):
        cctxt = self.client.prepare(version='1.0')
        cctxt.cast(ctxt, method, **kwargs)

    def update_resource_stats(self, ctxt, compute_node):
        """Report a ComputeNode; older report_seq than stored is ignored."""
        self._cast(ctxt, 'update_resource_stats', compute_node=compute_node)

    def update_aggregates(self, ctxt, aggregates):
        """Create or update Aggregate objects (membership and metadata)."""
        self._cast(ctxt, 'update_aggregates', aggregates=aggregates)

    def delete_aggregate(self, ctxt, aggregate):
        self._cast(ctxt, 'delete_aggregate', aggregate=aggregate)

    def update_instance_info(self, ctxt, host, instance_info):
        """Add instances (an InstanceInfo or InstanceInfoList) on host."""
        self._cast(ctxt, 'update_instance_info', host=host,
                   instance_info=instance_info)

    def delete_instance_info(self, ctxt, host, instance_uuid):
        self._cast(ctxt, 'delete_instance_info', host=host,
                   instance_uuid=instance_uuid)

    def sync_instance_info(self, ctxt, host, instance_uuids):
        """Replace the set of instances Gantt knows on host."""
        self._cast(ctxt, 'sync_instance_info', host=host,
                   instance_uuids=instance_uuids)
