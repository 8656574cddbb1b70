"""Patterns and limits the resources' schemas share: placement's names
(resource classes, traits), uuid keys, and its integer ceiling."""

# Names of resource classes and traits: upper-case letters, digits, '_'.
NAME_PATTERN = '^[A-Z0-9_]+$'
CUSTOM_NAME_PATTERN = '^CUSTOM_[A-Z0-9_]+$'
# A uuid as an object key (with dashes, any case).
UUID_KEY_PATTERN = '^[0-9a-fA-F-]{36}$'
# Integer columns' ceiling (a signed 32-bit integer), and the float one.
MAX_INT = 2 ** 31 - 1
MAX_FLOAT = 3.40282e+38


def uuid():
    return {'type': 'string', 'format': 'uuid'}


def integer(least=None, most=MAX_INT):
    out = {'type': 'integer', 'maximum': most}
    if least is not None:
        out['minimum'] = least
    return out


def bounded_string(shortest=1, longest=255):
    return {'type': 'string', 'minLength': shortest, 'maxLength': longest}


def with_properties(schema, needed=(), **properties):
    """A copy of object ``schema`` with more ``properties`` (and the
    ``needed`` names required)."""
    out = dict(schema, properties=dict(schema['properties'], **properties))
    if needed:
        out['required'] = list(schema.get('required', ())) + list(needed)
    return out


def without(schema, *names):
    """A copy of object ``schema`` without the properties ``names``."""
    return dict(schema, properties={
        k: v for k, v in schema['properties'].items() if k not in names},
        required=[r for r in schema.get('required', ()) if r not in names])
