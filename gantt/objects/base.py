"""The registry, base classes and RPC serializer for Gantt's versioned objects.

Every object Gantt sends or receives derives from :class:`GanttObject` and is
registered with :class:`GanttObjectRegistry`, which also publishes the newest
version of each class as an attribute of :mod:`gantt.objects`.
"""

import copy
import threading

from oslo_log import log as logging
from oslo_utils import versionutils
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import exception as ovo_exception
from oslo_versionedobjects import fields as ovo_fields

from gantt import exception


def field(obj, name, default=None):
    """``obj.name``, or ``default`` when obj is None or the field is unset
    or None. Unset fields of versioned objects are never read (reading one
    would raise); plain objects work too.
    """
    if obj is None:
        return default
    is_set = getattr(obj, 'obj_attr_is_set', None)
    if is_set is not None and not is_set(name):
        return default
    value = getattr(obj, name, default)
    return default if value is None else value


LOG = logging.getLogger(__name__)

# Defaults of these types are shared, not copied, by every object.
_IMMUTABLE = (type(None), bool, int, float, str, tuple, frozenset)
# How deep this thread is in hydrating objects from primitives.
_hydrating = threading.local()

_SERIAL_KEYS = ('name', 'namespace', 'version', 'data')


class InvalidPrimitive(exception.GanttException, ValueError):
    """A primitive that cannot be an object of any version: bad shape or data.

    Unknown object names and unsupported major versions keep oslo's own
    ``UnsupportedObjectError`` and ``IncompatibleObjectVersion``.
    """

    msg_fmt = 'Malformed object primitive: %(reason)s'


class GanttObjectRegistry(ovo_base.VersionedObjectRegistry):
    """Registry of Gantt objects; exposes each class on ``gantt.objects``."""

    def registration_hook(self, cls, index):
        # Imported here: gantt.objects imports this module.
        from gantt import objects

        name = cls.obj_name()
        current = getattr(objects, name, None)
        newer = current is None or (
            versionutils.convert_version_to_tuple(cls.VERSION) >=
            versionutils.convert_version_to_tuple(current.VERSION))
        if newer:
            setattr(objects, name, cls)


