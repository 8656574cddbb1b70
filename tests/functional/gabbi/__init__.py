"""placement's own gabbi files run against gantt-api (see
doc/placement-api.md)."""
