"""Build fully populated sample objects of any registered Gantt class.

Values are derived from each field's type, so a new object or field is
covered by the generic tests without writing a fixture for it.
"""

import datetime

from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import fields as ovo_fields

from gantt import objects
from gantt.objects import base

UUID = '4f0f1b7e-9d1c-4c38-9a8e-3b2f0d6c1a55'
WHEN = datetime.datetime(2026, 11, 21, 6, 0, 0,
                         tzinfo=datetime.timezone.utc)


def gantt_classes():
    """Return {name: [classes, newest first]} for the gantt namespace."""
    objects.register_all()
    return {name: classes for name, classes
            in base.GanttObjectRegistry.obj_classes().items()
            if classes[0].OBJ_PROJECT_NAMESPACE == 'gantt'}


def newest(name):
    return gantt_classes()[name][0]


def value_for(field_type):
    """A non-default sample value for an oslo field type."""
    if isinstance(field_type, ovo_fields.Field):
        # Compound types hold their elements as fields.
        field_type = field_type._type
    if isinstance(field_type, ovo_fields.Object):
        return make(field_type._obj_name)
    if isinstance(field_type, ovo_fields.List):
        return [value_for(field_type._element_type)]
    if isinstance(field_type, ovo_fields.Set):
        return {value_for(field_type._element_type), 'second'}
    if isinstance(field_type, ovo_fields.Dict):
        return {'key': value_for(field_type._element_type)}
    if isinstance(field_type, ovo_fields.UUID):
        return UUID
    if isinstance(field_type, ovo_fields.VersionPredicate):
        return '>=1.2'
    if isinstance(field_type, ovo_fields.String):
        return 'sample'
    if isinstance(field_type, ovo_fields.Boolean):
        return True
    if isinstance(field_type, ovo_fields.Integer):
        return 7
    if isinstance(field_type, ovo_fields.Float):
        return 2.5
    if isinstance(field_type, ovo_fields.DateTime):
        return WHEN
    raise AssertionError('no sample value for %r; teach sample.value_for'
                         % field_type)


def make(name):
    """A sample of the newest ``name`` class with every field set."""
    cls = newest(name)
    obj = cls()
    for field_name, field in cls.fields.items():
        value = value_for(field._type)
        if isinstance(value, list) and field_name == 'objects':
            value = [value[0], value_for(field._type._element_type)]
        setattr(obj, field_name, value)
    obj.obj_reset_changes(recursive=True)
    return obj


def assert_same(test, expected, actual, path='object'):
    """Compare two objects field by field, recursing into children."""
    test.assertEqual(type(expected), type(actual), path)
    if isinstance(expected, ovo_base.VersionedObject):
        for name in expected.fields:
            where = '%s.%s' % (path, name)
            test.assertEqual(expected.obj_attr_is_set(name),
                             actual.obj_attr_is_set(name), where)
            if expected.obj_attr_is_set(name):
                assert_same(test, getattr(expected, name),
                            getattr(actual, name), where)
    elif isinstance(expected, list):
        test.assertEqual(len(expected), len(actual), path)
        for i, (left, right) in enumerate(zip(expected, actual)):
            assert_same(test, left, right, '%s[%d]' % (path, i))
    else:
        test.assertEqual(expected, actual, path)
