"""Every RPC version declares the object versions it carries."""

from oslo_utils import versionutils
import testtools

from gantt.objects import notification
from gantt.rpcapi import object_versions
from gantt.rpcapi import releases
from tests.unit.objects import sample


def _t(version):
    return versionutils.convert_version_to_tuple(version)


class TestManifests(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.classes = sample.gantt_classes()

    def test_newest_manifest_names_every_object_at_its_version(self):
        # A new object or object version must be added to the API that
        # carries it (and that API's version bumped).
        carried = set()
        for api in releases.APIS:
            newest = object_versions.manifest(api)
            carried |= set(newest)
            for name, version in newest.items():
                self.assertEqual(self.classes[name][0].VERSION, version,
                                 '%s manifest has %s %s' % (api, name,
                                                            version))
        # Notification payloads travel on the notification bus only.
        self.assertEqual(set(self.classes) - notification.PAYLOADS, carried,
                         'objects no API manifest carries')
        self.assertEqual(set(), carried & notification.PAYLOADS)

    def test_every_api_version_has_a_manifest(self):
        for api in releases.APIS:
            newest = max((v[api] for v in releases.RELEASES.values()),
                         key=_t)
            major, minor = _t(newest)
            self.assertEqual(
                {'%d.%d' % (major, m) for m in range(minor + 1)},
                set(object_versions.MANIFESTS[api]), api)

    def test_manifests_only_grow(self):
        for api, rows in object_versions.MANIFESTS.items():
            versions = sorted(rows, key=_t)
            for older, newer in zip(versions, versions[1:]):
                for name, version in rows[older].items():
                    self.assertGreaterEqual(_t(rows[newer][name]),
                                            _t(version), (api, name))

    def test_every_manifest_backports_every_object(self):
        for api, rows in object_versions.MANIFESTS.items():
            for version, manifest in rows.items():
                for name in manifest:
                    obj = sample.make(name)
                    primitive = obj.obj_to_primitive(
                        target_version=manifest[name],
                        version_manifest=manifest)
                    self.assertEqual(manifest[name],
                                     primitive['versioned_object.version'])

    def test_between_and_beyond(self):
        self.assertIs(object_versions.MANIFESTS['scheduler']['1.7'],
                      object_versions.manifest('scheduler', '1.9'))
        self.assertIs(object_versions.MANIFESTS['scheduler']['1.2'],
                      object_versions.manifest('scheduler', '1.2'))
        self.assertIs(object_versions.MANIFESTS['scheduler']['1.0'],
                      object_versions.manifest('scheduler', '1.0'))
        self.assertEqual('1.0', object_versions.for_message(
            None, '1.0')['Selection'])
        self.assertEqual('1.0', object_versions.for_message(
            'report', '1.0')['ComputeNode'])
        self.assertIsNone(object_versions.for_message('nope', '1.0'))
