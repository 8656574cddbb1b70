"""Exceptions Gantt raises, each with a message that names what was wrong.

Every exception takes keyword arguments that fill its ``msg_fmt``; a message
given explicitly wins. They cross RPC as the class name plus the message,
so callers see the same text the scheduler logged.

A message is cut to MAX_MESSAGE characters and every keyword value that is
text to MAX_MESSAGE too: a refusal quotes what was wrong, never a large
input, so error replies and log lines stay small whatever was sent.
"""

# Longest message (and keyword text) an exception carries.
MAX_MESSAGE = 2048


def _cut(text):
    if len(text) <= MAX_MESSAGE:
        return text
    return '%s... (%d characters cut)' % (text[:MAX_MESSAGE - 40],
                                          len(text) - MAX_MESSAGE + 40)


class GanttException(Exception):
    msg_fmt = 'An unknown error occurred.'

    def __init__(self, message=None, **kwargs):
        kwargs = {k: _cut(v) if isinstance(v, str) else v
                  for k, v in kwargs.items()}
        self.kwargs = kwargs
        if message is None:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError):
                # A wrong format is a bug in Gantt, but the caller still
                # deserves the template and the values.
                message = '%s (%s)' % (self.msg_fmt, kwargs)
        self.message = _cut(str(message))
        super().__init__(self.message)

    def __str__(self):
        return self.message


class NoValidHost(GanttException):
    msg_fmt = 'No valid host was found. %(reason)s'


class InvalidRequest(GanttException):
    msg_fmt = 'Invalid request: %(reason)s'


class ReservationUnusable(NoValidHost):
    """A select_destinations named a reservation it cannot take over (a
    NoValidHost, so a conductor handles it as it does any refusal)."""
    msg_fmt = ('No valid host was found. Reservation %(reservation)s '
               'cannot be used: %(reason)s')


class ReservationNotFound(GanttException):
    msg_fmt = ('Reservation %(reservation)s is not held (released, '
               'expired or never made)')


class MalformedMessage(InvalidRequest):
    msg_fmt = 'Malformed message refused: %(reason)s'


class MessageTooLarge(InvalidRequest):
    msg_fmt = 'Message refused: %(reason)s'


class ServiceUnavailable(GanttException):
    """The scheduler cannot answer now (its database is unreachable);
    the same request may succeed when retried later."""

    msg_fmt = 'Gantt is unavailable: %(reason)s; retry later'


class InvalidReport(GanttException):
    msg_fmt = 'Invalid compute report for field %(field)s: %(reason)s'


class InvalidClaim(GanttException):
    msg_fmt = 'Invalid claim: %(reason)s'


class InventoryUnavailable(InvalidClaim):
    """A well-formed claim no inventory can take: the provider offers
    no such class, or not in such units (placement answers 409)."""


class ClaimConflict(GanttException):
    msg_fmt = ('Claim lost on provider %(provider)s for %(resource_class)s: '
               'not enough capacity left')


class ServerGroupPolicyConflict(ClaimConflict):
    """A claim would break its server group's policy (lost like a race)."""
    msg_fmt = ('Server group %(group)s policy %(policy)s refuses host '
               '%(host)s: %(reason)s')


class ServerGroupNotFound(GanttException):
    msg_fmt = 'Server group %(uuid)s not found'


class ServerGroupExists(GanttException):
    msg_fmt = 'Server group %(uuid)s exists already'


class ConsumerGenerationConflict(GanttException):
    # Starts with placement's wording, which its clients and tests match.
    msg_fmt = ('consumer generation conflict: consumer %(consumer)s '
               'expected %(expected)s, found %(actual)s')


class ResourceProviderNotFound(GanttException):
    # placement's wording, which its clients and tests match.
    msg_fmt = 'No resource provider with uuid %(uuid)s found'


class InvalidResourceClass(GanttException):
    msg_fmt = 'Invalid resource class %(name)r: %(reason)s'


class InvalidTrait(GanttException):
    msg_fmt = 'Invalid trait %(name)r: %(reason)s'


class InvalidInventory(GanttException):
    msg_fmt = 'Invalid inventory: %(reason)s'


class InvalidHint(GanttException):
    msg_fmt = 'Invalid scheduler hint %(hint)s: %(reason)s'


class UnsupportedVersion(GanttException):
    msg_fmt = 'Unsupported version %(version)s: %(reason)s'


class PluginNotFound(GanttException):
    msg_fmt = ('Unknown %(kind)s %(name)r in %(option)s. '
               'Available: %(available)s')


# Refusals of the placement-compatible API's writes (gantt.api); each is an
# existing kind of refusal where one fits, so older callers still catch it.

class ProviderGenerationConflict(GanttException):
    # Starts with placement's wording, which its clients and tests match.
    msg_fmt = ('resource provider generation conflict: provider %(uuid)s '
               'expected %(expected)s, found %(actual)s')


class ResourceProviderExists(InvalidInventory):
    msg_fmt = 'Resource provider %(what)s already exists'


class ResourceProviderInUse(InvalidInventory):
    msg_fmt = 'Resource provider %(uuid)s cannot be removed: %(reason)s'


class ResourceProviderHasChildren(ResourceProviderInUse):
    pass


class InventoryInUse(InvalidInventory):
    pass


class NotFound(GanttException):
    msg_fmt = '%(what)s not found'


class InUse(GanttException):
    msg_fmt = '%(what)s is in use: %(reason)s'


class ResourceClassExists(GanttException):
    msg_fmt = 'Resource class %(name)s already exists'


class InstanceNotFound(NotFound):
    msg_fmt = 'Instance %(uuid)s: %(reason)s'


class MoveInProgress(GanttException):
    msg_fmt = ('Instance %(instance)s is already moving (migration '
               '%(migration)s, %(operation)s): confirm or revert that move '
               'first')
