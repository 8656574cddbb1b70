"""A plain description of an object's fields, to compare two codebases' wire.

``describe(cls)`` gives {field: 'Type[element] nullable'} with object
fields naming the object and enums their values. It needs only
oslo.versionedobjects, so tools/nova_object_fields.py runs it inside
nova's virtualenv to record what nova 34 sends, and the tests compare
Gantt's nova objects with that record.
"""

from oslo_versionedobjects import fields as ovo_fields


def describe_type(field_type):
    """'Name' of a field type; 'List[Object(Flavor)]' for compound ones."""
    name = type(field_type).__name__
    if isinstance(field_type, ovo_fields.Object):
        return 'Object(%s)' % field_type._obj_name
    if isinstance(field_type, ovo_fields.CompoundFieldType):
        return '%s[%s]' % (name,
                           describe_type(field_type._element_type._type))
    if isinstance(field_type, ovo_fields.Enum):
        return 'Enum(%s)' % ','.join(sorted(field_type._valid_values))
    return name


def describe_field(field):
    return '%s%s' % (describe_type(field._type),
                     ' nullable' if field.nullable else '')


def describe(cls):
    """{'version': cls.VERSION, 'fields': {name: description}}."""
    return {'version': cls.VERSION,
            'fields': {name: describe_field(fld)
                       for name, fld in sorted(cls.fields.items())}}
