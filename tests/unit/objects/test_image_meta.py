"""ImageMetaProps.get(): typed properties first, then the ``extra`` ones."""

import testtools

from gantt.objects import image_meta


class TestImageMetaPropsGet(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.props = image_meta.ImageMetaProps(
            hw_architecture='aarch64', hw_numa_nodes=2,
            extra={'os_secure_boot': 'required'})

    def test_returns_a_typed_property(self):
        self.assertEqual('aarch64', self.props.get('hw_architecture'))
        self.assertEqual(2, self.props.get('hw_numa_nodes'))

    def test_returns_an_extra_property(self):
        self.assertEqual('required', self.props.get('os_secure_boot'))

    def test_unset_typed_property_gives_default(self):
        self.assertEqual('x', self.props.get('img_hv_type', 'x'))
        self.assertIsNone(self.props.get('img_hv_type'))

    def test_unknown_property_gives_default(self):
        self.assertEqual(5, self.props.get('nothing_here', 5))

    def test_extra_never_shadows_a_typed_property(self):
        props = image_meta.ImageMetaProps(extra={'hw_architecture': 'bad'})
        self.assertIsNone(props.get('hw_architecture'))

    def test_from_dict_splits_typed_and_extra(self):
        props = image_meta.ImageMetaProps.from_dict(
            {'img_hv_type': 'kvm', 'hw_numa_nodes': '4', 'custom': 1})
        self.assertEqual('kvm', props.img_hv_type)
        self.assertEqual(4, props.hw_numa_nodes)
        self.assertEqual({'custom': '1'}, props.extra)

    def test_rejects_a_bad_version_predicate(self):
        self.assertRaises(ValueError, image_meta.ImageMetaProps,
                          img_hv_requested_version='not a predicate !')

    def test_image_starts_with_empty_properties(self):
        image = image_meta.ImageMeta()
        self.assertEqual([], image.properties.traits_required)
        self.assertEqual(0, image.min_disk)
