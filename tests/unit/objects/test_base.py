"""Malformed primitives fail with a clear exception, never half an object."""

import copy

from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import exception as ovo_exception
from oslo_versionedobjects import fields as ovo_fields
import testscenarios
import testtools

from gantt.objects import base
from gantt.objects import fields
from gantt.objects import serializer as objects_serializer
from tests.unit.objects import sample

_STRICT = (fields.Integer, fields.Float, fields.Boolean, fields.String)


def _good():
    return sample.make('Flavor').obj_to_primitive()


def _set(key, value):
    def mutate(primitive):
        primitive[key] = value
        return primitive
    return mutate


def _drop(key):
    def mutate(primitive):
        del primitive[key]
        return primitive
    return mutate


def _set_data(key, value):
    def mutate(primitive):
        primitive['versioned_object.data'][key] = value
        return primitive
    return mutate


ACCEPTED = object()


class TestMalformedPrimitive(testscenarios.WithScenarios,
                             testtools.TestCase):

    scenarios = [
        ('not_a_dict', dict(
            mutate=lambda p: ['vcpus', 7], error=base.InvalidPrimitive,
            serializer_error=None)),
        ('a_string', dict(
            mutate=lambda p: 'Flavor', error=base.InvalidPrimitive,
            serializer_error=None)),
        ('missing_name', dict(
            mutate=_drop('versioned_object.name'),
            error=base.InvalidPrimitive,
            serializer_error=base.InvalidPrimitive)),
        ('missing_version', dict(
            mutate=_drop('versioned_object.version'),
            error=base.InvalidPrimitive,
            serializer_error=base.InvalidPrimitive)),
        ('missing_data', dict(
            mutate=_drop('versioned_object.data'),
            error=base.InvalidPrimitive,
            serializer_error=base.InvalidPrimitive)),
        ('data_not_a_dict', dict(
            mutate=_set('versioned_object.data', ['vcpus']),
            error=base.InvalidPrimitive,
            serializer_error=base.InvalidPrimitive)),
        ('garbled_version', dict(
            mutate=_set('versioned_object.version', 'one'),
            error=base.InvalidPrimitive,
            serializer_error=base.InvalidPrimitive)),
        ('version_a_list', dict(
            mutate=_set('versioned_object.version', ['1', '0']),
            error=base.InvalidPrimitive,
            serializer_error=base.InvalidPrimitive)),
        ('wrong_field_type', dict(
            mutate=_set_data('vcpus', 'many'),
            error=base.InvalidPrimitive,
            serializer_error=base.InvalidPrimitive)),
        ('wrong_child_type', dict(
            mutate=_set_data('extra_specs', ['not', 'a', 'dict']),
            error=base.InvalidPrimitive,
            serializer_error=base.InvalidPrimitive)),
        ('unknown_name', dict(
            mutate=_set('versioned_object.name', 'Spaceship'),
            error=ovo_exception.UnsupportedObjectError,
            serializer_error=ovo_exception.UnsupportedObjectError)),
        ('foreign_namespace', dict(
            mutate=_set('versioned_object.namespace', 'other'),
            error=ovo_exception.UnsupportedObjectError,
            serializer_error=ovo_exception.UnsupportedObjectError)),
        ('unknown_major_version', dict(
            mutate=_set('versioned_object.version', '2.0'),
            error=ovo_exception.IncompatibleObjectVersion,
            serializer_error=ovo_exception.IncompatibleObjectVersion)),
        # The serializer accepts a newer peer's minor (see
        # test_newer_minor.py); oslo's own hydration still refuses it.
        ('newer_minor_version', dict(
            mutate=_set('versioned_object.version', '1.99'),
            error=ovo_exception.IncompatibleObjectVersion,
            serializer_error=ACCEPTED)),
    ]

    def test_obj_from_primitive_raises(self):
        primitive = self.mutate(_good())
        self.assertRaises(self.error, base.GanttObject.obj_from_primitive,
                          primitive)

    def test_serializer_raises(self):
        primitive = self.mutate(_good())
        serializer = objects_serializer.GanttObjectSerializer()
        if self.serializer_error is ACCEPTED:
            self.assertEqual('Flavor', serializer.deserialize_entity(
                None, primitive).obj_name())
        elif self.serializer_error is None:
            # Not object-shaped: passed through untouched as a plain value.
            self.assertEqual(copy.deepcopy(primitive),
                             serializer.deserialize_entity(None, primitive))
        else:
            self.assertRaises(self.serializer_error,
                              serializer.deserialize_entity, None, primitive)


