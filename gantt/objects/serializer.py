"""Objects on the wire: the RPC serializer, backports and newer minors.

What is sent is backported to the manifest of the RPC version in use (in
one pass when that manifest names this code's versions throughout); what
is received from a newer peer at a newer minor version is made ours, its
unknown fields dropped and logged once.
"""

import threading

from oslo_log import log as logging
from oslo_utils import versionutils
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import exception as ovo_exception
from oslo_versionedobjects import fields as ovo_fields

from gantt.objects import base

LOG = logging.getLogger(__name__)


class GanttObjectSerializer(ovo_base.VersionedObjectSerializer):
    """Turns Gantt objects into primitives and back on the RPC boundary.

    ``version_manifest`` ({object name: version}, or a callable returning
    one or None) backports what is sent: a client capped at an older RPC
    version passes that version's manifest, a server one that looks at the
    message being answered. An object of a newer minor version than this
    code knows (a newer peer) is accepted: the fields this code does not
    know are dropped, once logged. A dict that carries object keys but no
    object name is a malformed object, not a plain dict argument, and is
    rejected.
    """

    OBJ_BASE_CLASS = base.GanttObject

    def __init__(self, version_manifest=None):
        super().__init__()
        self._version_manifest = version_manifest

    def _manifest(self):
        manifest = self._version_manifest
        return manifest() if callable(manifest) else manifest

    def serialize_entity(self, context, entity):
        manifest = self._manifest()
        if manifest and isinstance(entity, ovo_base.VersionedObject):
            return backport(entity, manifest)
        if manifest and isinstance(entity, (tuple, list, set, dict)):
            return self._process_iterable(context, self.serialize_entity,
                                          entity)
        return super().serialize_entity(context, entity)

    def deserialize_entity(self, context, entity):
        if isinstance(entity, dict):
            prefix = self.OBJ_BASE_CLASS.OBJ_SERIAL_NAMESPACE + '.'
            namekey = prefix + 'name'
            if namekey not in entity and any(
                    isinstance(k, str) and k.startswith(prefix)
                    for k in entity):
                raise base.InvalidPrimitive(reason='missing %s' % namekey)
        return super().deserialize_entity(context, entity)

    def _process_object(self, context, objprim):
        try:
            return super()._process_object(context, objprim)
        except ovo_exception.IncompatibleObjectVersion:
            known = accept_newer_minor(objprim)
            if known is objprim:
                raise
            return super()._process_object(context, known)


def _object_names(field_type):
    """Names of the object types a field type holds, at any depth."""
    if isinstance(field_type, ovo_fields.Object):
        return {field_type._obj_name}
    if isinstance(field_type, ovo_fields.CompoundFieldType):
        return _object_names(field_type._element_type._type)
    return set()


_current = {}
_current_lock = threading.Lock()


def is_current(cls, manifest):
    """Whether ``manifest`` names this code's version of ``cls`` and of
    every object class reachable through its fields (so nothing needs a
    backport). Memoised per class and manifest content.
    """
    key = (cls.obj_name(), tuple(sorted(manifest.items())))
    found = _current.get(key)
    if found is not None:
        return found
    classes = base.GanttObjectRegistry.obj_classes()
    seen, todo, current = set(), [cls.obj_name()], True
    while todo and current:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        newest = classes.get(name, [None])[0]
        if newest is None or manifest.get(name) != newest.VERSION:
            current = False
            break
        for fld in newest.fields.values():
            todo.extend(_object_names(fld._type))
    with _current_lock:
        _current[key] = current
    return current


def backport(obj, manifest):
    """``obj``'s primitive at the version ``manifest`` names (or its own).

    Children follow the manifest too. A manifest naming a version newer
    than this code's class (it came from a newer table) sends ours. When
    the manifest names this code's versions throughout, the object is
    serialised in one pass, without the backport walk.
    """
    if (type(obj) is base.GanttObjectRegistry.obj_classes().get(
            obj.obj_name(), [None])[0] and is_current(type(obj), manifest)):
        return obj.obj_to_primitive()
    target = manifest.get(obj.obj_name())
    if target is None or (versionutils.convert_version_to_tuple(target) >
                          versionutils.convert_version_to_tuple(obj.VERSION)):
        target = obj.VERSION
    return obj.obj_to_primitive(target_version=target,
                                version_manifest=manifest)


_logged_newer = set()
_logged_lock = threading.Lock()


def _key(name):
    return '%s.%s' % (base.GanttObject.OBJ_SERIAL_NAMESPACE, name)


def _downgrade_one(primitive):
    """A copy of one object primitive at our newest version, or None.

    None when the object is unknown, of another major, or not newer.
    """
    name = primitive.get(_key('name'))
    version = primitive.get(_key('version'))
    classes = base.GanttObjectRegistry.obj_classes().get(name)
    if not classes or not isinstance(version, str):
        return None
    ours = classes[0]
    try:
        theirs_t = versionutils.convert_version_to_tuple(version)
    except (ValueError, TypeError, AttributeError):
        return None
    ours_t = versionutils.convert_version_to_tuple(ours.VERSION)
    if theirs_t[0] != ours_t[0] or theirs_t <= ours_t:
        return None
    data = primitive.get(_key('data'))
    if not isinstance(data, dict):
        return None
    dropped = sorted(set(data) - set(ours.fields))
    ours_primitive = dict(primitive)
    ours_primitive[_key('version')] = ours.VERSION
    ours_primitive[_key('data')] = {
        k: v for k, v in data.items() if k in ours.fields}
    changes = primitive.get(_key('changes'))
    if isinstance(changes, list):
        ours_primitive[_key('changes')] = [
            c for c in changes if c in ours.fields]
    with _logged_lock:
        first = (name, version) not in _logged_newer
        _logged_newer.add((name, version))
    if first:
        LOG.info('Accepting %(name)s %(theirs)s from a newer peer as '
                 '%(ours)s, the newest this code knows; ignoring fields '
                 '%(dropped)s (logged once)',
                 {'name': name, 'theirs': version, 'ours': ours.VERSION,
                  'dropped': ', '.join(dropped) or '(none)'})
    return ours_primitive


def accept_newer_minor(primitive):
    """``primitive`` with every newer-minor object in it made ours.

    Walks the children too. Returns the same primitive when nothing in it
    was newer, so the caller can tell a newer minor from another problem
    (an unknown major keeps oslo's IncompatibleObjectVersion).
    """
    if isinstance(primitive, list):
        items = [accept_newer_minor(p) for p in primitive]
        if all(a is b for a, b in zip(items, primitive)):
            return primitive
        return items
    if not isinstance(primitive, dict) or _key('name') not in primitive:
        return primitive
    result = _downgrade_one(primitive) or primitive
    data = result.get(_key('data'))
    if isinstance(data, dict):
        fixed = {}
        for field, value in data.items():
            if isinstance(value, dict) and _key('name') not in value:
                new = {k: accept_newer_minor(v) for k, v in value.items()}
                if any(new[k] is not value[k] for k in value):
                    fixed[field] = new
            else:
                new = accept_newer_minor(value)
                if new is not value:
                    fixed[field] = new
        if fixed:
            if result is primitive:
                result = dict(primitive)
            result[_key('data')] = dict(data, **fixed)
    return result
