"""Compute reports in the store: the node row and, through it, its tree.

A report is stored whole (the ComputeNode primitive) so a restarted
scheduler rebuilds every host from the table; the node's provider tree
(its root provider, whose VCPU, MEMORY_MB and DISK_GB inventories follow
the report's resources, and any children) is written by gantt.db.provider.
"""

from oslo_serialization import jsonutils
import sqlalchemy as sa

from gantt.db import models
from gantt.db import provider
from gantt.db import service
from gantt.db import timestamps
from gantt import objects
from gantt.objects import base as obj_base
from gantt.objects import compute_node as node_obj

_nodes = models.ComputeNode.__table__
_providers = models.ResourceProvider.__table__

_CHANGES_KEY = 'versioned_object.changes'

# The stored report and when its provider tree was last written: by a
# report that changed it, or by an operator (gantt-manage provider).
_STORED = (
    sa.select(_nodes.c.id, _nodes.c.report_seq, _nodes.c.deleted,
              _nodes.c.data, _nodes.c.change_seq, _nodes.c.report_digest,
              sa.select(_providers.c.change_seq)
              .where(_providers.c.uuid == _nodes.c.uuid)
              .scalar_subquery().label('tree_seq'))
    .where(_nodes.c.uuid == sa.bindparam('uuid')))


def _facts(primitive):
    """A report primitive without what every report changes: its sequence
    and the change lists (their order is a set's)."""
    if isinstance(primitive, dict):
        return {k: (None if k == 'report_seq' else _facts(v))
                for k, v in primitive.items() if k != _CHANGES_KEY}
    if isinstance(primitive, list):
        return [_facts(v) for v in primitive]
    return primitive


def digest(node, primitive=None):
    """The node's report digest: the one its wire form was received with,
    else that of ``primitive`` (its obj_to_primitive())."""
    received = getattr(node, 'wire_digest', None)
    if received is not None:
        return received
    if primitive is None:
        primitive = node.obj_to_primitive()
    return node_obj.report_digest(primitive)


def _tree_as_stored(row, primitive, report_digest):
    """Whether the provider tree stored for this node is exactly what the
    report would write: the stored report says the same, sequence aside
    (by digest; by the whole report for rows stored without one), and
    nothing wrote the tree since it was stored."""
    if row is None or row.deleted or row.tree_seq is None or (
            row.tree_seq > row.change_seq):
        return False
    if row.report_digest is not None:
        return row.report_digest == report_digest
    try:
        stored = jsonutils.loads(row.data)
    except (TypeError, ValueError):
        return False
    return _facts(stored) == _facts(primitive)


def save(session, node, primitive=None, report_digest=None,
         touch_service=True):
    """Store a report; False (nothing written) when it is not newer.

    Computes re-report unchanged facts every period; when the stored tree
    is already what such a report describes, only the node row (sequence,
    liveness) and the service are written. ``primitive`` and
    ``report_digest``
    spare recomputing them; the service is left to the caller when
    ``touch_service`` is false.
    """
    seq = session.info['change_seq']
    if hasattr(node, 'validate'):
        node.validate()
    report_seq = int(obj_base.field(node, 'report_seq', 0))
    row = session.execute(_STORED, {'uuid': node.uuid}).first()
    if row is not None and not row.deleted and report_seq <= row.report_seq:
        return False
    now = timestamps.utcnow()
    if primitive is None:
        primitive = node.obj_to_primitive()
    if report_digest is None:
        report_digest = digest(node, primitive)
    if not _tree_as_stored(row, primitive, report_digest):
        provider.save_tree(session, seq, node,
                           fresh=row is None or row.deleted)
    values = {
        'host': node.host,
        'hypervisor_hostname': node.hypervisor_hostname,
        'cell_uuid': obj_base.field(node, 'cell_uuid'),
        'report_seq': report_seq,
        'data': jsonutils.dumps(primitive),
        'report_digest': report_digest,
        'last_seen_up': now,
        'deleted': False,
        'change_seq': seq,
    }
    if row is None:
        session.execute(sa.insert(_nodes).values(uuid=node.uuid, **values))
    else:
        session.execute(sa.update(_nodes).where(_nodes.c.id == row.id)
                        .values(**values))
    if not touch_service:
        return True
    status = obj_base.field(node, 'service')
    service.touch(session, seq,
                  obj_base.field(status, 'binary', 'gantt-compute'),
                  node.host, version=obj_base.field(status, 'version'),
                  now=now)
    return True


def _soft_delete(session, match):
    """Mark the live nodes ``match`` selects deleted (stamped, so readers
    learn of it); how many there were."""
    return session.execute(
        sa.update(_nodes).where(match).where(_nodes.c.deleted == sa.false())
        .values(deleted=True, change_seq=session.info['change_seq'])
    ).rowcount


def delete(session, uuid):
    """Soft-delete a node; True if it was live."""
    return _soft_delete(session, _nodes.c.uuid == uuid) > 0


def delete_host(session, host):
    """Soft-delete every node of ``host``; how many there were."""
    return _soft_delete(session, _nodes.c.host == host)


_registered = False


def load_node(data):
    """The ComputeNode object a stored primitive describes."""
    global _registered
    if not _registered:
        objects.register_all()
        _registered = True
    return obj_base.GanttObject.obj_from_primitive(jsonutils.loads(data))
