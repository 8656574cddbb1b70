"""Gantt's strict field types: values taken as they are, or refused by name."""

import uuid

from oslo_versionedobjects import fields as ovo_fields
import testscenarios
import testtools

from gantt import limits
from gantt.objects import fields


class TestUUIDField(testscenarios.WithScenarios, testtools.TestCase):

    scenarios = [
        ('canonical', dict(value='0f5cbc52-6a1a-4a0e-9d52-6c0b5e1b4a9d')),
        ('upper case', dict(value='0F5CBC52-6A1A-4A0E-9D52-6C0B5E1B4A9D')),
        ('no dashes', dict(value='0f5cbc526a1a4a0e9d526c0b5e1b4a9d')),
        ('a UUID object', dict(value=uuid.UUID(int=7))),
        ('not a UUID', dict(value='uuid-host1')),
        ('an integer', dict(value=42)),
    ]

    def test_a_uuid_text_is_taken_as_it_is_anything_else_refused(self):
        field = fields.UUIDField()
        try:
            uuid.UUID(self.value) if isinstance(self.value, str) else None
            is_uuid_text = isinstance(self.value, str)
        except ValueError:
            is_uuid_text = False
        if is_uuid_text:
            value = field.coerce(None, 'compute_node_uuid', self.value)
            self.assertEqual(self.value, value)
            self.assertIs(str, type(value))
        else:
            exc = self.assertRaises(ValueError, field.coerce, None,
                                    'compute_node_uuid', self.value)
            self.assertIn('compute_node_uuid must be a UUID', str(exc))

    def test_nullable_and_repr_as_oslo(self):
        self.assertIsNone(fields.UUIDField(nullable=True).coerce(
            None, 'cell_uuid', None))
        # Object fingerprints (tests/unit/objects/test_objects.py) are
        # taken from field reprs, so swapping the type changes no version.
        self.assertEqual(repr(ovo_fields.UUIDField(nullable=True)),
                         repr(fields.UUIDField(nullable=True)))


class TestStrictScalars(testscenarios.WithScenarios, testtools.TestCase):
    """A value of another type is refused, naming the field, never
    coerced: "16" and 16.5 are not integers, 1 is not a boolean."""

    scenarios = [
        ('text_integer', dict(field=fields.IntegerField(), value='16',
                              what='an integer')),
        ('float_integer', dict(field=fields.IntegerField(), value=16.5,
                               what='an integer')),
        ('bool_integer', dict(field=fields.IntegerField(), value=True,
                              what='an integer')),
        ('huge_integer', dict(field=fields.IntegerField(), value=2 ** 70,
                              what='a 64-bit integer')),
        ('text_float', dict(field=fields.FloatField(), value='1.5',
                            what='a number')),
        ('nan_float', dict(field=fields.FloatField(), value=float('nan'),
                           what='a finite number')),
        ('int_bool', dict(field=fields.BooleanField(), value=1,
                          what='a boolean')),
        ('text_bool', dict(field=fields.BooleanField(), value='false',
                           what='a boolean')),
        ('int_string', dict(field=fields.StringField(), value=16,
                            what='a string')),
        ('list_string', dict(field=fields.StringField(), value=['a'],
                             what='a string')),
        ('dict_of_strings', dict(field=fields.DictOfStringsField(),
                                 value={'k': 5}, what='a string')),
    ]

    def test_refuses_and_names_the_field(self):
        exc = self.assertRaises(ValueError, self.field.coerce, None,
                                'vcpus', self.value)
        self.assertIn('must be %s' % self.what, str(exc))


class TestStrictAccepts(testtools.TestCase):

    def test_values_of_the_right_type_are_kept(self):
        self.assertEqual(16, fields.IntegerField().coerce(None, 'v', 16))
        self.assertEqual(2.0, fields.FloatField().coerce(None, 'r', 2))
        self.assertIs(float, type(fields.FloatField().coerce(None, 'r', 2)))
        self.assertIs(False, fields.BooleanField().coerce(None, 'b', False))
        self.assertEqual('h', fields.StringField().coerce(None, 's', 'h'))

    def test_a_name_longer_than_the_limit_is_refused(self):
        field = fields.NameField()
        limit = limits.CURRENT.max_name_length
        self.assertEqual('h' * limit, field.coerce(None, 'host', 'h' * limit))
        exc = self.assertRaises(ValueError, field.coerce, None, 'host',
                                'h' * (10 * 1024 * 1024))
        self.assertIn('host is a string of length 10485760, above the '
                      'limit %d' % limit, str(exc))
        # The error does not quote the ten megabytes.
        self.assertLess(len(str(exc)), 200)

    def test_strict_types_keep_oslo_reprs(self):
        # Object fingerprints are taken from field reprs.
        for ours, theirs in ((fields.IntegerField, ovo_fields.IntegerField),
                             (fields.StringField, ovo_fields.StringField),
                             (fields.NameField, ovo_fields.StringField),
                             (fields.FloatField, ovo_fields.FloatField),
                             (fields.BooleanField, ovo_fields.BooleanField),
                             (fields.DictOfStringsField,
                              ovo_fields.DictOfStringsField),
                             (fields.ListOfNamesField,
                              ovo_fields.ListOfStringsField)):
            self.assertEqual(repr(theirs(nullable=True, default=None)),
                             repr(ours(nullable=True, default=None)))
