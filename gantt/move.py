"""Move operations asked with just the instance and what changes.

From the instance's stored RequestSpec (gantt.stored_spec) and where it is
now, :func:`build` makes the RequestSpec to schedule as the compute
controller's conductor makes it for the same operation: forced hosts and
nodes of the first boot dropped, the source host ignored (a resize only
with ``allow_resize_to_same_host``, a cold migration only where the source
has COMPUTE_SAME_HOST_COLD_MIGRATE), the requested destination and the
instance's own cell (another cell only for a cold migration or resize
with ``allow_cross_cell_move``). It also says what the claim stores: the
spec after the move and the move itself (gantt.db.move.begin).
"""

import typing

from oslo_serialization import jsonutils
from oslo_utils import uuidutils

from gantt import arguments
from gantt.objects import destination as destination_obj
from gantt.objects import flavor as flavor_obj
from gantt import stored_spec

MIGRATE = 'migrate'
RESIZE = 'resize'
LIVE_MIGRATE = 'live_migrate'
EVACUATE = 'evacuate'
UNSHELVE = 'unshelve'
OPERATIONS = (MIGRATE, RESIZE, LIVE_MIGRATE, EVACUATE, UNSHELVE)
# Operations that hold a source under a migration consumer.
WITH_SOURCE = (MIGRATE, RESIZE, LIVE_MIGRATE, EVACUATE)
CROSS_CELL = (MIGRATE, RESIZE)
SAME_HOST_COLD_MIGRATE = 'COMPUTE_SAME_HOST_COLD_MIGRATE'


class Source(typing.NamedTuple):
    """Where the instance is now (all None for a shelved instance)."""

    host: typing.Optional[str] = None
    node: typing.Optional[str] = None
    cell_uuid: typing.Optional[str] = None
    traits: frozenset = frozenset()


class Changes(typing.NamedTuple):
    """What a move asks beside the stored spec."""

    flavor: typing.Any = None
    host: typing.Optional[str] = None
    node: typing.Optional[str] = None
    aggregates: tuple = ()
    ignore_hosts: tuple = ()
    force_hosts: tuple = ()
    force_nodes: tuple = ()
    availability_zone: typing.Optional[str] = None
    allow_cross_cell_move: bool = False


def _names_problem(values, what):
    if not isinstance(values, (list, tuple)):
        return '%s must be a list of names, got %s' % (
            what, type(values).__name__)
    for value in values:
        problem = arguments.name_problem(value, what)
        if problem:
            return problem
    return None


def problem(operation, migration_uuid, changes):
    """Why the move cannot be asked as given, or None."""
    if operation not in OPERATIONS:
        return 'operation must be one of %s, got %r' % (
            ', '.join(OPERATIONS), operation)
    if operation in WITH_SOURCE and not uuidutils.is_uuid_like(
            migration_uuid):
        return ('%s needs migration_uuid, the consumer that holds the '
                'source until the move is confirmed or reverted; got %r'
                % (operation, migration_uuid))
    if operation == UNSHELVE and migration_uuid is not None:
        return 'unshelve holds no source: migration_uuid must be None'
    flavor = changes.flavor
    if operation == RESIZE:
        if (not isinstance(flavor, flavor_obj.Flavor) or
                not flavor.obj_attr_is_set('memory_mb')):
            return 'resize needs flavor, a Flavor object with its sizes'
    elif flavor is not None:
        return '%s keeps the flavor: only resize takes one' % operation
    if changes.availability_zone is not None and operation != UNSHELVE:
        return ('%s keeps the availability zone: only unshelve takes one'
                % operation)
    if changes.allow_cross_cell_move and operation not in CROSS_CELL:
        return ('%s stays in the instance\'s cell: only migrate and resize '
                'may cross cells' % operation)
    for value, what in ((changes.host, 'host'), (changes.node, 'node'),
                        (changes.availability_zone, 'availability_zone')):
        if value is not None:
            found = arguments.name_problem(value, what)
            if found:
                return found
    for values, what in ((changes.aggregates, 'aggregates'),
                         (changes.ignore_hosts, 'ignore_hosts'),
                         (changes.force_hosts, 'force_hosts'),
                         (changes.force_nodes, 'force_nodes')):
        found = _names_problem(values, what)
        if found:
            return found
    return None


def source_of(hosts, host, node):
    """The Source of an instance on ``host``/``node`` in a HostState."""
    if not host:
        return Source()
    rows = [r for r in hosts.host_rows.get(host, ())
            if node is None or hosts.nodenames[r] == node]
    if not rows:
        return Source(host=host, node=node)
    row = rows[0]
    return Source(host=host, node=hosts.nodenames[row],
                  cell_uuid=hosts.cells[hosts.cell[row]],
                  traits=frozenset(hosts.traits[row]))


def _same_host_allowed(conf, operation, source):
    if operation == RESIZE:
        return bool(conf.scheduler.allow_resize_to_same_host)
    if operation == MIGRATE:
        return SAME_HOST_COLD_MIGRATE in source.traits
    return False


def build(conf, stored, operation, instance_uuid, source, changes,
          migration_uuid=None):
    """(RequestSpec to schedule, spec primitive to store with the claim,
    the move for gantt.db.move.begin)."""
    spec = stored_spec.load(stored)
    if operation == RESIZE:
        spec.flavor = changes.flavor
    if operation == UNSHELVE and changes.availability_zone:
        spec.availability_zone = changes.availability_zone
    after = stored_spec.per_instance(spec, [instance_uuid])[instance_uuid]
    # What the controller's conductor resets or sets for one move only.
    spec.retry = None
    spec.force_hosts = list(changes.force_hosts)
    spec.force_nodes = list(changes.force_nodes)
    ignore = list(changes.ignore_hosts)
    if (operation in WITH_SOURCE and source.host and
            not _same_host_allowed(conf, operation, source) and
            source.host not in ignore):
        ignore.append(source.host)
    spec.ignore_hosts = ignore
    cross = bool(changes.allow_cross_cell_move)
    # A targeted cross-cell move may land in any cell; an untargeted one
    # prefers the instance's (CrossCellWeigher), others stay in it.
    cell = None if (cross and changes.host) else source.cell_uuid
    if changes.host or changes.node or changes.aggregates or cell:
        spec.requested_destination = destination_obj.Destination(
            host=changes.host, node=changes.node, cell_uuid=cell,
            aggregates=list(changes.aggregates),
            allow_cross_cell_move=cross)
    else:
        spec.requested_destination = None
    moving = {'instance_uuid': instance_uuid,
              'migration_uuid': (migration_uuid if operation in WITH_SOURCE
                                 else None),
              'operation': operation, 'source_host': source.host,
              'source_node': source.node,
              'old_spec': (stored if isinstance(stored, str)
                           else jsonutils.dumps(stored))}
    return spec, after, moving
