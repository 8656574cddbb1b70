"""What both client classes share: reading the cap, building the client.

A client computes its version cap at start from ``[upgrade_levels]`` and
again on :meth:`VersionedClient.refresh_version_cap` (call it on SIGHUP);
the objects it sends follow the manifest of the capped version.
"""

from oslo_log import log as logging

from gantt import exception
from gantt import rpc
from gantt.rpcapi import object_versions
from gantt.rpcapi import releases
from gantt.rpcapi import version_cap

LOG = logging.getLogger(__name__)


class VersionedClient:
    """Base of the client classes; subclasses set API, NAMESPACE, VERSION.

    ``db`` (a gantt.db.api.Database) is read only for ``auto``; without
    one the client opens the database ``conf`` names for that one read.
    ``client`` replaces the oslo.messaging client (tests).
    """

    API = None
    NAMESPACE = None
    VERSION = '1.0'

    def __init__(self, conf, transport, client=None, db=None):
        self.conf = conf
        self.transport = transport
        self._db = db
        self._given_client = client
        self.version_cap = None
        self.object_versions = None
        self.client = None
        self.refresh_version_cap()

    def _registered_schedulers(self):
        if self._db is not None:
            return self._db.get_services(binary=version_cap.SERVER_BINARY)
        from gantt.db import api as db_api
        database = db_api.Database(self.conf)
        try:
            return database.get_services(binary=version_cap.SERVER_BINARY)
        finally:
            database.dispose()

    def refresh_version_cap(self):
        """Re-read ``[upgrade_levels]`` (and, for auto, the services).

        Returns the new cap (None: the newest). Messages already sent are
        not affected; the next one uses the new cap.
        """
        configured = getattr(self.conf.upgrade_levels, self.API)
        cap = version_cap.resolve(
            configured, self.API, self.VERSION, releases.aliases(self.API),
            self._registered_schedulers)
        manifest = object_versions.manifest(self.API, cap)
        if self._given_client is not None:
            client = self._given_client
            client.version_cap = cap
            client.serializer = rpc.get_serializer(
                version_manifest=manifest, lenient=False)
        else:
            client = rpc.get_client(
                self.conf, self.transport, namespace=self.NAMESPACE,
                version='1.0', version_cap=cap, version_manifest=manifest)
        if cap != self.version_cap or self.client is None:
            LOG.info('%(cls)s sends %(api)s API versions up to %(cap)s',
                     {'cls': type(self).__name__, 'api': self.API,
                      'cap': cap or self.VERSION})
        self.version_cap = cap
        self.object_versions = manifest
        self.client = client
        return cap

    def _newest_sendable(self, *versions):
        """The first of ``versions`` (newest first) the cap allows."""
        for version in versions:
            if self.client.can_send_version(version):
                return version
        return None

    def _require(self, version, method):
        """Raise UnsupportedVersion when ``method`` needs a newer server."""
        if not self.client.can_send_version(version):
            raise exception.UnsupportedVersion(
                version=version,
                reason='%s needs %s API %s, but [upgrade_levels] %s caps '
                       'this client at %s (some scheduler is older); '
                       'upgrade every scheduler, then raise or remove the '
                       'cap' % (method, self.API, version, self.API,
                                self.version_cap))
