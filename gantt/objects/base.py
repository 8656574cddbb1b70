"""The registry and base classes of Gantt's versioned objects.

Every object Gantt sends or receives derives from :class:`GanttObject` and is
registered with :class:`GanttObjectRegistry`, which also publishes the newest
version of each class as an attribute of :mod:`gantt.objects`. How objects
cross the wire is :mod:`gantt.objects.serializer`.
"""

import copy
import functools
import threading

from oslo_utils import versionutils
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import exception as ovo_exception
from oslo_versionedobjects import fields as ovo_fields

from gantt import exception
from gantt import limits


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


# Per object class: (field name, the attribute ovo keeps its value in).
_STORED_AS = {}


def values(obj):
    """{name: value} of every field of ``obj`` that is set and not None;
    {} when obj is None. One pass over the object, for a reader that takes
    every field at once (gantt.request reads a RequestSpec so)."""
    if obj is None:
        return {}
    if not isinstance(obj, ovo_base.VersionedObject):
        return {k: v for k, v in vars(obj).items() if v is not None}
    cls = type(obj)
    stored_as = _STORED_AS.get(cls)
    if stored_as is None:
        stored_as = _STORED_AS[cls] = [(name, '_obj_' + name)
                                       for name in cls.fields]
    held = vars(obj)
    got = {}
    for name, attr in stored_as:
        value = held.get(attr)
        if value is not None:
            got[name] = value
    return got


# Defaults of these types are shared, not copied, by every object.
_IMMUTABLE = (type(None), bool, int, float, str, tuple, frozenset)
# How deep this thread is in hydrating objects from primitives.
_hydrating = threading.local()

_SERIAL_NAMESPACE = 'versioned_object'
_SERIAL_KEYS = ('name', 'namespace', 'version', 'data')
_KEY_NAME, _KEY_NAMESPACE, _KEY_VERSION, _KEY_DATA, _KEY_CHANGES = (
    '%s.%s' % (_SERIAL_NAMESPACE, key) for key in _SERIAL_KEYS + ('changes',))


@functools.lru_cache(maxsize=256)
def _version_tuple(version):
    """(major, minor) of an object version string; raises if malformed.

    Every object received is checked, and the same few versions come
    again and again, so parsed versions are remembered.
    """
    return versionutils.convert_version_to_tuple(version)


# Field types whose from_primitive and coerce give back a value of exactly
# this Python type unchanged (the same object), so a received value of that
# type needs neither.
_PLAIN_TYPES = {ovo_fields.String: str, ovo_fields.Integer: int,
                ovo_fields.Float: float, ovo_fields.Boolean: bool}


def _is_plain(kind):
    return lambda value: type(value) is kind