class TestInvalidPrimitiveMessage(testtools.TestCase):

    def test_names_the_object_and_value(self):
        primitive = _good()
        primitive['versioned_object.data']['vcpus'] = 'many'
        exc = self.assertRaises(base.InvalidPrimitive,
                                base.GanttObject.obj_from_primitive,
                                primitive)
        self.assertIn('Flavor', str(exc))
        self.assertIn('many', str(exc))

    def test_is_a_value_error(self):
        self.assertTrue(issubclass(base.InvalidPrimitive, ValueError))

    def test_a_plain_dict_argument_is_left_alone(self):
        serializer = objects_serializer.GanttObjectSerializer()
        value = {'allocations': {}, 'mappings': {'': ['x']}}
        self.assertEqual(value, serializer.deserialize_entity(None, value))


class TestDefaults(testtools.TestCase):

    def test_every_field_is_readable_on_a_new_object(self):
        for name, classes in sample.gantt_classes().items():
            obj = classes[0]()
            for field in obj.fields:
                if field == 'objects' or obj.fields[field].nullable:
                    self.assertTrue(obj.obj_attr_is_set(field),
                                    '%s.%s' % (name, field))

    def test_defaults_are_not_shared_between_objects(self):
        cls = sample.newest('Flavor')
        first, second = cls(), cls()
        first.extra_specs['k'] = 'v'
        self.assertEqual({}, second.extra_specs)

    def test_defaults_are_those_ovo_would_set(self):
        # Each default is coerced once per class; a new object must hold
        # what setting the default through the field would give, of the
        # same type, counted as changed, and never shared when mutable.
        for name, classes in sample.gantt_classes().items():
            cls = classes[0]
            first, second = cls(), cls()
            for field_name, fld in cls.fields.items():
                if fld.default == ovo_fields.UnspecifiedDefault:
                    continue
                where = '%s.%s' % (name, field_name)
                expected = fld.coerce(first, field_name,
                                      copy.deepcopy(fld.default))
                value = getattr(first, field_name)
                self.assertEqual(expected, value, where)
                self.assertIs(type(expected), type(value), where)
                self.assertIn(field_name, first.obj_what_changed(), where)
                if isinstance(value, (list, dict, set)):
                    self.assertIsNot(value, getattr(second, field_name),
                                     where)
                    # A coerced collection coerces what is added to it
                    # for the object it belongs to.
                    self.assertIs(first, getattr(value, '_obj', first),
                                  where)

    def test_explicit_values_win_over_defaults(self):
        flavor = sample.newest('Flavor')(vcpus=8, is_public=False)
        self.assertEqual(8, flavor.vcpus)
        self.assertFalse(flavor.is_public)

    def test_a_received_object_is_the_object_sent(self):
        # Hydrating sets what the primitive carries, then defaults the
        # rest; values and the change list come back exactly.
        for name, classes in sample.gantt_classes().items():
            obj = sample.make(name)
            back = base.GanttObject.obj_from_primitive(obj.obj_to_primitive())
            self.assertEqual(obj.obj_to_primitive(), back.obj_to_primitive(),
                             name)

    def test_what_a_received_object_holds_is_coerced_for_it(self):
        spec = sample.make('RequestSpec')
        spec.force_hosts = ['h1']
        back = base.GanttObject.obj_from_primitive(spec.obj_to_primitive())
        self.assertIs(back, back.force_hosts._obj)
        # Strict strings: an integer is refused, not turned into '5'.
        self.assertRaises(ValueError, back.force_hosts.append, 5)
        back.force_hosts.append('5')
        self.assertEqual(['h1', '5'], back.force_hosts)
        self.assertEqual(spec.obj_what_changed(), back.obj_what_changed())

    def test_fields_a_primitive_leaves_out_get_their_defaults(self):
        cls = sample.newest('Flavor')
        primitive = cls(vcpus=4).obj_to_primitive()
        del primitive['versioned_object.data']['extra_specs']
        first = base.GanttObject.obj_from_primitive(primitive)
        second = base.GanttObject.obj_from_primitive(primitive)
        self.assertEqual(4, first.vcpus)
        first.extra_specs['k'] = 'v'
        self.assertEqual({}, second.extra_specs)


