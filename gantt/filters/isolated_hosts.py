"""Keep isolated images on isolated hosts, and optionally the reverse.

[filter_scheduler] isolated_images may run only on isolated_hosts; when
restrict_isolated_hosts_to_isolated_images is set, isolated hosts also run
nothing but isolated images. With no isolated image configured, isolated
hosts are closed to everything when restricted and open otherwise.
"""

from gantt.filters import base


class IsolatedHostsFilter(base.VectorFilter):
    """Remove hosts the isolation settings keep apart from this image."""

    run_filter_once_per_request = True
    reason = 'isolated host or image'

    def _settings(self, request):
        opts = self.conf.filter_scheduler
        restrict = opts.restrict_isolated_hosts_to_isolated_images
        images = set(opts.isolated_images or ())
        image_id = request.image.id
        image_isolated = bool(images) and image_id in images
        return set(opts.isolated_hosts or ()), images, image_isolated, restrict

    def filter_mask(self, hosts, request):
        isolated, images, image_isolated, restrict = self._settings(request)
        host_isolated = base.all_rows(hosts, False)
        for host in isolated:
            host_isolated[hosts.host_rows.get(host, [])] = True
        if not images:
            # Nothing to match: isolated hosts stay closed when restricted.
            return ~host_isolated if restrict else base.all_rows(hosts)
        if restrict:
            return host_isolated == image_isolated
        return host_isolated if image_isolated else base.all_rows(hosts)

    def host_passes(self, host_view, request):
        isolated, images, image_isolated, restrict = self._settings(request)
        host_isolated = host_view.host in isolated
        if not images:
            return not (restrict and host_isolated)
        if restrict:
            return host_isolated == image_isolated
        return host_isolated or not image_isolated
