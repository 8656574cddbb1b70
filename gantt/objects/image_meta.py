"""ImageMeta and ImageMetaProps: the image an instance boots from.

Properties the image filters know are typed fields; any other image
property is kept as a string in ``ImageMetaProps.extra``.
"""

from oslo_utils import strutils
from oslo_versionedobjects import fields as ovo_fields

from gantt.objects import base
from gantt.objects import fields


def _from_text(field, value):
    """An image property as Glance keeps it (text) read for ``field``:
    integers, numbers and booleans are parsed from their text here, at the
    edge, because the strict field types refuse text."""
    if not isinstance(value, str):
        return value
    kind = field._type
    if isinstance(kind, ovo_fields.Integer):
        return int(value)
    if isinstance(kind, ovo_fields.Float):
        return float(value)
    if isinstance(kind, ovo_fields.Boolean):
        return strutils.bool_from_string(value, strict=True)
    return value


@base.GanttObjectRegistry.register
class ImageMetaProps(base.GanttObject):
    """Image properties used for scheduling."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'hw_architecture': fields.StringField(nullable=True, default=None),
        'img_hv_type': fields.StringField(nullable=True, default=None),
        'hw_vm_mode': fields.StringField(nullable=True, default=None),
        'img_hv_requested_version': fields.VersionPredicateField(
            nullable=True, default=None),
        'os_type': fields.StringField(nullable=True, default=None),
        'os_distro': fields.StringField(nullable=True, default=None),
        'hw_machine_type': fields.StringField(nullable=True, default=None),
        'hw_cpu_policy': fields.StringField(nullable=True, default=None),
        'hw_mem_page_size': fields.StringField(nullable=True, default=None),
        'hw_numa_nodes': fields.IntegerField(nullable=True, default=None),
        'traits_required': fields.ListOfStringsField(nullable=True,
                                                     default=[]),
        'extra': fields.DictOfStringsField(nullable=True, default={}),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)

    def get(self, name, default=None):
        """Return a typed property, else an ``extra`` one, else ``default``.

        A typed property that is unset or None counts as absent.
        """
        if name in self.fields and name != 'extra':
            if self.obj_attr_is_set(name):
                value = getattr(self, name)
                if value is not None:
                    return value
            return default
        extra = self.extra if self.obj_attr_is_set('extra') else None
        if not extra:
            return default
        return extra.get(name, default)

    @classmethod
    def from_dict(cls, props):
        """Build from a flat property dict; unknown keys go to ``extra``."""
        obj = cls()
        extra = {}
        for key, value in (props or {}).items():
            if key in cls.fields and key != 'extra':
                setattr(obj, key, _from_text(cls.fields[key], value))
            else:
                # Other properties are kept as their text.
                extra[key] = value if isinstance(value, str) else str(value)
        obj.extra = extra
        return obj


@base.GanttObjectRegistry.register
class ImageMeta(base.GanttObject):
    """An image's metadata; sizes are in bytes (size), GB and MB (min_*)."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'id': fields.UUIDField(nullable=True, default=None),
        'name': fields.StringField(nullable=True, default=None),
        'checksum': fields.StringField(nullable=True, default=None),
        'container_format': fields.StringField(nullable=True, default=None),
        'disk_format': fields.StringField(nullable=True, default=None),
        'min_disk': fields.IntegerField(nullable=True, default=0),
        'min_ram': fields.IntegerField(nullable=True, default=0),
        'size': fields.IntegerField(nullable=True, default=None),
        'owner': fields.StringField(nullable=True, default=None),
        'properties': fields.ObjectField('ImageMetaProps', nullable=True),
    }

    obj_relationships = {
        'properties': [('1.0', '1.0')],
    }

    child_defaults = ('properties',)

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)

    @classmethod
    def from_dict(cls, image):
        """Build from an image dict whose ``properties`` is a flat dict."""
        image = dict(image or {})
        props = image.pop('properties', None)
        obj = cls(**{k: v for k, v in image.items() if k in cls.fields})
        obj.properties = ImageMetaProps.from_dict(props)
        return obj