class TestReceivedValues(testtools.TestCase):
    """A received value ends up as ovo's from_primitive and coerce make
    it, whether hydrating takes it as it is or coerces it."""

    # Values of each plain type, of other types, and None.
    VALUES = ('text', '7', '', 7, 0, -3, 1.5, 2.0, True, False, None,
              [1], {'k': 'v'})

    @staticmethod
    def _ovo(cls, name, value):
        obj = cls()
        fld = cls.fields[name]
        return fld.coerce(obj, name, fld.from_primitive(obj, name, value))

    @staticmethod
    def _received(cls, name, value):
        primitive = cls().obj_to_primitive()
        primitive['versioned_object.data'][name] = value
        return getattr(base.GanttObject.obj_from_primitive(primitive), name)

    def test_every_field_receives_what_ovo_would_set(self):
        checked = 0
        for obj_name, classes in sample.gantt_classes().items():
            cls = classes[0]
            for name, fld, plain, none_as_is in cls._receivers():
                # What hydrating may take as it is: a plain type's values
                # (others are tried too), or None; Gantt's strict scalar
                # types are always coerced, and tried with every value.
                strict = isinstance(fld._type, _STRICT)
                values = self.VALUES if plain or strict else (
                    (None,) if none_as_is else ())
                for value in values:
                    where = '%s.%s = %r' % (obj_name, name, value)
                    try:
                        expected = self._ovo(cls, name, value)
                    except (ValueError, TypeError):
                        self.assertRaises(base.InvalidPrimitive,
                                          self._received, cls, name, value)
                        continue
                    got = self._received(cls, name, value)
                    self.assertEqual(expected, got, where)
                    self.assertIs(type(expected), type(got), where)
                    checked += 1
        # Strings, integers, floats and booleans of several objects.
        self.assertGreater(checked, 500)

    def test_the_strict_types_take_only_what_coerce_keeps(self):
        # The shortcut checks ranges and lengths as coerce does.
        flavor = sample.newest('Flavor')
        plain = {name: test for name, _f, test, _n in flavor._receivers()}
        self.assertTrue(plain['vcpus'](16))
        for value in ('16', 16.5, True, 2 ** 64):
            self.assertFalse(plain['vcpus'](value), value)
        self.assertTrue(plain['name']('m1'))
        self.assertFalse(plain['name']('m' * 300))
        self.assertTrue(plain['rxtx_factor'](1.5))
        self.assertFalse(plain['rxtx_factor'](float('nan')))
        self.assertFalse(plain['rxtx_factor'](1))
        self.assertTrue(plain['is_public'](False))
        self.assertFalse(plain['is_public'](0))
        self.assertIsNone(plain['extra_specs'])

    def test_a_field_class_of_its_own_is_always_coerced(self):
        class Shouting(ovo_fields.StringField):
            def coerce(self, obj, attr, value):
                return super().coerce(obj, attr, value).upper()

        @base.GanttObjectRegistry.register_if(False)
        class Loud(base.GanttObject):
            VERSION = '1.0'
            fields = {'word': Shouting(nullable=True)}

        self.assertEqual([('word', Loud.fields['word'], None, False)],
                         Loud._receivers())
        primitive = Loud(word='hi').obj_to_primitive()
        primitive['versioned_object.data']['word'] = 'quiet'
        self.assertEqual('QUIET', Loud._obj_from_primitive(
            None, '1.0', primitive).word)


