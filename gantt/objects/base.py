"""The registry, base classes and RPC serializer for Gantt's versioned objects.

Every object Gantt sends or receives derives from :class:`GanttObject` and is
registered with :class:`GanttObjectRegistry`, which also publishes the newest
version of each class as an attribute of :mod:`gantt.objects`.
"""

from oslo_utils import versionutils
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import exception as ovo_exception

from gantt import exception

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
        self.obj_set_defaults()
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
        try:
            return super()._obj_from_primitive(context, objver, primitive)
        except (ovo_exception.VersionedObjectsException, InvalidPrimitive):
            raise
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise InvalidPrimitive(
                reason='%s %s: %s' % (cls.obj_name(), objver, exc)) from exc


class GanttObjectListBase(ovo_base.ObjectListBase):
    """Mixin for list objects; combine with :class:`GanttObject`."""


class GanttObjectSerializer(ovo_base.VersionedObjectSerializer):
    """Turns Gantt objects into primitives and back on the RPC boundary.

    A dict that carries object keys but no object name is a malformed
    object, not a plain dict argument, and is rejected.
    """

    OBJ_BASE_CLASS = GanttObject

    def deserialize_entity(self, context, entity):
        if isinstance(entity, dict):
            prefix = self.OBJ_BASE_CLASS.OBJ_SERIAL_NAMESPACE + '.'
            namekey = prefix + 'name'
            if namekey not in entity and any(
                    isinstance(k, str) and k.startswith(prefix)
                    for k in entity):
                raise InvalidPrimitive(reason='missing %s' % namekey)
        return super().deserialize_entity(context, entity)
