"""Client of the scheduler API: what a conductor imports to ask Gantt."""

import json

from gantt import exception
from gantt.objects import base as obj_base
from gantt.rpcapi import client as base
from gantt.rpcapi import releases


class SchedulerAPI(base.VersionedClient):
    """Client side of the scheduler API (exchange gantt, namespace None).

    API version history:

    * 1.0 - Initial version: select_destinations(spec_obj, instance_uuids,
      return_alternates), explain(spec_obj), ping().
    * 1.1 - select_destinations answers with Selection 1.1 (adds weight);
      explain takes limit; adds the claim calls claim_resources,
      delete_allocations, move_allocations, get_allocations.
    * 1.2 - adds capacity(spec_obj, limit); server groups held by Gantt:
      create_server_group, update_server_group, delete_server_group,
      get_server_group, list_server_groups; select_gang places several
      RequestSpecs all or nothing.
    * 1.3 - reservations: reserve(spec_obj, instances, seconds, deadline,
      uuid), release_reservation, get_reservation, list_reservations; a
      RequestSpec with the scheduler hint ``reservation`` takes it over in
      select_destinations.
    * 1.4 - an instance's life: move_instance (cold migrate, resize, live
      migrate, evacuate, unshelve with just the instance uuid and what
      changes), confirm_move, revert_move, delete_instance, get_instance;
      the RequestSpec of every claimed instance is stored with its claim.
    * 1.5 - select_destinations and select_gang answer with Selection 1.2
      (adds numa_topology: the guest NUMA topology and PCI devices
      claimed); explain answers with each host's fitted topology.
    * 1.6 - claim_resources takes numa_topology (an alternate's
      Selection.numa_topology) and claims its pCPUs, pages and devices
      with the allocation request.
    * 1.7 - select_destinations (and every call taking a RequestSpec)
      carries RequestSpec 1.1: ``pci_requests``, the PCI devices asked
      beside the flavor's aliases (a port's SR-IOV VF, PF or vDPA device).

    Objects follow gantt.rpcapi.object_versions.MANIFESTS['scheduler'].
    """

    API = releases.SCHEDULER
    NAMESPACE = None
    VERSION = '1.7'

    def select_destinations(self, ctxt, spec_obj, instance_uuids,
                            return_alternates=False):
        """Claim a host per instance; a list of Selection lists back.

        Each inner list holds the claimed primary first, then alternates
        when return_alternates is True. Raises NoValidHost. A 1.0 server
        answers with Selection 1.0 (weight unset), one below 1.5 without
        numa_topology. Below 1.7 the spec goes as RequestSpec 1.0, so a
        spec with pci_requests (a port's devices, which an older
        scheduler would not claim) raises UnsupportedVersion.
        """
        version = self._newest_sendable('1.7', '1.5', '1.1', '1.0')
        if version != '1.7' and obj_base.field(spec_obj, 'pci_requests'):
            self._require('1.7', 'select_destinations with pci_requests')
        cctxt = self.client.prepare(version=version)
        return cctxt.call(ctxt, 'select_destinations', spec_obj=spec_obj,
                          instance_uuids=instance_uuids,
                          return_alternates=return_alternates)

    def explain(self, ctxt, spec_obj, limit=None):
        """Dry run: ranked hosts and per-filter counts, nothing claimed.

        ``limit`` keeps the best ``limit`` hosts; a 1.0 server does not
        take it, so the client trims the answer itself.
        """
        kwargs = {'spec_obj': spec_obj}
        version = self._newest_sendable('1.1', '1.0')
        if version == '1.1':
            kwargs['limit'] = limit
        cctxt = self.client.prepare(version=version)
        answer = cctxt.call(ctxt, 'explain', **kwargs)
        if (version == '1.0' and limit is not None and
                isinstance(answer, dict) and
                isinstance(answer.get('hosts'), list)):
            answer['hosts'] = answer['hosts'][:limit]
        return answer

    def capacity(self, ctxt, spec_obj, limit=None):
        """How many more instances of ``spec_obj`` fit, nothing claimed: a
        dict with ``total``, ``by_cell``, ``by_az``, ``by_aggregate``,
        the filters' counts and the best ``limit`` hosts' counts. Needs
        a 1.2 server (UnsupportedVersion when the cap is lower)."""
        self._require('1.2', 'capacity')
        cctxt = self.client.prepare(version='1.2')
        return cctxt.call(ctxt, 'capacity', spec_obj=spec_obj, limit=limit)

    def ping(self, ctxt):
        """Ask one scheduler worker who it is; proves the service is up."""
        version = self._newest_sendable('1.1', '1.0')
        cctxt = self.client.prepare(version=version)
        return cctxt.call(ctxt, 'ping')

    # Claims (1.1): the conductor's side of resizes, moves and rebuilds.

    def claim_resources(self, ctxt, consumer_uuid, allocation_request,
                        project_id, user_id, consumer_generation=None,
                        numa_topology=None):
        """Claim ``allocation_request`` for the consumer.

        ``allocation_request`` is a placement-shaped dict (or its JSON
        text, as a Selection carries it). ``numa_topology`` is the
        alternate's Selection.numa_topology: its pCPUs, pages and devices
        are claimed in the same transaction, and the claim fails when any
        of them was taken meanwhile. It is sent only when the cap allows
        1.6; below (or without it) only the allocation request is claimed,
        even for a request that needs pinned pCPUs, pages or devices:
        nothing of its NUMA placement is held. True on success, False when
        the capacity (or the topology) is gone; InvalidClaim or
        InvalidRequest for bad input, ConsumerGenerationConflict for a
        stale generation.
        """
        self._require('1.1', 'claim_resources')
        if isinstance(allocation_request, str):
            try:
                allocation_request = json.loads(allocation_request)
            except ValueError as exc:
                raise exception.InvalidClaim(
                    reason='allocation_request for consumer %s is not JSON '
                           '(%s): %r' % (consumer_uuid, exc,
                                         allocation_request[:200]))
        kwargs = {}
        version = '1.1'
        if numa_topology is not None:
            version = self._newest_sendable('1.6', '1.1')
            if version == '1.6':
                kwargs['numa_topology'] = numa_topology
        cctxt = self.client.prepare(version=version)
        return cctxt.call(ctxt, 'claim_resources',
                          consumer_uuid=consumer_uuid,
                          allocation_request=allocation_request,
                          project_id=project_id, user_id=user_id,
                          consumer_generation=consumer_generation, **kwargs)

    def delete_allocations(self, ctxt, consumer_uuid):
        """Release what the consumer holds; idempotent (False: held none)."""
        self._require('1.1', 'delete_allocations')
        cctxt = self.client.prepare(version='1.1')
        return cctxt.call(ctxt, 'delete_allocations',
                          consumer_uuid=consumer_uuid)

    def move_allocations(self, ctxt, source_consumer_uuid,
                         target_consumer_uuid):
        """Give the source consumer's allocations to the target consumer."""
        self._require('1.1', 'move_allocations')
        cctxt = self.client.prepare(version='1.1')
        return cctxt.call(ctxt, 'move_allocations',
                          source_consumer_uuid=source_consumer_uuid,
                          target_consumer_uuid=target_consumer_uuid)

    def get_allocations(self, ctxt, consumer_uuid):
        """The consumer's allocations, in placement's JSON shape."""
        self._require('1.1', 'get_allocations')
        cctxt = self.client.prepare(version='1.1')
        return cctxt.call(ctxt, 'get_allocations',
                          consumer_uuid=consumer_uuid)

    # Server groups (1.2): groups whose policy every claim checks.

    def create_server_group(self, ctxt, uuid, name, policy, rules=None,
                            project_id=None, user_id=None):
        """Store a server group; its dict (uuid, name, policy, rules,
        project_id, user_id, members {instance: host}, hosts). Raises
        ServerGroupExists, or InvalidRequest naming a bad policy or rule.
        """
        self._require('1.2', 'create_server_group')
        cctxt = self.client.prepare(version='1.2')
        return cctxt.call(ctxt, 'create_server_group', uuid=uuid, name=name,
                          policy=policy, rules=rules, project_id=project_id,
                          user_id=user_id)

    def update_server_group(self, ctxt, uuid, name=None, rules=None):
        """Rename a group or replace its rules; its dict."""
        self._require('1.2', 'update_server_group')
        cctxt = self.client.prepare(version='1.2')
        return cctxt.call(ctxt, 'update_server_group', uuid=uuid, name=name,
                          rules=rules)

    def delete_server_group(self, ctxt, uuid):
        """Forget a group and its members; False when it was unknown."""
        self._require('1.2', 'delete_server_group')
        cctxt = self.client.prepare(version='1.2')
        return cctxt.call(ctxt, 'delete_server_group', uuid=uuid)

    def get_server_group(self, ctxt, uuid):
        """The group's dict, or None."""
        self._require('1.2', 'get_server_group')
        cctxt = self.client.prepare(version='1.2')
        return cctxt.call(ctxt, 'get_server_group', uuid=uuid)

    def list_server_groups(self, ctxt):
        self._require('1.2', 'list_server_groups')
        cctxt = self.client.prepare(version='1.2')
        return cctxt.call(ctxt, 'list_server_groups')

    def select_gang(self, ctxt, spec_objs, instance_uuids,
                    return_alternates=False):
        """Place several RequestSpecs together, all or nothing.

        ``instance_uuids`` holds one list of uuids per RequestSpec. The
        answer holds, per RequestSpec, what select_destinations answers
        for it; every instance is claimed. Raises NoValidHost naming the
        request and instances that could not be placed (nothing claimed).
        """
        self._require('1.2', 'select_gang')
        cctxt = self.client.prepare(
            version=self._newest_sendable('1.5', '1.2'))
        return cctxt.call(ctxt, 'select_gang', spec_objs=spec_objs,
                          instance_uuids=instance_uuids,
                          return_alternates=return_alternates)

    # Reservations (1.3): capacity held until a deadline without building.

    def reserve(self, ctxt, spec_obj, instances, seconds=None,
                deadline=None, uuid=None):
        """Hold ``instances`` instances of ``spec_obj`` until ``seconds``
        from now or ``deadline`` (ISO 8601 UTC); the reservation's dict
        (uuid, deadline, slots with their hosts). Build on it with
        select_destinations and the scheduler hint ``reservation``.
        Raises NoValidHost when they do not all fit (nothing is held)."""
        self._require('1.3', 'reserve')
        cctxt = self.client.prepare(version='1.3')
        return cctxt.call(ctxt, 'reserve', spec_obj=spec_obj,
                          instances=instances, seconds=seconds,
                          deadline=deadline, uuid=uuid)

    def release_reservation(self, ctxt, uuid):
        """Release what the reservation still holds; how many slots.
        Raises ReservationNotFound when it is not held."""
        self._require('1.3', 'release_reservation')
        cctxt = self.client.prepare(version='1.3')
        return cctxt.call(ctxt, 'release_reservation', uuid=uuid)

    def get_reservation(self, ctxt, uuid):
        """The reservation's dict, or None."""
        self._require('1.3', 'get_reservation')
        cctxt = self.client.prepare(version='1.3')
        return cctxt.call(ctxt, 'get_reservation', uuid=uuid)

    def list_reservations(self, ctxt):
        """Every reservation held, soonest deadline first."""
        self._require('1.3', 'list_reservations')
        cctxt = self.client.prepare(version='1.3')
        return cctxt.call(ctxt, 'list_reservations')

    # An instance's life (1.4): moves from the stored RequestSpec.

    def move_instance(self, ctxt, instance_uuid, operation,
                      migration_uuid=None, flavor=None, host=None,
                      node=None, aggregates=None, ignore_hosts=None,
                      force_hosts=None, force_nodes=None,
                      availability_zone=None, allow_cross_cell_move=False,
                      return_alternates=False):
        """Move an instance using the RequestSpec Gantt stored for it.

        ``operation`` is one of gantt.move.OPERATIONS ('migrate',
        'resize', 'live_migrate', 'evacuate', 'unshelve'); all but
        unshelve need ``migration_uuid``, the consumer that holds the
        source until confirm_move (drops the source) or revert_move
        (drops the destination). ``flavor`` (resize only) is the new
        Flavor; ``host``/``node``/``aggregates`` the requested
        destination; ``availability_zone`` is for unshelve. Answers
        [primary Selection, alternates...], the primary claimed. Raises
        NoValidHost, InstanceNotFound (no stored spec), MoveInProgress,
        InvalidRequest. Needs a 1.4 server.
        """
        self._require('1.4', 'move_instance')
        cctxt = self.client.prepare(version='1.4')
        return cctxt.call(
            ctxt, 'move_instance', instance_uuid=instance_uuid,
            operation=operation, migration_uuid=migration_uuid,
            flavor=flavor, host=host, node=node, aggregates=aggregates,
            ignore_hosts=ignore_hosts, force_hosts=force_hosts,
            force_nodes=force_nodes, availability_zone=availability_zone,
            allow_cross_cell_move=allow_cross_cell_move,
            return_alternates=return_alternates)

    def confirm_move(self, ctxt, instance_uuid, migration_uuid):
        """The move is done: drop its source. False when already gone."""
        self._require('1.4', 'confirm_move')
        cctxt = self.client.prepare(version='1.4')
        return cctxt.call(ctxt, 'confirm_move', instance_uuid=instance_uuid,
                          migration_uuid=migration_uuid)

    def revert_move(self, ctxt, instance_uuid, migration_uuid):
        """Undo the move: drop the destination, the instance gets its
        source, host, group membership and RequestSpec back. False when
        already gone."""
        self._require('1.4', 'revert_move')
        cctxt = self.client.prepare(version='1.4')
        return cctxt.call(ctxt, 'revert_move', instance_uuid=instance_uuid,
                          migration_uuid=migration_uuid)

    def delete_instance(self, ctxt, instance_uuid):
        """Drop the instance's RequestSpec, allocations, NUMA claims, group
        membership and host record together; a dict of what was dropped.
        """
        self._require('1.4', 'delete_instance')
        cctxt = self.client.prepare(version='1.4')
        return cctxt.call(ctxt, 'delete_instance',
                          instance_uuid=instance_uuid)

    def get_instance(self, ctxt, instance_uuid):
        """What Gantt holds of an instance: request_spec (RequestSpec),
        host, node, allocations, groups, moves in flight; or None."""
        self._require('1.4', 'get_instance')
        cctxt = self.client.prepare(version='1.4')
        return cctxt.call(ctxt, 'get_instance', instance_uuid=instance_uuid)