class TestWhatChanged(testtools.TestCase):
    """GanttObject.obj_what_changed answers as ovo's own does."""

    def ovo_answer(self, obj):
        return ovo_base.VersionedObject.obj_what_changed(obj)

    def test_same_answer_for_every_object_in_every_state(self):
        for name, classes in sample.gantt_classes().items():
            obj = sample.make(name)
            self.assertEqual(self.ovo_answer(obj), obj.obj_what_changed(),
                             name)
            obj.obj_reset_changes(recursive=True)
            self.assertEqual(set(), obj.obj_what_changed(), name)
            self.assertEqual(self.ovo_answer(obj), obj.obj_what_changed(),
                             name)

    def test_a_changed_child_marks_its_parent_field(self):
        spec = sample.make('RequestSpec')
        spec.obj_reset_changes(recursive=True)
        spec.flavor.vcpus = 3
        self.assertEqual({'flavor'}, spec.obj_what_changed())
        self.assertEqual(self.ovo_answer(spec), spec.obj_what_changed())


class TestToPrimitive(testtools.TestCase):
    """GanttObject.obj_to_primitive gives ovo's own primitive."""

    def ovo_answer(self, obj, *args, **kwargs):
        return ovo_base.VersionedObject.obj_to_primitive(obj, *args,
                                                         **kwargs)

    def test_same_primitive_for_every_object_in_every_state(self):
        for name, classes in sample.gantt_classes().items():
            for obj in (sample.make(name), classes[0]()):
                self.assertEqual(self.ovo_answer(obj), obj.obj_to_primitive(),
                                 name)
                self.assertEqual(self.ovo_answer(obj, obj.VERSION),
                                 obj.obj_to_primitive(obj.VERSION), name)
                obj.obj_reset_changes(recursive=True)
                self.assertEqual(self.ovo_answer(obj), obj.obj_to_primitive(),
                                 name)

    def test_a_changed_child_and_an_unset_field(self):
        spec = sample.make('RequestSpec')
        spec.obj_reset_changes(recursive=True)
        spec.flavor.vcpus = 3
        del spec.flavor.memory_mb
        primitive = spec.obj_to_primitive()
        self.assertEqual(['flavor'], primitive['versioned_object.changes'])
        flavor = primitive['versioned_object.data']['flavor']
        self.assertNotIn('memory_mb', flavor['versioned_object.data'])
        self.assertEqual(self.ovo_answer(spec), primitive)

    def test_an_older_target_is_backported_by_ovo(self):
        selection = sample.make('Selection')
        older = selection.obj_to_primitive('1.0')
        self.assertEqual('1.0', older['versioned_object.version'])
        self.assertNotIn('weight', older['versioned_object.data'])
        self.assertRaises(ovo_exception.InvalidTargetVersion,
                          selection.obj_to_primitive, '9.0')


class TestAttrIsSet(testtools.TestCase):
    """GanttObject.obj_attr_is_set answers as ovo's own does."""

    def test_same_answer_for_every_field_set_or_not(self):
        for name, classes in sample.gantt_classes().items():
            for obj in (sample.make(name), classes[0]()):
                names = list(obj.fields) + list(obj.obj_extra_fields)
                for field in names:
                    self.assertEqual(
                        ovo_base.VersionedObject.obj_attr_is_set(obj, field),
                        obj.obj_attr_is_set(field), '%s.%s' % (name, field))

    def test_an_unset_field_is_unset_and_an_unknown_one_raises(self):
        flavor = sample.newest('Flavor')(vcpus=2)
        del flavor.vcpus
        self.assertFalse(flavor.obj_attr_is_set('vcpus'))
        err = self.assertRaises(AttributeError, flavor.obj_attr_is_set,
                                'no_such_field')
        self.assertIn("'no_such_field'", str(err))
        self.assertIn('Flavor', str(err))