def _fresh(value):
    """A copy of the mutable default `value` for one object (most are
    empty, and deepcopy costs ten times a new empty container)."""
    if not value and type(value) in (list, dict, set):
        return type(value)()
    return copy.deepcopy(value)


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
    OBJ_SERIAL_NAMESPACE = _SERIAL_NAMESPACE

    # Object-typed fields that default to a fresh, empty child object.
    child_defaults = ()

    def __init__(self, context=None, **kwargs):
        super().__init__(context, **kwargs)
        if not getattr(_hydrating, 'depth', 0):
            self._fill_defaults()

    def obj_attr_is_set(self, attrname):
        """ovo's answer (unknown names raise AttributeError), from the
        fields dict: ovo builds a list of every field name on each call,
        and serialising, hydrating and defaulting ask ~170 times a
        decision."""
        if attrname not in self.fields and (
                attrname not in self.obj_extra_fields):
            raise AttributeError('%s object has no attribute %r' % (
                self.obj_name(), attrname))
        return hasattr(self, '_obj_' + attrname)

    @classmethod
    def _defaults(cls):
        """[(field name, field, default, immutable?)] of the fields that
        have a default.

        Computed once per class: filling defaults runs for every object
        built or received, and ovo's obj_set_defaults deep-copies every
        default each time, set or not. An immutable default is kept
        already coerced by its field; a mutable one (a list, dict or set)
        is coerced for each object, as the coerced collection remembers
        the object it belongs to.
        """
        found = cls.__dict__.get('_defaults_cache')
        if found is None:
            found = []
            for name, fld in cls.fields.items():
                default = fld.default
                if default == ovo_fields.UnspecifiedDefault:
                    continue
                immutable = isinstance(default, _IMMUTABLE)
                if immutable:
                    default = fld.coerce(None, name, default)
                found.append((name, fld, default, immutable))
            cls._defaults_cache = found
        return found

    @classmethod
    def _receivers(cls):
        """[(field name, field, as-is test, None taken as is?)] for
        hydrating (computed once per class).

        A received value the test passes (its type is exactly the field's
        plain type, _PLAIN_TYPES; Gantt's strict types test their bounds
        too, their ``takes_as_is``), or a None for a nullable field, is
        what ovo's
        from_primitive and coerce would return; the shortcut is taken only
        when the field class keeps ovo's own from_primitive and coerce.
        """
        found = cls.__dict__.get('_receivers_cache')
        if found is None:
            found = []
            field_cls = ovo_fields.Field
            for name, fld in cls.fields.items():
                stock = (type(fld).coerce is field_cls.coerce and
                         type(fld).from_primitive is field_cls.from_primitive)
                plain = None
                if stock and hasattr(fld._type, 'takes_as_is'):
                    plain = fld._type.takes_as_is
                elif stock and type(fld._type) in _PLAIN_TYPES:
                    plain = _is_plain(_PLAIN_TYPES[type(fld._type)])
                found.append((name, fld, plain, stock and fld.nullable))
            cls._receivers_cache = found
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

    def obj_to_primitive(self, target_version=None, version_manifest=None):
        """ovo's primitive of this object; at its own version and without
        a manifest (every reply, and every request to a current peer),
        built here in one pass.

        ovo parses both version strings with a regex and reads each field
        through its property on every call; serialising a decision's
        objects did that some twenty times. A backport (another version
        or a manifest) goes to ovo. tests/unit/objects/test_base.py checks
        both give the same primitive for every object.
        """
        if version_manifest or (target_version is not None and
                                target_version != self.VERSION):
            return super().obj_to_primitive(target_version,
                                            version_manifest)
        data = {}
        for name, fld in self.fields.items():
            attrname = '_obj_' + name
            if hasattr(self, attrname):
                data[name] = fld.to_primitive(self, name,
                                              getattr(self, attrname))
        primitive = {_KEY_NAME: self.obj_name(),
                     _KEY_NAMESPACE: self.OBJ_PROJECT_NAMESPACE,
                     _KEY_VERSION: self.VERSION,
                     _KEY_DATA: data}
        changes = [name for name in self.obj_what_changed() if name in data]
        if changes:
            primitive[_KEY_CHANGES] = changes
        return primitive

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
        for name, fld, default, immutable in self._defaults():
            attrname = '_obj_' + name
            if not hasattr(self, attrname):
                # What ovo's setter does, less what an unset field of a
                # new object never needs (the read-only check).
                setattr(self, attrname, default if immutable else
                        fld.coerce(self, name, _fresh(default)))
                self._changed_fields.add(name)
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
        name = primitive[cls._obj_primitive_key('name')]
        if not isinstance(name, str) or (
                name not in GanttObjectRegistry.obj_classes()):
            # Refused here, before ovo would log an error line of its own.
            raise ovo_exception.UnsupportedObjectError(
                objtype=limits.brief(name))
        version = primitive[cls._obj_primitive_key('version')]
        try:
            _version_tuple(version)
        except (ValueError, TypeError, AttributeError):
            raise InvalidPrimitive(reason='bad version %r' % (version,))
        if not isinstance(primitive[cls._obj_primitive_key('data')], dict):
            raise InvalidPrimitive(reason='%s is not a dict' %
                                   cls._obj_primitive_key('data'))
        return super().obj_from_primitive(primitive, context=context)

    @classmethod
    def _hydrate(cls, context, objver, primitive):
        """ovo's hydration: each field the primitive carries, read by its
        field and coerced, as ovo's setter would; the object is new, so
        the setter's read-only check has nothing to compare with, and
        setting the attribute directly saves its dispatch (a RequestSpec
        carries some sixty fields with its children). A value ovo would
        give back unchanged (see _receivers) is taken as it is.
        """
        obj = cls()
        obj._context = context
        obj.VERSION = objver
        data = primitive[_KEY_DATA]
        for name, fld, plain, none_as_is in cls._receivers():
            if name not in data:
                continue
            value = data[name]
            if not (value is None and none_as_is) and not (
                    plain is not None and plain(value)):
                value = fld.coerce(obj, name,
                                   fld.from_primitive(obj, name, value))
            setattr(obj, '_obj_' + name, value)
        obj._changed_fields = {name for name in primitive.get(
            _KEY_CHANGES, []) if name in cls.fields}
        return obj

    @classmethod
    def _obj_from_primitive(cls, context, objver, primitive):
        # Hydrate first and default only what the primitive left unset,
        # rather than default every field and then overwrite most of them.
        _hydrating.depth = getattr(_hydrating, 'depth', 0) + 1
        try:
            obj = cls._hydrate(context, objver, primitive)
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
