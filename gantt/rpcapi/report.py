"""Client of the report API: what a compute (or the API) imports to tell
Gantt what it has. Every method is a cast."""

from gantt.rpcapi import client as base
from gantt.rpcapi import releases

NAMESPACE = 'report'


class ReportClient(base.VersionedClient):
    """Client side of the report API (exchange gantt, namespace 'report').

    API version history:

    * 1.0 - Initial version: update_resource_stats(compute_node),
      update_aggregates(aggregates), delete_aggregate(aggregate),
      update_instance_info(host, instance_info),
      delete_instance_info(host, instance_uuid),
      sync_instance_info(host, instance_uuids).
    * 1.1 - update_resource_stats carries ComputeNode 1.1 (provider_tree).
      A client capped at 1.0 sends ComputeNode 1.0: the provider tree is
      dropped and the scheduler sees the node's root resources only.
    * 1.2 - update_resource_stats carries ComputeNode 1.2 (numa,
      pci_devices). A client capped at 1.1 drops both: the node then
      takes no instance that asks for a NUMA topology or PCI devices.

    Objects follow gantt.rpcapi.object_versions.MANIFESTS['report'].
    """

    API = releases.REPORT
    NAMESPACE = NAMESPACE
    VERSION = '1.2'

    def _cast(self, ctxt, method, **kwargs):
        # Every method exists since 1.0; the version sent tells the server
        # which object versions to expect, the serializer backports them.
        version = self._newest_sendable('1.2', '1.1', '1.0')
        cctxt = self.client.prepare(version=version)
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
