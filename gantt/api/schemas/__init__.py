"""JSON schemas of gantt-api's request bodies and query strings, one
module per resource, each a tuple of (first microversion, schema) pairs
that gantt.api.validation picks from; the limits are placement's."""
