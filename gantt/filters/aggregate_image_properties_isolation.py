"""Keep images to the aggregates whose metadata agrees with them.

For every aggregate metadata key (only those starting with the configured
namespace and separator, when a namespace is set), an image that sets the
property of that name must have a value listed (comma-separated) by one of
the host's aggregates. Image properties the image leaves unset, or
aggregate keys no image property is named after, do not restrict.
"""

from gantt.filters import aggregate_values
from gantt.filters import base


def _prop(image_props, key):
    if image_props is None:
        return None
    try:
        return image_props.get(key)
    except (AttributeError, KeyError, ValueError):
        return None


class AggregateImagePropertiesIsolation(base.VectorFilter):
    """Hosts whose aggregate metadata admits the image's properties."""

    run_filter_once_per_request = True
    reason = 'aggregate metadata does not admit the image properties'

    def _prefix(self):
        opts = self.conf.filter_scheduler
        namespace = opts.aggregate_image_properties_isolation_namespace
        if not namespace:
            return None
        return namespace + opts.aggregate_image_properties_isolation_separator

    def _checked(self, keys):
        prefix = self._prefix()
        return sorted(k for k in keys if not prefix or k.startswith(prefix))

    def host_passes(self, host_view, request):
        metadata = aggregate_values.host_metadata(host_view)
        for key in self._checked(metadata):
            prop = _prop(request.image_props, key)
            if prop and str(prop) not in metadata[key]:
                return False
        return True

    def filter_mask(self, hosts, request):
        mask = base.all_rows(hosts)
        if request.image_props is None:
            return mask
        keys = set()
        for agg in hosts.aggregates.values():
            keys.update(agg.metadata)
        for key in self._checked(keys):
            prop = _prop(request.image_props, key)
            if not prop:
                continue
            has, ok = aggregate_values.key_mask(
                hosts, key, lambda values: str(prop) in values)
            mask &= ~has | ok
        return mask
