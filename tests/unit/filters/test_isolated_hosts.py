"""IsolatedHostsFilter keeps isolated images and isolated hosts together."""

import itertools

from oslo_utils.fixture import uuidsentinel as uuids
import testscenarios

from gantt.filters import isolated_hosts
from gantt import objects
from tests.unit.filters import base

HOSTS = [{'name': name} for name in ('iso1', 'iso2', 'plain1', 'plain2')]
ISOLATED_HOSTS = ['iso1', 'iso2', 'not-a-host-here']
ISOLATED_IMAGES = [uuids.iso_image, uuids.other_iso_image]


class TestIsolatedHostsFilter(testscenarios.WithScenarios,
                              base.FilterTestCase):

    filter_class = isolated_hosts.IsolatedHostsFilter
    # Each case: restrict flag, isolated images configured, the image.
    scenarios = [
        ('restricted_isolated_image', dict(
            restrict=True, images=ISOLATED_IMAGES, image=uuids.iso_image,
            expected=['iso1', 'iso2'])),
        ('restricted_other_image', dict(
            restrict=True, images=ISOLATED_IMAGES, image=uuids.plain_image,
            expected=['plain1', 'plain2'])),
        ('restricted_no_image', dict(
            restrict=True, images=ISOLATED_IMAGES, image=None,
            expected=['plain1', 'plain2'])),
        ('restricted_without_isolated_images', dict(
            restrict=True, images=[], image=uuids.iso_image,
            expected=['plain1', 'plain2'])),
        ('open_isolated_image', dict(
            restrict=False, images=ISOLATED_IMAGES, image=uuids.iso_image,
            expected=['iso1', 'iso2'])),
        ('open_other_image', dict(
            restrict=False, images=ISOLATED_IMAGES, image=uuids.plain_image,
            expected=['iso1', 'iso2', 'plain1', 'plain2'])),
        ('open_no_image', dict(
            restrict=False, images=ISOLATED_IMAGES, image=None,
            expected=['iso1', 'iso2', 'plain1', 'plain2'])),
        ('open_without_isolated_images', dict(
            restrict=False, images=[], image=uuids.iso_image,
            expected=['iso1', 'iso2', 'plain1', 'plain2'])),
    ]

    def test_isolation(self):
        self.conf.set_override('isolated_hosts', ISOLATED_HOSTS,
                               group='filter_scheduler')
        self.conf.set_override('isolated_images', self.images,
                               group='filter_scheduler')
        self.conf.set_override('restrict_isolated_hosts_to_isolated_images',
                               self.restrict, group='filter_scheduler')
        fields = {}
        if self.image is not None:
            fields['image'] = objects.ImageMeta(id=self.image)
        state = base.test_hosts.make_state(HOSTS)
        self.assert_filter(state, self.request(**fields), self.expected)


class TestIsolatedHostsFilterDefaults(base.FilterTestCase):

    filter_class = isolated_hosts.IsolatedHostsFilter

    def test_nothing_isolated_keeps_every_host(self):
        state = base.test_hosts.make_state(HOSTS)
        request = self.request(image=objects.ImageMeta(id=uuids.iso_image))
        self.assert_filter(state, request,
                           ['iso1', 'iso2', 'plain1', 'plain2'])

    def test_image_without_id_is_not_isolated(self):
        self.conf.set_override('isolated_hosts', ['iso1'],
                               group='filter_scheduler')
        self.conf.set_override('isolated_images', [uuids.iso_image],
                               group='filter_scheduler')
        state = base.test_hosts.make_state(HOSTS)
        request = self.request(image=objects.ImageMeta())
        self.assert_filter(state, request, ['iso2', 'plain1', 'plain2'])

    def test_runs_once_per_request(self):
        self.assertTrue(self.filter_class.run_filter_once_per_request)


class TestIsolatedHostsFilterAgreement(base.AgreementTestCase):

    filter_class = isolated_hosts.IsolatedHostsFilter

    def random_requests(self, rng, state):
        hosts = sorted(state.host_rows)
        self.conf.set_override('isolated_hosts', rng.sample(hosts, 4),
                               group='filter_scheduler')
        for restrict, images in itertools.product(
                (True, False), ([], [uuids.iso_image])):
            self.conf.set_override(
                'restrict_isolated_hosts_to_isolated_images', restrict,
                group='filter_scheduler')
            self.conf.set_override('isolated_images', images,
                                   group='filter_scheduler')
            for image in (uuids.iso_image, uuids.plain_image):
                yield self.request(image=objects.ImageMeta(id=image))
            yield self.request()
