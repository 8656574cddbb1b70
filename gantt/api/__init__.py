"""gantt-api: the placement REST API over Gantt's own store.

nova-compute's report client and the openstack CLI's placement commands
write providers, inventories, traits, aggregates and allocations here; the
scheduler reads them through its change feed.
"""
