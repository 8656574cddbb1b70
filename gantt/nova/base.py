"""nova's objects as Gantt reads and writes them: registry and base class.

They live in a registry of their own: oslo.versionedobjects keeps one
process-wide table of classes by name, and nova's RequestSpec or Selection
must never be taken for Gantt's (or replace it) in that table.
"""

from oslo_utils import versionutils
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import exception as ovo_exception

#: name -> class, for the objects of nova's namespace only.
_CLASSES = {}


def register(cls):
    """Register ``cls`` as nova's object of its name (never in ovo's table)."""
    ovo_base.VersionedObjectRegistry.objectify(cls)
    _CLASSES[cls.obj_name()] = cls
    return cls


def classes():
    """{name: class} of every nova object Gantt knows."""
    return dict(_CLASSES)


class NovaObject(ovo_base.VersionedObject):
    """Base of nova's objects: nova's serial and project namespaces.

    A class declares the fields Gantt reads or writes, each with the type
    nova 34 gives it (tests/unit/nova/test_objects.py checks them against
    nova's). Fields it does not declare are skipped when an object is read,
    so one class reads every minor version of the same major: an older
    one lacks fields (left unset), a newer one adds fields (ignored).
    """

    OBJ_SERIAL_NAMESPACE = 'nova_object'
    OBJ_PROJECT_NAMESPACE = 'nova'

    @classmethod
    def obj_class_from_name(cls, objname, objver):
        found = _CLASSES.get(objname)
        if found is None:
            raise ovo_exception.UnsupportedObjectError(
                objtype='nova.%s' % objname)
        theirs = versionutils.convert_version_to_tuple(objver)
        ours = versionutils.convert_version_to_tuple(found.VERSION)
        if theirs[0] != ours[0]:
            raise ovo_exception.IncompatibleObjectVersion(
                objname=objname, objver=objver, supported=found.VERSION)
        return found

    def get(self, name, default=None):
        """The field's value, or ``default`` when unset or None."""
        if name not in self.fields or not self.obj_attr_is_set(name):
            return default
        value = getattr(self, name)
        return default if value is None else value


class NovaObjectList(ovo_base.ObjectListBase):
    """Mixin for nova's list objects; combine with :class:`NovaObject`."""
