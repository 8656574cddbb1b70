"""Client classes for Gantt's RPC APIs: one per audience.

``scheduler.SchedulerAPI`` (conductors) and ``report.ReportClient``
(computes, the API) share ``client.VersionedClient``: the cap from
``[upgrade_levels]`` (version, release alias or ``auto``; parsed by
``version_cap``), the object manifest that cap implies
(``object_versions``), and ``refresh_version_cap()`` for SIGHUP.

Checklist: bump an RPC API version (e.g. scheduler 1.1 -> 1.2)

1. Manager (gantt/manager.py): add the method or argument (an added
   argument gets a default, so 1.1 messages still dispatch), raise the
   endpoint's ``target`` version, and add a line to its docstring saying
   what appears at the new version. The server accepts every 1.x.
2. Client: raise ``VERSION``, add a history line to the class docstring,
   and branch on ``self.client.can_send_version('1.2')``: send the new
   form when allowed; otherwise drop the argument if the old server's
   behaviour is still right (or can be finished by the client, like
   explain's limit), else raise with ``self._require('1.2', name)``.
3. object_versions.MANIFESTS: add the '1.2' row, even if no object
   changed (copy the 1.1 row).
4. releases.py: add the new service version to SERVICE_VERSIONS (it
   becomes SERVICE_VERSION) and, when a release is cut, its RELEASES
   alias. Raise MINIMUM_SERVICE_VERSION only when dropping support.
5. Tests: add the method/version to the MESSAGES table in
   tests/unit/rpcapi/test_<api>.py (every method at every version) and,
   if it changes what old peers see, a case in
   tests/functional/test_upgrade.py.
6. Option help in gantt/conf/upgrade_levels.py lists each version;
   regenerate etc/gantt/gantt.conf.sample.

Checklist: bump an object version (e.g. Selection 1.1 -> 1.2)

1. Add the field, a ``# Version 1.2: <what>`` line above ``VERSION``,
   and drop the field for older targets in ``obj_make_compatible``; add
   ``('1.2', child)`` to ``obj_relationships`` of the object and of every
   parent (and bump those parents the same way).
2. Update OBJECT_HASHES / OBJECT_RELATIONSHIPS in
   tests/unit/objects/test_objects.py (the backport test covers the rest).
3. Bump the RPC API that carries the object (checklist above) and name
   the new object version in that API version's manifest: a client
   capped below it then sends, and receives, the older object.
"""
