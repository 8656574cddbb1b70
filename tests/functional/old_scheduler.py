"""Test entry point: a gantt-scheduler as the first release ran it.

``python -m tests.functional.old_scheduler --config-file gantt.conf`` starts
the real service, but with both server targets capped at 1.0, the 1.0
service version registered, and the object registry holding only the
object versions the 1.0 APIs carried (fields added later removed), so
upgrade tests can drive an old scheduler with new clients. Only tests use
it.
"""

import sys

# gantt.rpc first: it silences eventlet's notices and picks oslo.service's
# threading backend before oslo.messaging is imported.
from gantt import rpc  # noqa: F401,I100

import oslo_messaging  # noqa: E402

from gantt.cmd import scheduler as scheduler_cmd  # noqa: E402
from gantt import manager  # noqa: E402
from gantt import objects  # noqa: E402
from gantt.objects import base  # noqa: E402
from gantt.rpcapi import object_versions  # noqa: E402
from gantt.rpcapi import releases  # noqa: E402
from gantt import service  # noqa: E402
from tests.unit.objects import sample  # noqa: E402

OLD = '1.0'


def _fields_at(name, version):
    """The fields ``name`` had at ``version``: what a backport keeps."""
    primitive = sample.make(name).obj_to_primitive(target_version=version)
    return set(primitive['versioned_object.data'])


def _old_class(cls, version):
    kept = _fields_at(cls.obj_name(), version)

    def obj_attr_is_set(self, attr):
        # Old code never asks about fields it does not know; the new store
        # code running here does, so they read as unset.
        if attr not in self.fields:
            return False
        return cls.obj_attr_is_set(self, attr)

    return type(cls.obj_name(), (cls,), {
        '__module__': cls.__module__,
        'VERSION': version,
        'fields': {k: v for k, v in cls.fields.items() if k in kept},
        'obj_relationships': {
            k: [r for r in v if r[0] <= version]
            for k, v in cls.obj_relationships.items() if k in kept},
        'obj_attr_is_set': obj_attr_is_set,
    })


def cap_objects(version=OLD):
    """Make the registry hold only what the ``version`` APIs carried."""
    objects.register_all()
    old = {}
    for api in releases.APIS:
        old.update(object_versions.MANIFESTS[api][version])
    registry = base.GanttObjectRegistry.obj_classes()
    names = [n for n, c in registry.items()
             if c[0].OBJ_PROJECT_NAMESPACE == 'gantt']
    # Build every old class before the registry changes (samples of a
    # newer parent need its newer children).
    replaced = {name: _old_class(registry[name][0], old[name])
                for name in names
                if name in old and registry[name][0].VERSION != old[name]}
    for name in names:
        if name not in old:
            del registry[name]
            continue
        cls = replaced.get(name, registry[name][0])
        registry[name] = [cls]
        setattr(objects, name, cls)
        module = sys.modules[cls.__module__]
        if getattr(module, name, None) is not None:
            setattr(module, name, cls)
    for api in releases.APIS:
        object_versions.MANIFESTS[api] = {
            version: object_versions.MANIFESTS[api][version]}
    object_versions.manifest.cache_clear()


def cap_service(version=OLD):
    """Serve and register as a scheduler of the first release."""
    manager.SchedulerManager.target = oslo_messaging.Target(version=version)
    manager.ReportManager.target = oslo_messaging.Target(
        version=version, namespace='report')
    service.RPC_VERSION = version
    service.SERVICE_VERSION = min(
        v for v, apis in releases.SERVICE_VERSIONS.items()
        if apis[releases.SCHEDULER] == version)


def main(argv=None):
    cap_objects()
    cap_service()
    return scheduler_cmd.main(argv)


if __name__ == '__main__':
    sys.exit(main())
