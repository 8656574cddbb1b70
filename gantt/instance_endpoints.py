"""RPC endpoints of an instance's life (scheduler API 1.3): move it with
just its uuid and what changes, confirm or revert the move, show what the
store holds for it, delete it. Each checks its arguments, then delegates
to the Scheduler (moves) or the Database; SchedulerManager mixes them in.
"""

from oslo_log import log as logging
import oslo_messaging
from oslo_utils import uuidutils

from gantt import exception
from gantt import limits
from gantt import move as move_mod
from gantt import stored_spec

LOG = logging.getLogger(__name__)


def _uuid_problem(value, what):
    if not uuidutils.is_uuid_like(value):
        return '%s must be a UUID, got %s' % (what, limits.brief(value))
    return None


def _tuple(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


class InstanceEndpoints:
    """Mixed into SchedulerManager: needs ``self.db``, ``self.scheduler``
    and ``self._refuse``."""

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def move_instance(self, ctxt, instance_uuid, operation,
                      migration_uuid=None, flavor=None, host=None,
                      node=None, aggregates=None, ignore_hosts=None,
                      force_hosts=None, force_nodes=None,
                      availability_zone=None, allow_cross_cell_move=False,
                      return_alternates=False):
        """[primary Selection, alternates...] of a move (gantt.move)."""
        changes = move_mod.Changes(
            flavor=flavor, host=host, node=node,
            aggregates=_tuple(aggregates or ()),
            ignore_hosts=_tuple(ignore_hosts or ()),
            force_hosts=_tuple(force_hosts or ()),
            force_nodes=_tuple(force_nodes or ()),
            availability_zone=availability_zone,
            allow_cross_cell_move=bool(allow_cross_cell_move))
        problem = (_uuid_problem(instance_uuid, 'instance_uuid') or
                   move_mod.problem(operation, migration_uuid, changes))
        if problem:
            self._refuse(ctxt, 'move_instance', problem)
        record = self.db.get_instance(instance_uuid)
        if record is None or record['request_spec'] is None:
            raise exception.InstanceNotFound(
                uuid=instance_uuid,
                reason='no RequestSpec stored (Gantt never placed it, or '
                       'it was deleted)')
        for moving in record['moves']:
            raise exception.MoveInProgress(
                instance=instance_uuid, migration=moving['migration_uuid'],
                operation=moving['operation'])
        if operation in move_mod.WITH_SOURCE and not record['host']:
            self._refuse(ctxt, 'move_instance',
                         'instance %s is on no host (shelved?): only '
                         'unshelve places it' % instance_uuid)
        if operation == move_mod.UNSHELVE and record['allocations']:
            self._refuse(ctxt, 'move_instance',
                         'instance %s holds a claim on %s: unshelve is for '
                         'a shelved-offloaded instance'
                         % (instance_uuid, record['host']))
        selections = self.scheduler.move(
            ctxt, instance_uuid, record['request_spec'],
            (record['host'], record['node']), operation, changes,
            migration_uuid, return_alternates=bool(return_alternates))
        LOG.info('Instance %(instance)s: %(operation)s from %(source)s to '
                 '%(dest)s (migration %(migration)s)',
                 {'instance': instance_uuid, 'operation': operation,
                  'source': record['host'],
                  'dest': selections[0].service_host,
                  'migration': migration_uuid})
        return selections

    def _move_problem(self, instance_uuid, migration_uuid):
        return (_uuid_problem(instance_uuid, 'instance_uuid') or
                _uuid_problem(migration_uuid, 'migration_uuid'))

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def confirm_move(self, ctxt, instance_uuid, migration_uuid):
        """Drop the source the migration holds; False when there is no
        such move (already confirmed or reverted)."""
        problem = self._move_problem(instance_uuid, migration_uuid)
        if problem:
            self._refuse(ctxt, 'confirm_move', problem)
        return bool(self.db.confirm_move(instance_uuid, migration_uuid))

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def revert_move(self, ctxt, instance_uuid, migration_uuid):
        """Drop the destination and give the instance its source, host,
        group membership and RequestSpec back; False when there is no such
        move."""
        problem = self._move_problem(instance_uuid, migration_uuid)
        if problem:
            self._refuse(ctxt, 'revert_move', problem)
        return bool(self.db.revert_move(instance_uuid, migration_uuid))

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def delete_instance(self, ctxt, instance_uuid):
        """Drop the instance's spec, allocations (its moves' too), NUMA
        claims, group membership and host record in one transaction; a
        dict saying what was dropped."""
        problem = _uuid_problem(instance_uuid, 'instance_uuid')
        if problem:
            self._refuse(ctxt, 'delete_instance', problem)
        return self.db.forget_instance(instance_uuid)

    @oslo_messaging.expected_exceptions(exception.GanttException)
    def get_instance(self, ctxt, instance_uuid):
        """The stored spec (a RequestSpec object), allocations, host,
        groups and moves in flight of an instance; None when the store holds
        nothing of it."""
        problem = _uuid_problem(instance_uuid, 'instance_uuid')
        if problem:
            self._refuse(ctxt, 'get_instance', problem)
        shown = self.db.get_instance(instance_uuid)
        if shown is not None and shown['request_spec'] is not None:
            shown['request_spec'] = stored_spec.load(shown['request_spec'])
        return shown
