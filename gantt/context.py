"""The request context carried with every Gantt RPC message."""

from oslo_context import context


class RequestContext(context.RequestContext):
    """Who asked, for which project, under which request id."""

    @classmethod
    def from_dict(cls, values):
        return super().from_dict(values)


def get_admin_context():
    return RequestContext(is_admin=True, overwrite=False)


def from_dict(values):
    return RequestContext.from_dict(values)