class GanttObject(ovo_base.VersionedObject):
    """Base of every Gantt object.

    Fields with a ``default`` are filled in at construction (so an object
    built from an older or partial primitive still reads sensibly), and
    ``child_defaults`` names object fields that start as an empty child
    object rather than unset.
    """

    OBJ_PROJECT_NAMESPACE = 'gantt'
    OBJ_SERIAL_NAMESPACE = 'versioned_object'

    # Object-typed fields that default to a fresh, empty child object.
    child_defaults = ()

    def __init__(self, context=None, **kwargs):
        super().__init__(context, **kwargs)
        if not getattr(_hydrating, 'depth', 0):
            self._fill_defaults()

    @classmethod
    def _defaults(cls):
        """[(field, default, copy it?)] of the fields that have a default.

        Computed once per class: filling defaults runs for every object
        built or received, and ovo's obj_set_defaults deep-copies every
        default each time, set or not.
        """
        found = cls.__dict__.get('_defaults_cache')
        if found is None:
            found = [(name, fld.default,
                      not isinstance(fld.default, _IMMUTABLE))
                     for name, fld in cls.fields.items()
                     if fld.default != ovo_fields.UnspecifiedDefault]
            cls._defaults_cache = found
        return found

    @classmethod
    def _object_fields(cls):
        """Names of the fields that hold one child object (computed once)."""
        found = cls.__dict__.get('_object_fields_cache')
        if found is None:
            found = [name for name, fld in cls.fields.items()
                     if isinstance(fld._type, ovo_fields.Object)]
            cls._object_fields_cache = found
        return found

    def obj_what_changed(self):
        """Changed fields, a child object counting when it changed.

        Same answer as ovo's, which asks every field whether it holds an
        object; serialising calls this twice per object in the tree.
        """
        changes = {f for f in self._changed_fields if f in self.fields}
        for name in self._object_fields():
            if name not in changes and self.obj_attr_is_set(name):
                child = getattr(self, name)
                if (isinstance(child, ovo_base.VersionedObject) and
                        child.obj_what_changed()):
                    changes.add(name)
        return changes

    def _fill_defaults(self):
        """Give unset fields their default, and child_defaults a child."""
        for name, default, mutable in self._defaults():
            if not self.obj_attr_is_set(name):
                setattr(self, name,
                        copy.deepcopy(default) if mutable else default)
        for name in self.child_defaults:
            if not self.obj_attr_is_set(name):
                child_name = self.fields[name].objname
                child_cls = GanttObjectRegistry.obj_classes()[child_name][0]
                setattr(self, name, child_cls())

    def obj_make_compatible(self, primitive, target_version):
        # Each subclass drops, for older targets, the fields it added later;
        # this base only backports the child objects.
        super().obj_make_compatible(primitive, target_version)

    @classmethod
    def obj_from_primitive(cls, primitive, context=None):
        """Hydrate an object, rejecting a malformed primitive loudly."""
        if not isinstance(primitive, dict):
            raise InvalidPrimitive(
                reason='expected a dict, got %s' % type(primitive).__name__)
        missing = [k for k in _SERIAL_KEYS
                   if cls._obj_primitive_key(k) not in primitive]
        if missing:
            raise InvalidPrimitive(
                reason='missing %s' % ', '.join(
                    cls._obj_primitive_key(k) for k in missing))
        version = primitive[cls._obj_primitive_key('version')]
        try:
            versionutils.convert_version_to_tuple(version)
        except (ValueError, TypeError, AttributeError):
            raise InvalidPrimitive(reason='bad version %r' % (version,))
        if not isinstance(primitive[cls._obj_primitive_key('data')], dict):
            raise InvalidPrimitive(reason='%s is not a dict' %
                                   cls._obj_primitive_key('data'))
        return super().obj_from_primitive(primitive, context=context)

    @classmethod
    def _obj_from_primitive(cls, context, objver, primitive):
        # Hydrate first and default only what the primitive left unset,
        # rather than default every field and then overwrite most of them.
        _hydrating.depth = getattr(_hydrating, 'depth', 0) + 1
        try:
            obj = super()._obj_from_primitive(context, objver, primitive)
        except (ovo_exception.VersionedObjectsException, InvalidPrimitive):
            raise
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise InvalidPrimitive(
                reason='%s %s: %s' % (cls.obj_name(), objver, exc)) from exc
        finally:
            _hydrating.depth -= 1
        changed = obj._changed_fields
        obj._fill_defaults()
        obj._changed_fields = changed
        return obj


class GanttObjectListBase(ovo_base.ObjectListBase):
    """Mixin for list objects; combine with :class:`GanttObject`."""


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

    OBJ_BASE_CLASS = GanttObject

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
                raise InvalidPrimitive(reason='missing %s' % namekey)
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


def _is_current(cls, manifest):
    """Whether ``manifest`` names this code's version of ``cls`` and of
    every object class reachable through its fields (so nothing needs a
    backport). Memoised per class and manifest content.
    """
    key = (cls.obj_name(), tuple(sorted(manifest.items())))
    found = _current.get(key)
    if found is not None:
        return found
    classes = GanttObjectRegistry.obj_classes()
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
    if (type(obj) is GanttObjectRegistry.obj_classes().get(
            obj.obj_name(), [None])[0] and _is_current(type(obj), manifest)):
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
    return '%s.%s' % (GanttObject.OBJ_SERIAL_NAMESPACE, name)


def _downgrade_one(primitive):
    """A copy of one object primitive at our newest version, or None.

    None when the object is unknown, of another major, or not newer.
    """
    name = primitive.get(_key('name'))
    version = primitive.get(_key('version'))
    classes = GanttObjectRegistry.obj_classes().get(name)
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
    copy = dict(primitive)
    copy[_key('version')] = ours.VERSION
    copy[_key('data')] = {k: v for k, v in data.items() if k in ours.fields}
    changes = primitive.get(_key('changes'))
    if isinstance(changes, list):
        copy[_key('changes')] = [c for c in changes if c in ours.fields]
    with _logged_lock:
        first = (name, version) not in _logged_newer
        _logged_newer.add((name, version))
    if first:
        LOG.info('Accepting %(name)s %(theirs)s from a newer peer as '
                 '%(ours)s, the newest this code knows; ignoring fields '
                 '%(dropped)s (logged once)',
                 {'name': name, 'theirs': version, 'ours': ours.VERSION,
                  'dropped': ', '.join(dropped) or '(none)'})
    return copy


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
