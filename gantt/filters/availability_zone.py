"""Keep only hosts in the availability zone the request asks for.

A host's zones are the availability_zone values of its aggregates (a value
may list several, comma separated); a host in no such aggregate is in
[DEFAULT] default_availability_zone. A request without a zone passes every
host.
"""

from gantt.filters import base

KEY = 'availability_zone'


def zones_of(value):
    """'az1, az2' -> {'az1', 'az2'}."""
    return {part.strip() for part in str(value).split(',')}


def requested_zone(request):
    return request.availability_zone


class AvailabilityZoneFilter(base.VectorFilter):
    """Remove hosts outside the requested availability zone."""

    run_filter_once_per_request = True
    reason = 'not in the requested availability zone'

    def filter_mask(self, hosts, request):
        zone = requested_zone(request)
        if zone is None:
            return base.all_rows(hosts)
        in_zone = base.all_rows(hosts, False)
        zoned = base.all_rows(hosts, False)
        for value, rows in hosts.rows_with_metadata(KEY):
            zoned[rows] = True
            if zone in zones_of(value):
                in_zone[rows] = True
        if zone == self.conf.default_availability_zone:
            in_zone |= ~zoned
        return in_zone

    def host_passes(self, host_view, request):
        zone = requested_zone(request)
        if zone is None:
            return True
        zones = set()
        for agg in host_view.aggregates:
            if KEY in agg.metadata:
                zones |= zones_of(agg.metadata[KEY])
        if zones:
            return zone in zones
        return zone == self.conf.default_availability_zone
